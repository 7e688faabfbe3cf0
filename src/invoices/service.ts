import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { and, desc, eq, getTableColumns, inArray, isNotNull, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../store/sqlite/client.ts';
import { invoiceEvents, invoiceFiles, invoices, settings, workspaces, type InvoiceStatus, type TxnType } from '../store/sqlite/schema.ts';

/** The invoice lifecycle: received → extracted → ready → syncing → synced, with needs_input/blocked/failed/duplicate. */

/** An invoice without its file's bytes: queries and status changes never load them (`Invoices.fileBytes` does). */
export type Invoice = typeof invoices.$inferSelect;
const columns = getTableColumns(invoices);
/** Every column but the file's bytes, for `.select()` and `.returning()` on invoices. */
export const invoiceColumns = columns;
export type InvoiceEvent = typeof invoiceEvents.$inferSelect;

export interface ConfirmedFields {
  txnType: TxnType;
  purchaseAccountId: string | null;
  projectProfileId: number | null;
  costCodeProfileId: number | null;
  vendorId: string | null;
  vendorName: string | null;
  amountCents: number | null;
  currency: string | null;
  invoiceNumber: string | null;
  invoiceDate: string | null;
  dueDate: string | null;
  memo: string | null;
}

export interface StatusChange {
  invoice: Invoice;
  from: InvoiceStatus | null;
  to: InvoiceStatus;
  actor: string;
  reason: string | null;
}

const CONFIRMED_KEYS: (keyof ConfirmedFields)[] = [
  'txnType', 'purchaseAccountId', 'projectProfileId', 'costCodeProfileId', 'vendorId', 'vendorName',
  'amountCents', 'currency', 'invoiceNumber', 'invoiceDate', 'dueDate', 'memo',
];

/** A file arriving, and where from. */
export interface NewInvoice {
  teamId: string;
  source: 'channel' | 'upload' | 'api';
  bytes: Buffer;
  fileName: string;
  mimeType: string;
  slackFileId?: string | null;
  channelId?: string | null;
  messageTs?: string | null;
  uploadedBy?: string | null;
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export class Invoices {
  /** 'status' (StatusChange) after every transition; the Slack layer listens and tells people. */
  readonly events = new EventEmitter<{ status: [StatusChange] }>();

  constructor(private readonly db: Db) {}

  /** Stores a new invoice with its file. Idempotent per Slack file: Slack sends two events per upload and retries them. */
  create(p: NewInvoice): { invoice: Invoice; created: boolean } {
    this.db.insert(workspaces).values({ teamId: p.teamId }).onConflictDoNothing().run();
    this.db.insert(settings).values({ teamId: p.teamId }).onConflictDoNothing().run();
    return this.db.transaction((tx) => {
      if (p.slackFileId) {
        const existing = tx
          .select(invoiceColumns)
          .from(invoices)
          .where(and(eq(invoices.teamId, p.teamId), eq(invoices.slackFileId, p.slackFileId)))
          .get();
        if (existing) return { invoice: existing, created: false };
      }
      const invoice = tx
        .insert(invoices)
        .values({
          teamId: p.teamId,
          source: p.source,
          status: 'received',
          slackFileId: p.slackFileId ?? null,
          channelId: p.channelId ?? null,
          messageTs: p.messageTs ?? null,
          uploadedBy: p.uploadedBy ?? null,
          fileName: p.fileName,
          mimeType: p.mimeType,
          fileSize: p.bytes.length,
          sha256: sha256(p.bytes),
        })
        .returning(invoiceColumns)
        .get();
      tx.insert(invoiceFiles).values({ invoiceId: invoice.id, bytes: p.bytes }).run();
      tx.insert(invoiceEvents).values({ invoiceId: invoice.id, fromStatus: null, toStatus: 'received', actor: p.uploadedBy ?? 'system', reason: `file ${p.fileName}` }).run();
      return { invoice, created: true };
    });
  }

  get(teamId: string, id: number): Invoice | null {
    return this.db.select(invoiceColumns).from(invoices).where(and(eq(invoices.teamId, teamId), eq(invoices.id, id))).get() ?? null;
  }

  byId(id: number): Invoice | null {
    return this.db.select(invoiceColumns).from(invoices).where(eq(invoices.id, id)).get() ?? null;
  }

  /** The stored file (empty when it was too large to keep). */
  fileBytes(id: number): Buffer {
    return this.db.select({ b: invoiceFiles.bytes }).from(invoiceFiles).where(eq(invoiceFiles.invoiceId, id)).get()?.b ?? Buffer.alloc(0);
  }

  /** Sets fields without a status change (e.g. the thread card's ts). */
  patch(id: number, patch: Partial<Invoice>): Invoice {
    return this.db.update(invoices).set({ ...patch, updatedAt: new Date().toISOString() }).where(eq(invoices.id, id)).returning(invoiceColumns).get();
  }

  /** Moves an invoice to `to`, recording who/when/why, and tells listeners. */
  transition(id: number, to: InvoiceStatus, p: { actor: string; reason?: string | null; patch?: Partial<Invoice> }): Invoice {
    const { invoice, from } = this.db.transaction((tx) => {
      const before = tx.select({ status: invoices.status }).from(invoices).where(eq(invoices.id, id)).get();
      if (!before) throw new Error(`invoice ${id} not found`);
      const invoice = tx
        .update(invoices)
        .set({ reason: null, ...p.patch, status: to, statusReason: p.reason ?? null, updatedAt: new Date().toISOString() })
        .where(eq(invoices.id, id))
        .returning(invoiceColumns)
        .get();
      tx.insert(invoiceEvents).values({ invoiceId: id, fromStatus: before.status, toStatus: to, actor: p.actor, reason: p.reason ?? null }).run();
      return { invoice, from: before.status };
    });
    this.events.emit('status', { invoice, from, to, actor: p.actor, reason: p.reason ?? null });
    return invoice;
  }

  /**
   * Stores what a person confirmed. The revision (part of QBO's requestid) moves only when a field really changed,
   * so resubmitting the same data can never create a second transaction.
   */
  confirm(id: number, fields: ConfirmedFields, submittedBy: string): Invoice {
    const current = this.byId(id);
    if (!current) throw new Error(`invoice ${id} not found`);
    if (!isEditable(current)) throw new Error('This invoice is (or may already be) in QuickBooks and can no longer be changed');
    const changed = CONFIRMED_KEYS.some((k) => (current[k] ?? null) !== (fields[k] ?? null));
    return this.patch(id, { ...fields, submittedBy, revision: changed ? current.revision + 1 : current.revision });
  }

  history(id: number): InvoiceEvent[] {
    return this.db.select().from(invoiceEvents).where(eq(invoiceEvents.invoiceId, id)).orderBy(invoiceEvents.id).all();
  }

  /** An invoice already in QBO (or on its way) that this one repeats: the same file, or the same vendor + invoice number. */
  findDuplicate(inv: Invoice): Invoice | null {
    // In QuickBooks (a stored QBO id, whatever the status says) or on its way there.
    const liveCond = or(inArray(invoices.status, ['synced', 'syncing'] as InvoiceStatus[]), isNotNull(invoices.qboId))!;
    const sameFile = this.db
      .select(invoiceColumns)
      .from(invoices)
      .where(and(eq(invoices.teamId, inv.teamId), ne(invoices.id, inv.id), eq(invoices.sha256, inv.sha256), liveCond))
      .get();
    if (sameFile) return sameFile;
    if (!inv.vendorId || !inv.invoiceNumber) return null;
    return (
      this.db
        .select(invoiceColumns)
        .from(invoices)
        .where(
          and(
            eq(invoices.teamId, inv.teamId),
            ne(invoices.id, inv.id),
            eq(invoices.vendorId, inv.vendorId),
            sql`lower(replace(${invoices.invoiceNumber}, ' ', '')) = lower(replace(${inv.invoiceNumber}, ' ', ''))`,
            liveCond,
          ),
        )
        .get() ?? null
    );
  }

  /** Any earlier invoice with the same file bytes (whatever its state), for a heads-up at intake. */
  sameFile(teamId: string, hash: string, exceptId: number): Invoice | null {
    return (
      this.db
        .select(invoiceColumns)
        .from(invoices)
        .where(and(eq(invoices.teamId, teamId), eq(invoices.sha256, hash), ne(invoices.id, exceptId)))
        .orderBy(invoices.id)
        .get() ?? null
    );
  }

  list(teamId: string, opts: { statuses?: InvoiceStatus[]; limit?: number } = {}): Invoice[] {
    const conds = [eq(invoices.teamId, teamId)];
    if (opts.statuses?.length) conds.push(inArray(invoices.status, opts.statuses));
    return this.db.select(invoiceColumns).from(invoices).where(and(...conds)).orderBy(desc(invoices.id)).limit(opts.limit ?? 50).all();
  }

  countByStatus(teamId: string): Record<string, number> {
    const rows = this.db
      .select({ status: invoices.status, n: sql<number>`count(*)` })
      .from(invoices)
      .where(eq(invoices.teamId, teamId))
      .groupBy(invoices.status)
      .all();
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }
}

/**
 * Whether people may still change an invoice's fields. Not once QuickBooks has (or may have) the transaction: a
 * stored QBO id, a create whose answer never came (`pendingRequestId`), or a sync under way.
 */
export function isEditable(inv: Pick<Invoice, 'status' | 'qboId' | 'pendingRequestId'>): boolean {
  return !['synced', 'syncing'].includes(inv.status) && !inv.qboId && !inv.pendingRequestId;
}

/** Deterministic QBO requestid (≤ 50 chars) for one revision of one invoice: a retry can never create a second transaction. */
export function requestIdFor(inv: Pick<Invoice, 'teamId' | 'id' | 'revision'>, step: 'txn' | 'att' | 'pay' = 'txn'): string {
  const team = createHash('sha256').update(inv.teamId).digest('hex').slice(0, 10);
  return `inv-${team}-${inv.id}-r${inv.revision}-${step}`;
}
