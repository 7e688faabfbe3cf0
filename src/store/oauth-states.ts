import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import type { Conn } from './conn.ts';

export interface OAuthState {
  state: string;
  teamId: string;
  userId: string;
  viewId: string | null;
}

/** Single-use OAuth `state` values (and used connect links, as `link:<n>`) for the QBO consent flow. */
export class OAuthStateStore {
  constructor(private readonly c: Conn) {}

  /** Forgets states that expired before `at`. */
  async pruneBefore(at: number): Promise<void> {
    const o = this.c.t.oauthStates;
    await this.c.run((db) => db.delete(o).where(lt(o.expiresAt, at)));
  }

  /** Records `state` as used now; false when it was recorded already (a second use). */
  async insertUsed(v: { state: string; teamId: string; userId: string; expiresAt: number; usedAt: number }): Promise<boolean> {
    const o = this.c.t.oauthStates;
    const rows = await this.c.run((db) => db.insert(o).values(v).onConflictDoNothing().returning({ state: o.state }));
    return rows.length === 1;
  }

  async insert(v: { state: string; teamId: string; userId: string; viewId: string | null; expiresAt: number }): Promise<void> {
    const o = this.c.t.oauthStates;
    await this.c.run((db) => db.insert(o).values(v));
  }

  /** Claims a state that exists, is unused and unexpired, in one statement (a concurrent replay gets null). */
  async claim(state: string, now: number): Promise<OAuthState | null> {
    const o = this.c.t.oauthStates;
    const rows = await this.c.run((db) =>
      db
        .update(o)
        .set({ usedAt: now })
        .where(and(eq(o.state, state), isNull(o.usedAt), gt(o.expiresAt, now)))
        .returning({ state: o.state, teamId: o.teamId, userId: o.userId, viewId: o.viewId }),
    );
    return rows[0] ?? null;
  }
}
