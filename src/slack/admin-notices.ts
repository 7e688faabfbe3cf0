import { and, eq, isNotNull, like, sql } from 'drizzle-orm';
import type { Db } from '../store/sqlite/client.ts';
import { adminNotices } from '../store/sqlite/schema.ts';

/**
 * One admin DM per cause (a broken connection, an unlinked profile …), not one per invoice. A notice is claimed
 * before it is sent and resolved when its cause is fixed; only then can the same cause notify again.
 */

/** True when this caller should send the notice for (team, cause): the first time, or again after it was resolved. */
export function claimNotice(db: Db, teamId: string, cause: string): boolean {
  const now = new Date().toISOString();
  const res = db
    .insert(adminNotices)
    .values({ teamId, cause, sentAt: now })
    .onConflictDoUpdate({
      target: [adminNotices.teamId, adminNotices.cause],
      set: { sentAt: now, resolvedAt: sql`null` },
      setWhere: isNotNull(adminNotices.resolvedAt),
    })
    .run();
  return res.changes > 0;
}

export function resolveNotice(db: Db, teamId: string, cause: string): void {
  db.update(adminNotices)
    .set({ resolvedAt: new Date().toISOString() })
    .where(and(eq(adminNotices.teamId, teamId), eq(adminNotices.cause, cause)))
    .run();
}

/** Resolves every notice of a team whose cause starts with `prefix` (e.g. the per-person outage DMs; `_` in it may match any one character). */
export function resolveNoticesLike(db: Db, teamId: string, prefix: string): void {
  db.update(adminNotices)
    .set({ resolvedAt: new Date().toISOString() })
    .where(and(eq(adminNotices.teamId, teamId), like(adminNotices.cause, `${prefix}%`)))
    .run();
}
