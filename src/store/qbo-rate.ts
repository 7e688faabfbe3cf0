import { and, asc, eq, inArray, isNotNull, isNull, lt, lte, sql } from 'drizzle-orm';
import type { Conn } from './conn.ts';

/** One company's limits as the shared limiter applies them (budget already has the margin taken off). */
export interface RateRule {
  /** Requests in flight at once (Intuit: 10). */
  maxConcurrent: number;
  /** Requests in flight or answered within the last `spanMs` (Intuit: 500 a minute, less the margin). */
  budget: number;
  /** How long an answered request keeps counting: one window, padded. */
  spanMs: number;
  /** How long an in-flight request holds its slot without its instance renewing it. */
  leaseMs: number;
}

export interface RateGrant {
  /** Slot ids granted (fewer than asked when the company is at its limit). */
  ids: number[];
  /** When fewer were granted: how long until a slot frees by itself (window or pause), or null when only an answer in flight frees one. */
  retryInMs: number | null;
}

/**
 * QBO's per-company limits in the database, so every instance on it draws from one budget. A request holds a slot
 * row from its start; once answered the row counts for one more window, then goes. Acquiring locks the realm's
 * `qbo_rate` row first (an UPDATE: a row lock on Postgres, the write lock on SQLite), so two instances never both
 * see the last free slot. A killed instance's slots stop counting as in flight when their lease runs out (they then
 * count as answered at that moment, for one window).
 */
export class QboRateStore {
  constructor(private readonly c: Conn) {}

  async acquire(realmId: string, holder: string, want: number, rule: RateRule, now = Date.now()): Promise<RateGrant> {
    return this.c.tx(async (t) => {
      const { qboRate, qboRateSlots: s } = t.t;
      await t.run((db) => db.insert(qboRate).values({ realmId }).onConflictDoNothing());
      const [lock] = await t.run((db) =>
        db
          .update(qboRate)
          .set({ pausedUntil: sql`${qboRate.pausedUntil}` })
          .where(eq(qboRate.realmId, realmId))
          .returning({ pausedUntil: qboRate.pausedUntil }),
      );
      await t.run((db) =>
        db
          .update(s)
          .set({ answeredAt: sql`${s.leaseUntil}` })
          .where(and(eq(s.realmId, realmId), isNull(s.answeredAt), lt(s.leaseUntil, now))),
      );
      await t.run((db) => db.delete(s).where(and(eq(s.realmId, realmId), isNotNull(s.answeredAt), lte(s.answeredAt, now - rule.spanMs))));
      const [counts] = await t.run((db) =>
        db
          .select({
            total: sql<number>`count(*)`,
            inFlight: sql<number>`coalesce(sum(case when ${s.answeredAt} is null then 1 else 0 end), 0)`,
            oldest: sql<number | null>`min(${s.answeredAt})`,
          })
          .from(s)
          .where(eq(s.realmId, realmId)),
      );
      const total = Number(counts.total);
      const inFlight = Number(counts.inFlight);
      const pausedUntil = Number(lock.pausedUntil);
      const open = now >= pausedUntil;
      const n = open ? Math.max(0, Math.min(want, rule.maxConcurrent - inFlight, rule.budget - total)) : 0;
      let ids: number[] = [];
      if (n > 0) {
        const rows = Array.from({ length: n }, () => ({ realmId, holder, startedAt: now, leaseUntil: now + rule.leaseMs }));
        ids = (await t.run((db) => db.insert(s).values(rows).returning({ id: s.id }))).map((r) => r.id);
      }
      if (ids.length >= want) return { ids, retryInMs: null };
      if (!open) return { ids, retryInMs: pausedUntil - now };
      // Blocked by the window (not by requests in flight): the oldest answer leaves it at a known time.
      const byWindow = inFlight + n < rule.maxConcurrent && counts.oldest != null;
      return { ids, retryInMs: byWindow ? Math.max(1, Number(counts.oldest) + rule.spanMs - now) : null };
    });
  }

  /** The request holding `id` was answered (or failed): it counts for one more window from now. */
  async release(ids: number[], now = Date.now()): Promise<void> {
    if (!ids.length) return;
    const s = this.c.t.qboRateSlots;
    await this.c.run((db) =>
      db
        .update(s)
        .set({ answeredAt: now })
        .where(and(inArray(s.id, ids), isNull(s.answeredAt))),
    );
  }

  /** Keeps this holder's requests in flight counted as such (its heartbeat). */
  async renew(holder: string, leaseUntil: number): Promise<number> {
    const s = this.c.t.qboRateSlots;
    const rows = await this.c.run((db) =>
      db
        .update(s)
        .set({ leaseUntil })
        .where(and(eq(s.holder, holder), isNull(s.answeredAt)))
        .returning({ id: s.id }),
    );
    return rows.length;
  }

  /** Intuit throttled this company: nobody starts a request to it before `until`. */
  async pause(realmId: string, until: number): Promise<void> {
    await this.c.tx(async (t) => {
      const { qboRate } = t.t;
      await t.run((db) => db.insert(qboRate).values({ realmId }).onConflictDoNothing());
      await t.run((db) =>
        db
          .update(qboRate)
          .set({ pausedUntil: until })
          .where(and(eq(qboRate.realmId, realmId), lt(qboRate.pausedUntil, until))),
      );
    });
  }

  /** Slots of a realm, oldest first (tests and diagnostics). */
  async slots(realmId: string) {
    const s = this.c.t.qboRateSlots;
    return this.c.run((db) => db.select().from(s).where(eq(s.realmId, realmId)).orderBy(asc(s.id)));
  }
}
