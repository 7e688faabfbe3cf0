import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Conn } from './conn.ts';

export interface QboChangeRow {
  id: number;
  teamId: string;
  realmId: string;
  entity: string;
  qboId: string;
  operation: string;
  lastUpdated: number | null;
  receivedAt: number;
  processedAt: number | null;
}

/** QBO webhook rows as received, the version of each object applied, and each workspace's CDC cursor. */
export class QboChangeStore {
  constructor(private readonly c: Conn) {}

  async add(rows: Omit<QboChangeRow, 'id' | 'processedAt'>[]): Promise<void> {
    if (!rows.length) return;
    const q = this.c.t.qboChanges;
    await this.c.run((db) => db.insert(q).values(rows));
  }

  async pending(teamId: string): Promise<QboChangeRow[]> {
    const q = this.c.t.qboChanges;
    return this.c.run((db) =>
      db
        .select()
        .from(q)
        .where(and(eq(q.teamId, teamId), isNull(q.processedAt))),
    );
  }

  async markProcessed(ids: number[], at: number): Promise<void> {
    const q = this.c.t.qboChanges;
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      await this.c.run((db) => db.update(q).set({ processedAt: at }).where(inArray(q.id, chunk)));
    }
  }

  /** The QBO version (epoch ms) of the object last applied; 0 when none. */
  async appliedVersion(teamId: string, entity: string, qboId: string): Promise<number> {
    const v = this.c.t.qboEntityVersions;
    const [row] = await this.c.run((db) =>
      db
        .select({ v: v.lastUpdated })
        .from(v)
        .where(and(eq(v.teamId, teamId), eq(v.entity, entity), eq(v.qboId, qboId)))
        .limit(1),
    );
    return row?.v ?? 0;
  }

  /** Records `version` as applied, never moving a stored version backwards. */
  async recordVersion(teamId: string, entity: string, qboId: string, version: number): Promise<void> {
    const v = this.c.t.qboEntityVersions;
    const newer =
      this.c.dialect === 'sqlite' ? sql`max(${v.lastUpdated}, excluded.last_updated)` : sql`greatest(${v.lastUpdated}, excluded.last_updated)`;
    await this.c.run((db) =>
      db
        .insert(v)
        .values({ teamId, entity, qboId, lastUpdated: version })
        .onConflictDoUpdate({ target: [v.teamId, v.entity, v.qboId], set: { lastUpdated: newer } }),
    );
  }

  async cursor(teamId: string): Promise<{ changedSince: number; ranAt: number } | null> {
    const k = this.c.t.qboCdcCursors;
    const [row] = await this.c.run((db) => db.select({ changedSince: k.changedSince, ranAt: k.ranAt }).from(k).where(eq(k.teamId, teamId)).limit(1));
    return row ?? null;
  }

  async setCursor(teamId: string, changedSince: number, ranAt: number): Promise<void> {
    const k = this.c.t.qboCdcCursors;
    await this.c.run((db) =>
      db.insert(k).values({ teamId, changedSince, ranAt }).onConflictDoUpdate({ target: k.teamId, set: { changedSince, ranAt } }),
    );
  }
}
