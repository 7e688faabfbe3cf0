import { and, desc, eq, inArray, isNotNull, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { LIVE_STATUSES } from '../invoices/lifecycle.ts';
import type { Conn } from './conn.ts';
import type { invoices, InvoiceStatus, TxnType } from './sqlite/schema.ts';

type Invoice = typeof invoices.$inferSelect;

/** The read-only invoice queries (duplicates, lists, counts); `InvoiceStore` extends them with the writes. */
export class InvoiceQueries {
  constructor(protected readonly c: Conn) {}

  /** An invoice already in QBO (or on its way) that this one repeats: the same file, or the same vendor + invoice number. */
  async findDuplicate(target: Pick<Invoice, 'id' | 'teamId' | 'sha256' | 'vendorId' | 'invoiceNumber'>): Promise<Invoice | null> {
    return (await this.bookedSameFile(target.teamId, target.sha256, target.id)) ?? this.bookedSameNumber(target);
  }

  /** findDuplicate's second half, for a caller that has just checked the same file: the same vendor + invoice number. */
  async bookedSameNumber(target: Pick<Invoice, 'id' | 'teamId' | 'vendorId' | 'invoiceNumber'>): Promise<Invoice | null> {
    const { vendorId, invoiceNumber } = target;
    if (!vendorId || !invoiceNumber) return null;
    const { invoices: inv } = this.c.t;
    const [row] = await this.c.run((db) =>
      db
        .select()
        .from(inv)
        .where(
          and(
            eq(inv.teamId, target.teamId),
            ne(inv.id, target.id),
            eq(inv.vendorId, vendorId),
            sql`lower(replace(${inv.invoiceNumber}, ' ', '')) = lower(replace(${invoiceNumber}, ' ', ''))`,
            this.live(),
          ),
        )
        .limit(1),
    );
    return row ?? null;
  }

  /** In QuickBooks (a stored QBO id, whatever the status says) or on its way there. */
  private live() {
    const { invoices: inv } = this.c.t;
    return or(inArray(inv.status, [...LIVE_STATUSES]), isNotNull(inv.qboId))!;
  }

  /** A stored invoice already in QuickBooks (or on its way) with these very bytes. */
  async bookedSameFile(teamId: string, hash: string, exceptId: number): Promise<Invoice | null> {
    const { invoices: inv } = this.c.t;
    const [row] = await this.c.run((db) =>
      db
        .select()
        .from(inv)
        .where(and(eq(inv.teamId, teamId), eq(inv.sha256, hash), ne(inv.id, exceptId), this.live()))
        .orderBy(inv.id)
        .limit(1),
    );
    return row ?? null;
  }

  /** Any earlier invoice with the same file bytes (whatever its state), for a heads-up at intake. */
  async sameFile(teamId: string, hash: string, exceptId: number): Promise<Invoice | null> {
    const { invoices: inv } = this.c.t;
    const [row] = await this.c.run((db) =>
      db
        .select()
        .from(inv)
        .where(and(eq(inv.teamId, teamId), eq(inv.sha256, hash), ne(inv.id, exceptId)))
        .orderBy(inv.id)
        .limit(1),
    );
    return row ?? null;
  }

  /** A workspace's newest invoices; `person`: only those they uploaded or submitted. */
  list(teamId: string, opts: { statuses?: readonly InvoiceStatus[]; limit?: number; person?: string } = {}): Promise<Invoice[]> {
    const { invoices: inv } = this.c.t;
    const conds = [eq(inv.teamId, teamId)];
    if (opts.person) conds.push(or(eq(inv.uploadedBy, opts.person), eq(inv.submittedBy, opts.person))!);
    if (opts.statuses?.length) conds.push(inArray(inv.status, [...opts.statuses]));
    return this.c.run((db) =>
      db
        .select()
        .from(inv)
        .where(and(...conds))
        .orderBy(desc(inv.id))
        .limit(opts.limit ?? 50),
    );
  }

  /** Ids only (no rows), e.g. every `ready` invoice to queue. */
  async ids(teamId: string, statuses: readonly InvoiceStatus[]): Promise<number[]> {
    const { invoices: inv } = this.c.t;
    const rows = await this.c.run((db) =>
      db
        .select({ id: inv.id })
        .from(inv)
        .where(and(eq(inv.teamId, teamId), inArray(inv.status, [...statuses])))
        .orderBy(inv.id),
    );
    return rows.map((r) => r.id);
  }

  /** Blocked invoices of a workspace, optionally only those blocked by one of `causes`. */
  blocked(teamId: string, causes?: string[]): Promise<Invoice[]> {
    const { invoices: inv } = this.c.t;
    const conds = [eq(inv.teamId, teamId), eq(inv.status, 'blocked')];
    if (causes?.length) conds.push(inArray(inv.blockCause, causes));
    return this.c.run((db) =>
      db
        .select()
        .from(inv)
        .where(and(...conds))
        .orderBy(inv.id),
    );
  }

  /** Invoices not (and not possibly) in QuickBooks: what a change of QBO company resets. */
  notInQbo(teamId: string): Promise<Invoice[]> {
    const { invoices: inv } = this.c.t;
    return this.c.run((db) =>
      db
        .select()
        .from(inv)
        .where(and(eq(inv.teamId, teamId), isNull(inv.qboId), isNull(inv.pendingRequestId), ne(inv.status, 'synced')))
        .orderBy(inv.id),
    );
  }

  /** Invoices a crash left in `received`, stored before `before`. */
  receivedBefore(before: Date): Promise<Invoice[]> {
    const { invoices: inv } = this.c.t;
    return this.c.run((db) =>
      db
        .select()
        .from(inv)
        .where(and(eq(inv.status, 'received'), lt(inv.createdAt, before.getTime())))
        .orderBy(inv.id),
    );
  }

  async countByStatus(teamId: string): Promise<Record<string, number>> {
    const { invoices: inv } = this.c.t;
    const rows = await this.c.run((db) =>
      db.select({ status: inv.status, n: sql<number>`count(*)` }).from(inv).where(eq(inv.teamId, teamId)).groupBy(inv.status),
    );
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  /** Channel invoices read (or further along) whose thread card was never posted (ids). */
  async missingCards(): Promise<number[]> {
    const { invoices: inv } = this.c.t;
    const rows = await this.c.run((db) =>
      db
        .select({ id: inv.id })
        .from(inv)
        .where(and(eq(inv.source, 'channel'), isNull(inv.cardTs), isNotNull(inv.channelId), ne(inv.status, 'received')))
        .orderBy(inv.id),
    );
    return rows.map((r) => r.id);
  }

  /** How many of a workspace's invoices are blocked by `cause` (but `exceptId`). */
  async countBlocked(teamId: string, cause: string, exceptId?: number): Promise<number> {
    const { invoices: inv } = this.c.t;
    const conds = [eq(inv.teamId, teamId), eq(inv.status, 'blocked'), eq(inv.blockCause, cause)];
    if (exceptId != null) conds.push(ne(inv.id, exceptId));
    const [row] = await this.c.run((db) =>
      db
        .select({ n: sql<number>`count(*)` })
        .from(inv)
        .where(and(...conds)),
    );
    return Number(row?.n ?? 0);
  }

  /** The invoice booked in QuickBooks as this transaction. */
  async byQboTxn(teamId: string, txnType: TxnType, qboId: string): Promise<Invoice | null> {
    const { invoices: inv } = this.c.t;
    const [row] = await this.c.run((db) =>
      db
        .select()
        .from(inv)
        .where(and(eq(inv.teamId, teamId), eq(inv.qboId, qboId), eq(inv.txnType, txnType)))
        .limit(1),
    );
    return row ?? null;
  }

  /** Invoices whose payment in QuickBooks is this BillPayment. */
  byPayment(teamId: string, paymentId: string): Promise<Invoice[]> {
    const { invoices: inv } = this.c.t;
    return this.c.run((db) =>
      db
        .select()
        .from(inv)
        .where(and(eq(inv.teamId, teamId), eq(inv.qboPaymentId, paymentId)))
        .orderBy(inv.id),
    );
  }
}
