import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { and, eq, inArray } from 'drizzle-orm';
import { allowedFrom, isEditable } from '../invoices/lifecycle.ts';
import type { Conn } from './conn.ts';
import { InvoiceQueries } from './invoice-queries.ts';
import type { invoiceEvents, invoices, InvoiceStatus, TxnType } from './sqlite/schema.ts';

export type { InvoiceStatus, TxnType };
/** An invoice row (its file's bytes live in `invoice_files`: no invoice query loads them). */
export type Invoice = typeof invoices.$inferSelect;
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

const CONFIRMED_KEYS: (keyof ConfirmedFields)[] = [
  'txnType',
  'purchaseAccountId',
  'projectProfileId',
  'costCodeProfileId',
  'vendorId',
  'vendorName',
  'amountCents',
  'currency',
  'invoiceNumber',
  'invoiceDate',
  'dueDate',
  'memo',
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

export interface StatusChange {
  invoice: Invoice;
  from: InvoiceStatus | null;
  to: InvoiceStatus;
  actor: string;
  reason: string | null;
}

/** What `transition` did: applied, or refused because the invoice was no longer in a status the move starts from. */
export type Moved = { applied: true; invoice: Invoice; from: InvoiceStatus } | { applied: false; lost: true; invoice: Invoice; to: InvoiceStatus };

/** Runs inside the transaction of a status change (or create), with that transaction's Conn. */
export type TransitionHook = (t: Conn, change: StatusChange) => Promise<void>;

export interface MoveOptions {
  actor: string;
  reason?: string | null;
  patch?: Partial<Invoice>;
  /** Narrows the statuses the move may start from (within the transition table). */
  from?: readonly InvoiceStatus[];
}

export class InvoiceNotFound extends Error {
  constructor(id: number) {
    super(`invoice ${id} not found`);
    this.name = 'InvoiceNotFound';
  }
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** What every InvoiceStore bound to the same database shares: the hooks and the after-commit emitter. */
export class InvoiceHub {
  /** 'status' (StatusChange) after every committed transition; the Slack layer listens and tells people. */
  readonly events = new EventEmitter<{ status: [StatusChange] }>();
  readonly hooks: TransitionHook[] = [];
}

/**
 * Invoices and their status history. A status change is a conditional update checked against the transition table
 * (src/invoices/lifecycle.ts); the `onTransition` hooks run in its transaction; the `events` emitter fires after commit.
 */
export class InvoiceStore extends InvoiceQueries {
  constructor(
    c: Conn,
    private readonly hub: InvoiceHub = new InvoiceHub(),
    /** Set when bound to a transaction of `Store.tx`: emits wait for its commit. */
    private readonly afterCommit?: (f: () => void) => void,
  ) {
    super(c);
  }

  get events() {
    return this.hub.events;
  }

  /** The same store working inside transaction `t` (emits queued to `afterCommit`). */
  bind(t: Conn, afterCommit?: (f: () => void) => void): InvoiceStore {
    return new InvoiceStore(t, this.hub, afterCommit);
  }

  /** Registers a hook run inside the transaction of every status change and create (e.g. the notification outbox). */
  onTransition(hook: TransitionHook): () => void {
    this.hub.hooks.push(hook);
    return () => {
      const i = this.hub.hooks.indexOf(hook);
      if (i >= 0) this.hub.hooks.splice(i, 1);
    };
  }

  /** Runs fn in one transaction; the changes it makes are emitted once it committed. */
  private async inTx<T>(fn: (t: Conn, emit: (ch: StatusChange) => void) => Promise<T>): Promise<T> {
    const changes: StatusChange[] = [];
    const out = await this.c.tx((t) => {
      changes.length = 0; // a Postgres transaction that lost a race runs again: only the committed attempt's changes
      return fn(t, (ch) => changes.push(ch));
    });
    const fire = () => {
      for (const ch of changes) this.hub.events.emit('status', ch);
    };
    if (this.afterCommit) this.afterCommit(fire);
    else fire();
    return out;
  }

  private async runHooks(t: Conn, change: StatusChange) {
    for (const hook of this.hub.hooks) await hook(t, change);
  }

  /** Stores a new invoice with its file. Idempotent per Slack file: Slack sends two events per upload and retries them. */
  async create(p: NewInvoice): Promise<{ invoice: Invoice; created: boolean }> {
    return this.inTx(async (t, emit) => {
      const { invoices: inv, invoiceEvents: ev, invoiceFiles: files, workspaces, settings } = t.t;
      await t.run((db) => db.insert(workspaces).values({ teamId: p.teamId }).onConflictDoNothing());
      await t.run((db) => db.insert(settings).values({ teamId: p.teamId }).onConflictDoNothing());
      if (p.slackFileId) {
        const existing = await this.bySlackFileIn(t, p.teamId, p.slackFileId);
        if (existing) return { invoice: existing, created: false };
      }
      const [invoice] = await t.run((db) =>
        db
          .insert(inv)
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
          .returning(),
      );
      await t.run((db) => db.insert(files).values({ invoiceId: invoice.id, bytes: p.bytes }));
      const actor = p.uploadedBy ?? 'system';
      const reason = `file ${p.fileName}`;
      await t.run((db) => db.insert(ev).values({ invoiceId: invoice.id, fromStatus: null, toStatus: 'received', actor, reason }));
      const change: StatusChange = { invoice, from: null, to: 'received', actor, reason };
      await this.runHooks(t, change);
      emit(change);
      return { invoice, created: true };
    });
  }

  private async bySlackFileIn(c: Conn, teamId: string, slackFileId: string): Promise<Invoice | null> {
    const { invoices: inv } = c.t;
    const [row] = await c.run((db) =>
      db
        .select()
        .from(inv)
        .where(and(eq(inv.teamId, teamId), eq(inv.slackFileId, slackFileId)))
        .limit(1),
    );
    return row ?? null;
  }

  bySlackFile(teamId: string, slackFileId: string): Promise<Invoice | null> {
    return this.bySlackFileIn(this.c, teamId, slackFileId);
  }

  async get(teamId: string, id: number): Promise<Invoice | null> {
    const { invoices: inv } = this.c.t;
    const [row] = await this.c.run((db) =>
      db
        .select()
        .from(inv)
        .where(and(eq(inv.teamId, teamId), eq(inv.id, id)))
        .limit(1),
    );
    return row ?? null;
  }

  async byId(id: number): Promise<Invoice | null> {
    const { invoices: inv } = this.c.t;
    const [row] = await this.c.run((db) => db.select().from(inv).where(eq(inv.id, id)).limit(1));
    return row ?? null;
  }

  /** Sets fields without a status change (e.g. the thread card's ts). */
  async patch(id: number, patch: Partial<Invoice>): Promise<Invoice> {
    const { invoices: inv } = this.c.t;
    const { id: _id, status: _status, ...fields } = patch;
    const [row] = await this.c.run((db) =>
      db
        .update(inv)
        .set({ ...fields, updatedAt: Date.now() })
        .where(eq(inv.id, id))
        .returning(),
    );
    if (!row) throw new InvoiceNotFound(id);
    return row;
  }

  /**
   * Moves an invoice to `to` if its status now is one the transition table (and `p.from`) lets it move from: a
   * conditional update, so two concurrent moves cannot both apply. Records who/when/why and runs the hooks in the
   * same transaction; listeners hear of it after commit. A refused move changes nothing and says so (`lost`).
   */
  async transition(id: number, to: InvoiceStatus, p: MoveOptions): Promise<Moved> {
    return this.inTx((t, emit) => this.moveIn(t, id, to, p, emit));
  }

  private async moveIn(t: Conn, id: number, to: InvoiceStatus, p: MoveOptions, emit: (ch: StatusChange) => void): Promise<Moved> {
    const { invoices: inv, invoiceEvents: ev } = t.t;
    const froms = allowedFrom(to).filter((s) => !p.from || p.from.includes(s));
    const [before] = await t.run((db) => db.select({ status: inv.status }).from(inv).where(eq(inv.id, id)).limit(1));
    if (!before) throw new InvoiceNotFound(id);
    const reason = p.reason ?? null;
    const { id: _id, status: _status, ...fields } = p.patch ?? {};
    const [invoice] = froms.includes(before.status)
      ? await t.run((db) =>
          db
            .update(inv)
            .set({ reason: null, ...fields, status: to, statusReason: reason, updatedAt: Date.now() })
            .where(and(eq(inv.id, id), eq(inv.status, before.status), inArray(inv.status, froms)))
            .returning(),
        )
      : [];
    if (!invoice) return { applied: false, lost: true, invoice: (await this.bind(t).byId(id))!, to };
    await t.run((db) => db.insert(ev).values({ invoiceId: id, fromStatus: before.status, toStatus: to, actor: p.actor, reason }));
    const change: StatusChange = { invoice, from: before.status, to, actor: p.actor, reason };
    await this.runHooks(t, change);
    emit(change);
    return { applied: true, invoice, from: before.status };
  }

  /**
   * The duplicate check and the move to `syncing`, in one transaction: a sync starts only if no other invoice with
   * this file or vendor + number is in (or on its way to) QuickBooks, and only one of two racing syncs starts.
   */
  async startSync(inv: Invoice, p: MoveOptions & { checkDuplicate: boolean }): Promise<{ duplicateOf: Invoice } | Moved> {
    return this.inTx(async (t, emit) => {
      if (p.checkDuplicate) {
        const dup = await this.bind(t).findDuplicate(inv);
        if (dup) return { duplicateOf: dup };
      }
      return this.moveIn(t, inv.id, 'syncing', p, emit);
    });
  }

  /**
   * Stores what a person confirmed, if the invoice may still be edited (checked in the same transaction). The
   * revision (part of QBO's requestid) moves only when a field really changed, so resubmitting the same data can
   * never create a second transaction.
   */
  async confirm(id: number, fields: ConfirmedFields, submittedBy: string): Promise<Invoice> {
    return this.c.tx(async (t) => {
      const store = this.bind(t);
      const current = await store.byId(id);
      if (!current) throw new InvoiceNotFound(id);
      if (!isEditable(current)) throw new Error('This invoice is (or may already be) in QuickBooks and can no longer be changed');
      const changed = CONFIRMED_KEYS.some((k) => (current[k] ?? null) !== (fields[k] ?? null));
      return store.patch(id, { ...fields, submittedBy, revision: changed ? current.revision + 1 : current.revision });
    });
  }

  history(id: number): Promise<InvoiceEvent[]> {
    const { invoiceEvents: ev } = this.c.t;
    return this.c.run((db) => db.select().from(ev).where(eq(ev.invoiceId, id)).orderBy(ev.id));
  }
}
