import { and, eq, lt, or } from 'drizzle-orm';
import type { Conn } from './conn.ts';

/**
 * One token refresh per workspace at a time across instances: a lease row per workspace. Taking it is one
 * conditional upsert (free, expired, or already ours), so two instances never both hold it; no transaction stays
 * open across the call to Intuit (on Postgres a serializable retry would repeat that call, and on SQLite it would
 * hold every writer off).
 */
export class RefreshLockStore {
  constructor(private readonly c: Conn) {}

  async take(teamId: string, holder: string, ms: number, now = Date.now()): Promise<boolean> {
    const l = this.c.t.qboRefreshLocks;
    const rows = await this.c.run((db) =>
      db
        .insert(l)
        .values({ teamId, holder, until: now + ms })
        .onConflictDoUpdate({ target: l.teamId, set: { holder, until: now + ms }, setWhere: or(lt(l.until, now), eq(l.holder, holder)) })
        .returning({ holder: l.holder }),
    );
    return rows.length === 1 && rows[0].holder === holder;
  }

  async release(teamId: string, holder: string): Promise<void> {
    const l = this.c.t.qboRefreshLocks;
    await this.c.run((db) => db.delete(l).where(and(eq(l.teamId, teamId), eq(l.holder, holder))));
  }
}
