import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lte, ne, sql } from 'drizzle-orm';
import type { Conn } from './conn.ts';
import type { OutboxKind } from './sqlite/schema.ts';

export type { OutboxKind };

/** A message to send after a change: written in the change's transaction, delivered by the outbox loop. */
export interface OutboxMessage {
  teamId: string;
  kind: OutboxKind;
  /** `card:<invoiceId>` for a card (one key per card, a row per update); unique otherwise (sent once per key). */
  key: string;
  payload: Record<string, unknown>;
  /** Not before this (epoch ms); now when absent. */
  notBefore?: number;
}

export interface OutboxRow {
  id: number;
  teamId: string;
  kind: OutboxKind;
  key: string;
  payload: Record<string, unknown>;
  attempts: number;
  ts: string | null;
}

/** A claimed card update: the newest payload of the card's undelivered rows up to `throughId` (the card shows the latest). */
export interface CardClaim extends OutboxRow {
  throughId: number;
}

/** The durable outbox (table `outbox`), against `Conn` so the same code runs on SQLite and Postgres. */
export class OutboxStore {
  constructor(private readonly c: Conn) {}

  /** Adds messages, through `c` when given (the caller's transaction). A key already used by a dm/notice is skipped. */
  async add(messages: OutboxMessage[], c: Conn = this.c): Promise<number> {
    if (!messages.length) return 0;
    const now = Date.now();
    const rows = await c.run((db) =>
      db
        .insert(c.t.outbox)
        .values(
          messages.map((m) => ({
            teamId: m.teamId,
            kind: m.kind,
            key: m.key,
            payload: m.payload,
            nextAt: m.notBefore ?? now,
            createdAt: now,
          })),
        )
        .onConflictDoNothing()
        .returning({ id: c.t.outbox.id }),
    );
    return rows.length;
  }

  /**
   * Claims up to `limit` due rows for `leaseMs` (their `next_at` moves out, so another loop or instance skips
   * them). A card row is due only when it is its card's oldest undelivered row: updates of one card go in order.
   */
  async claimDue(limit: number, leaseMs: number, lockedBy: string): Promise<Array<OutboxRow | CardClaim>> {
    if (this.c.dialect === 'postgres') return this.claimDueSkipLocked(limit, leaseMs, lockedBy);
    return this.c.tx(async (t) => {
      const now = Date.now();
      const o = t.t.outbox;
      const due = await t.run((db) =>
        db
          .select()
          .from(o)
          .where(and(isNull(o.deliveredAt), lte(o.nextAt, now)))
          .orderBy(asc(o.id))
          .limit(limit * 4),
      );
      const out: Array<OutboxRow | CardClaim> = [];
      const cards = new Set<string>();
      for (const r of due) {
        if (out.length >= limit) break;
        let row: OutboxRow | CardClaim = toRow(r);
        if (r.kind === 'card') {
          if (cards.has(r.key)) continue;
          cards.add(r.key);
          const older = await t.run((db) =>
            db
              .select({ id: o.id })
              .from(o)
              .where(and(eq(o.key, r.key), eq(o.kind, 'card'), isNull(o.deliveredAt), sql`${o.id} < ${r.id}`))
              .limit(1),
          );
          if (older.length) continue; // an earlier update of this card is in flight or waiting
          const later = await t.run((db) =>
            db
              .select()
              .from(o)
              .where(and(eq(o.key, r.key), eq(o.kind, 'card'), isNull(o.deliveredAt), gt(o.id, r.id)))
              .orderBy(asc(o.id)),
          );
          const last = later.at(-1) ?? r;
          row = { ...toRow(r), payload: last.payload, throughId: last.id };
        }
        const claimed = await t.run((db) =>
          db
            .update(o)
            .set({ nextAt: now + leaseMs, lockedBy })
            .where(and(eq(o.id, r.id), isNull(o.deliveredAt), lte(o.nextAt, now)))
            .returning({ id: o.id }),
        );
        if (claimed.length) out.push(row);
      }
      return out;
    });
  }

  /**
   * Postgres: the same claim as one UPDATE over rows picked with FOR UPDATE SKIP LOCKED, outside a serializable
   * transaction. Every instance's loop claims all the time, and as a serializable transaction reading the whole due
   * set it lost races to every status change writing an outbox row (and made them lose theirs at commit), so both
   * ran many times over. Here instances claiming at once each take different rows; a card row still goes only when
   * no older row of its card is undelivered (one in flight is undelivered), so a card's updates stay in order.
   */
  private async claimDueSkipLocked(limit: number, leaseMs: number, lockedBy: string): Promise<Array<OutboxRow | CardClaim>> {
    const now = Date.now();
    const o = this.c.t.outbox;
    const pick = sql`SELECT r.id FROM outbox r WHERE r.delivered_at IS NULL AND r.next_at <= ${now} AND (r.kind <> 'card' OR NOT EXISTS (SELECT 1 FROM outbox e WHERE e.key = r.key AND e.kind = 'card' AND e.delivered_at IS NULL AND e.id < r.id)) ORDER BY r.id LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    const claimed = await this.c.run((db) =>
      db
        .update(o)
        .set({ nextAt: now + leaseMs, lockedBy })
        .where(and(sql`${o.id} IN (${pick})`, isNull(o.deliveredAt), lte(o.nextAt, now)))
        .returning(),
    );
    const out: Array<OutboxRow | CardClaim> = [];
    for (const r of claimed.sort((a, b) => a.id - b.id)) {
      if (r.kind !== 'card') {
        out.push(toRow(r));
        continue;
      }
      // The card shows its latest state: the newest undelivered update rides along (marked delivered with it).
      const [last] = await this.c.run((db) =>
        db
          .select({ id: o.id, payload: o.payload })
          .from(o)
          .where(and(eq(o.key, r.key), eq(o.kind, 'card'), isNull(o.deliveredAt), gt(o.id, r.id)))
          .orderBy(desc(o.id))
          .limit(1),
      );
      out.push({ ...toRow(r), payload: last?.payload ?? r.payload, throughId: last?.id ?? r.id });
    }
    return out;
  }

  /** Takes back the claims of loops that are gone (a crashed process): their rows are due again now. */
  async releaseGone(isGone: (lockedBy: string) => boolean): Promise<number> {
    const o = this.c.t.outbox;
    const held = await this.c.run((db) =>
      db
        .selectDistinct({ by: o.lockedBy })
        .from(o)
        .where(and(isNull(o.deliveredAt), isNotNull(o.lockedBy))),
    );
    let n = 0;
    for (const { by } of held) {
      if (!by || !isGone(by)) continue;
      const rows = await this.c.run((db) =>
        db
          .update(o)
          .set({ nextAt: Date.now(), lockedBy: null })
          .where(and(isNull(o.deliveredAt), eq(o.lockedBy, by)))
          .returning({ id: o.id }),
      );
      n += rows.length;
    }
    return n;
  }

  /** Marks a row (a card: every row of it up to `throughId`) delivered, keeping the posted message's ts. */
  async delivered(row: OutboxRow | CardClaim, ts: string | null = null): Promise<void> {
    const o = this.c.t.outbox;
    const now = Date.now();
    await this.c.tx(async (t) => {
      await t.run((db) =>
        db
          .update(o)
          .set({ deliveredAt: now, ts: ts ?? row.ts, lockedBy: null })
          .where(eq(o.id, row.id)),
      );
      if ('throughId' in row && row.throughId > row.id) {
        await t.run((db) =>
          db
            .update(o)
            .set({ deliveredAt: now })
            .where(and(eq(o.key, row.key), eq(o.kind, 'card'), isNull(o.deliveredAt), gt(o.id, row.id), lte(o.id, row.throughId))),
        );
      }
    });
  }

  /** Tries a row again at `at`, counting the attempt. */
  async retryAt(id: number, at: number, error: string): Promise<void> {
    const o = this.c.t.outbox;
    await this.c.run((db) =>
      db
        .update(o)
        .set({
          nextAt: at,
          lockedBy: null,
          attempts: sql`${o.attempts} + 1`,
          lastError: error.slice(0, 500),
        })
        .where(eq(o.id, id)),
    );
  }

  /** Gives up on a row (it stays, delivered_at unset, next_at far out, for an operator to see). */
  async abandon(id: number, error: string): Promise<void> {
    await this.retryAt(id, Number.MAX_SAFE_INTEGER, `abandoned: ${error}`);
  }

  /** The ts of a card's posted message, if it was posted. */
  async cardTs(key: string): Promise<string | null> {
    const o = this.c.t.outbox;
    const rows = await this.c.run((db) =>
      db
        .select({ ts: o.ts })
        .from(o)
        .where(and(eq(o.key, key), eq(o.kind, 'card'), isNotNull(o.ts)))
        .limit(1),
    );
    return rows[0]?.ts ?? null;
  }

  /** Replaces a notice by the DMs it calls for, in one transaction: a crash in between re-expands it, each DM once. */
  async expand(notice: OutboxRow, dms: OutboxMessage[]): Promise<void> {
    await this.c.tx(async (t) => {
      await this.add(dms, t);
      await t.run((db) => db.update(t.t.outbox).set({ deliveredAt: Date.now() }).where(eq(t.t.outbox.id, notice.id)));
    });
  }

  /** Undelivered rows due by now (what an idle wait waits for). */
  async dueCount(kinds?: OutboxKind[]): Promise<number> {
    const o = this.c.t.outbox;
    const conds = [isNull(o.deliveredAt), lte(o.nextAt, Date.now())];
    if (kinds) conds.push(inArray(o.kind, kinds));
    const rows = await this.c.run((db) =>
      db
        .select({ n: sql<number>`count(*)` })
        .from(o)
        .where(and(...conds)),
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** Rows of a team not yet delivered (tests, health). */
  async undelivered(teamId: string): Promise<OutboxRow[]> {
    const o = this.c.t.outbox;
    const rows = await this.c.run((db) =>
      db
        .select()
        .from(o)
        .where(and(eq(o.teamId, teamId), isNull(o.deliveredAt), ne(o.nextAt, Number.MAX_SAFE_INTEGER)))
        .orderBy(asc(o.id)),
    );
    return rows.map(toRow);
  }
}

/** The row's public fields (a selected row has more: lease, delivery times). */
function toRow(r: OutboxRow): OutboxRow {
  return {
    id: r.id,
    teamId: r.teamId,
    kind: r.kind,
    key: r.key,
    payload: r.payload,
    attempts: r.attempts,
    ts: r.ts,
  };
}
