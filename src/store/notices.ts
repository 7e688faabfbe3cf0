import { and, eq, isNotNull, like, sql } from 'drizzle-orm';
import type { Conn } from './conn.ts';

/**
 * One admin DM per cause (a broken connection, an unlinked profile …), not one per invoice. A notice is claimed
 * before it is sent and resolved when its cause is fixed; only then can the same cause notify again.
 */
export class NoticeStore {
  constructor(private readonly c: Conn) {}

  /** True when this caller should send the notice for (team, cause): the first time, or again after it was resolved. */
  async claim(teamId: string, cause: string): Promise<boolean> {
    const n = this.c.t.adminNotices;
    const now = Date.now();
    const rows = await this.c.run((db) =>
      db
        .insert(n)
        .values({ teamId, cause, sentAt: now })
        .onConflictDoUpdate({ target: [n.teamId, n.cause], set: { sentAt: now, resolvedAt: sql`null` }, setWhere: isNotNull(n.resolvedAt) })
        .returning({ cause: n.cause }),
    );
    return rows.length > 0;
  }

  async resolve(teamId: string, cause: string): Promise<void> {
    const n = this.c.t.adminNotices;
    await this.c.run((db) =>
      db
        .update(n)
        .set({ resolvedAt: Date.now() })
        .where(and(eq(n.teamId, teamId), eq(n.cause, cause))),
    );
  }

  /** Resolves every notice of a team whose cause starts with `prefix` (`_` in it may match any one character). */
  async resolveLike(teamId: string, prefix: string): Promise<void> {
    const n = this.c.t.adminNotices;
    await this.c.run((db) =>
      db
        .update(n)
        .set({ resolvedAt: Date.now() })
        .where(and(eq(n.teamId, teamId), like(n.cause, `${prefix}%`))),
    );
  }
}
