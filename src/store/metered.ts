import { and, eq, sql } from 'drizzle-orm';
import type { Conn } from './conn.ts';

/** Intuit's metered calls per workspace, company and month ("2026-12"). */
export class MeteredStore {
  constructor(private readonly c: Conn) {}

  async add(teamId: string, realmId: string, month: string): Promise<void> {
    const m = this.c.t.qboMeteredCalls;
    await this.c.run((db) =>
      db
        .insert(m)
        .values({ teamId, realmId, month, calls: 1 })
        .onConflictDoUpdate({ target: [m.teamId, m.realmId, m.month], set: { calls: sql`${m.calls} + 1` } }),
    );
  }

  async forTeam(teamId: string, month: string): Promise<number> {
    const m = this.c.t.qboMeteredCalls;
    const [row] = await this.c.run((db) =>
      db
        .select({ n: sql<number>`coalesce(sum(${m.calls}), 0)` })
        .from(m)
        .where(and(eq(m.teamId, teamId), eq(m.month, month))),
    );
    return Number(row?.n ?? 0);
  }

  async month(month: string): Promise<{ total: number; companies: number; max: number }> {
    const m = this.c.t.qboMeteredCalls;
    const [row] = await this.c.run((db) =>
      db
        .select({
          total: sql<number>`coalesce(sum(${m.calls}), 0)`,
          companies: sql<number>`count(*)`,
          max: sql<number>`coalesce(max(${m.calls}), 0)`,
        })
        .from(m)
        .where(eq(m.month, month)),
    );
    return { total: Number(row?.total ?? 0), companies: Number(row?.companies ?? 0), max: Number(row?.max ?? 0) };
  }
}
