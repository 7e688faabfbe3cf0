import { and, asc, eq, sql } from 'drizzle-orm';
import type { Conn } from './conn.ts';

export type RuleTxnType = 'Bill' | 'Expense';

/** How one vendor's invoices are coded in a workspace. */
export interface VendorRule {
  vendorId: string;
  vendorName: string;
  txnType: RuleTxnType | null;
  purchaseAccountId: string | null;
  costCodeProfileId: number | null;
  memoPattern: string | null;
  /** Invoices in a row booked this way. */
  streak: number;
  pinned: boolean;
  autoBook: boolean;
  updatedBy: string | null;
}

export type Coding = Pick<VendorRule, 'txnType' | 'purchaseAccountId' | 'costCodeProfileId' | 'memoPattern'>;

const sameCoding = (a: Coding, b: Coding) =>
  a.txnType === b.txnType &&
  a.purchaseAccountId === b.purchaseAccountId &&
  a.costCodeProfileId === b.costCodeProfileId &&
  (a.memoPattern ?? null) === (b.memoPattern ?? null);

/** Vendor rules: learned after each booked invoice (never over a pinned rule), pinned and edited by admins. */
export class VendorRulesStore {
  constructor(private readonly c: Conn) {}

  async get(teamId: string, vendorId: string): Promise<VendorRule | null> {
    const t = this.c.t.vendorRules;
    const [r] = await this.c.run((db) =>
      db
        .select()
        .from(t)
        .where(and(eq(t.teamId, teamId), eq(t.vendorId, vendorId)))
        .limit(1),
    );
    return r ? toRule(r) : null;
  }

  /** A workspace's rules by vendor name; `search` matches the start of a word of the name (case-insensitive). */
  async list(teamId: string, o: { search?: string; limit?: number } = {}): Promise<VendorRule[]> {
    const t = this.c.t.vendorRules;
    const q = (o.search ?? '')
      .trim()
      .toLowerCase()
      .replace(/[%_\\]/g, '');
    const where = q
      ? and(eq(t.teamId, teamId), sql`(lower(${t.vendorName}) like ${`${q}%`} or lower(${t.vendorName}) like ${`% ${q}%`})`)
      : eq(t.teamId, teamId);
    const rows = await this.c.run((db) =>
      db
        .select()
        .from(t)
        .where(where)
        .orderBy(asc(sql`lower(${t.vendorName})`))
        .limit(o.limit ?? 100),
    );
    return rows.map(toRule);
  }

  /**
   * After an invoice from the vendor is booked: the same coding as last time lengthens the streak, another starts
   * over at 1. A pinned rule is left as it is. Returns the rule as it now stands.
   */
  async learn(teamId: string, vendor: { id: string; name: string }, coding: Coding): Promise<VendorRule> {
    return this.c.tx(async (tx) => {
      const t = tx.t.vendorRules;
      const [cur] = await tx.run((db) =>
        db
          .select()
          .from(t)
          .where(and(eq(t.teamId, teamId), eq(t.vendorId, vendor.id)))
          .limit(1),
      );
      if (cur?.pinned) return toRule(cur);
      const streak = cur && sameCoding(toRule(cur), coding) ? cur.streak + 1 : 1;
      const values = { vendorName: vendor.name, ...coding, streak, updatedBy: 'learned', updatedAt: Date.now() };
      const [row] = await tx.run((db) =>
        db
          .insert(t)
          .values({ teamId, vendorId: vendor.id, ...values })
          .onConflictDoUpdate({ target: [t.teamId, t.vendorId], set: values })
          .returning(),
      );
      return toRule(row);
    });
  }

  /** An admin pins (or edits) a rule: learning never overwrites it. */
  async pin(teamId: string, vendor: { id: string; name: string }, coding: Coding & { autoBook: boolean }, by: string): Promise<VendorRule> {
    const t = this.c.t.vendorRules;
    const values = { vendorName: vendor.name, ...coding, pinned: true, updatedBy: by, updatedAt: Date.now() };
    const [row] = await this.c.run((db) =>
      db
        .insert(t)
        .values({ teamId, vendorId: vendor.id, ...values })
        .onConflictDoUpdate({ target: [t.teamId, t.vendorId], set: values })
        .returning(),
    );
    return toRule(row);
  }

  /** Deletes a rule (learning starts again with the next booked invoice). True when there was one. */
  async remove(teamId: string, vendorId: string): Promise<boolean> {
    const t = this.c.t.vendorRules;
    const gone = await this.c.run((db) =>
      db
        .delete(t)
        .where(and(eq(t.teamId, teamId), eq(t.vendorId, vendorId)))
        .returning({ v: t.vendorId }),
    );
    return gone.length > 0;
  }
}

/** A stored rule (its type column is free text) as a VendorRule. */
function toRule(r: Omit<VendorRule, 'txnType'> & { txnType: string | null }): VendorRule {
  return {
    vendorId: r.vendorId,
    vendorName: r.vendorName,
    txnType: r.txnType === 'Bill' || r.txnType === 'Expense' ? r.txnType : null,
    purchaseAccountId: r.purchaseAccountId,
    costCodeProfileId: r.costCodeProfileId,
    memoPattern: r.memoPattern,
    streak: r.streak,
    pinned: r.pinned,
    autoBook: r.pinned && r.autoBook,
    updatedBy: r.updatedBy,
  };
}
