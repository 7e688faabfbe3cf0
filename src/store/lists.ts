import { and, asc, count, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Conn } from './conn.ts';
import type { QboListEntity } from './sqlite/schema.ts';
export type { QboListEntity };
import { ftsMatch, ftsScope, prefixRange, queryWords } from './sqlite/fts.ts';
import { lowerC, matchesWords, wordPrefixQuery } from './postgres/search.ts';

export interface ListItem {
  entity: QboListEntity;
  id: string;
  name: string;
  fullName: string;
  type: string | null;
  subType: string | null;
  parentId: string | null;
  active: boolean;
}

export interface ListSearch {
  types?: readonly string[];
  includeInactive?: boolean;
  limit?: number;
}

/** One cached QBO list record as written (without team and entity). */
export type ListRow = Omit<ListItem, 'entity'>;

/** Stores how many rows the list holds now, in the caller's transaction (after its writes to the list). */
async function recount(t: Conn, teamId: string, entity: QboListEntity): Promise<void> {
  const { qboListItems: i, qboListCounts: n } = t.t;
  const rows = sql`(select count(*) from ${i} where ${i.teamId} = ${teamId} and ${i.entity} = ${entity})`;
  await t.run((db) =>
    db
      .insert(n)
      .values({ teamId, entity, n: rows })
      .onConflictDoUpdate({ target: [n.teamId, n.entity], set: { n: rows } }),
  );
}

const byFullName = (a: ListItem, b: ListItem) => {
  const x = a.fullName.toLowerCase();
  const y = b.fullName.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * The local copy of QBO lists (qbo_list_items) and when each was last refreshed. Every read is bounded by an index
 * and a LIMIT. Word search uses SQLite's FTS5 table (migration 0002_perf); on Postgres, GIN tsvector indexes (postgres/search.ts).
 */
export class ListStore {
  constructor(private readonly c: Conn) {}

  private cols() {
    const i = this.c.t.qboListItems;
    return {
      entity: i.entity,
      id: i.qboId,
      name: i.name,
      fullName: i.fullName,
      type: i.type,
      subType: i.subType,
      parentId: i.parentId,
      active: i.active,
    };
  }

  /** Writes rows in one transaction; a row that is already as given is left alone (no FTS churn). */
  async upsert(teamId: string, entity: QboListEntity, rows: ListRow[]): Promise<void> {
    if (!rows.length) return;
    const i = this.c.t.qboListItems;
    const differs = this.c.dialect === 'sqlite' ? 'IS NOT' : 'IS DISTINCT FROM';
    const changed = sql.join(
      (['name', 'full_name', 'type', 'sub_type', 'parent_id', 'active'] as const).map((col) =>
        sql.raw(`qbo_list_items.${col} ${differs} excluded.${col}`),
      ),
      sql` OR `,
    );
    const set = {
      name: sql`excluded.name`,
      fullName: sql`excluded.full_name`,
      type: sql`excluded.type`,
      subType: sql`excluded.sub_type`,
      parentId: sql`excluded.parent_id`,
      active: sql`excluded.active`,
    };
    await this.c.tx(async (t) => {
      await t.run((db) => db.insert(t.t.workspaces).values({ teamId }).onConflictDoNothing());
      for (let k = 0; k < rows.length; k += 100) {
        const values = rows.slice(k, k + 100).map((r) => ({
          teamId,
          entity,
          qboId: r.id,
          name: r.name,
          fullName: r.fullName,
          type: r.type,
          subType: r.subType,
          parentId: r.parentId,
          active: r.active,
        }));
        await t.run((db) =>
          db
            .insert(i)
            .values(values)
            .onConflictDoUpdate({ target: [i.teamId, i.entity, i.qboId], set, setWhere: changed }),
        );
      }
      await recount(t, teamId, entity);
    });
  }

  async ids(teamId: string, entity: QboListEntity): Promise<string[]> {
    const i = this.c.t.qboListItems;
    const rows = await this.c.run((db) =>
      db
        .select({ id: i.qboId })
        .from(i)
        .where(and(eq(i.teamId, teamId), eq(i.entity, entity))),
    );
    return rows.map((r) => r.id);
  }

  async remove(teamId: string, entity: QboListEntity, ids: string[]): Promise<void> {
    if (!ids.length) return;
    const i = this.c.t.qboListItems;
    await this.c.tx(async (t) => {
      const gone = await t.run((db) =>
        db
          .delete(i)
          .where(and(eq(i.teamId, teamId), eq(i.entity, entity), inArray(i.qboId, ids)))
          .returning({ id: i.qboId }),
      );
      if (gone.length) await recount(t, teamId, entity);
    });
  }

  /** Forgets a workspace's whole cache (its QBO company changed): the items and when each list was read. */
  async forgetTeam(teamId: string): Promise<void> {
    const i = this.c.t.qboListItems;
    const r = this.c.t.qboListRefreshes;
    const n = this.c.t.qboListCounts;
    await this.c.tx(async (t) => {
      await t.run((db) => db.delete(i).where(eq(i.teamId, teamId)));
      await t.run((db) => db.delete(r).where(eq(r.teamId, teamId)));
      await t.run((db) => db.delete(n).where(eq(n.teamId, teamId)));
    });
  }

  /** Records when a list was last read from QBO (an empty list too: the workspace row is made if need be). */
  async markRefreshed(teamId: string, entity: QboListEntity, at: number): Promise<void> {
    const r = this.c.t.qboListRefreshes;
    await this.c.tx(async (t) => {
      await t.run((db) => db.insert(t.t.workspaces).values({ teamId }).onConflictDoNothing());
      await t.run((db) =>
        db
          .insert(r)
          .values({ teamId, entity, refreshedAt: at })
          .onConflictDoUpdate({ target: [r.teamId, r.entity], set: { refreshedAt: at } }),
      );
    });
  }

  async refreshedAt(teamId: string, entity: QboListEntity): Promise<number | null> {
    const r = this.c.t.qboListRefreshes;
    const [row] = await this.c.run((db) =>
      db
        .select({ at: r.refreshedAt })
        .from(r)
        .where(and(eq(r.teamId, teamId), eq(r.entity, entity)))
        .limit(1),
    );
    return row?.at ?? null;
  }

  async get(teamId: string, entity: QboListEntity, id: string): Promise<ListItem | null> {
    const i = this.c.t.qboListItems;
    const [row] = await this.c.run((db) =>
      db
        .select(this.cols())
        .from(i)
        .where(and(eq(i.teamId, teamId), eq(i.entity, entity), eq(i.qboId, id)))
        .limit(1),
    );
    return row ?? null;
  }

  /** Several records of one list in one query, in the order of `ids` (ids not cached are left out). */
  async getMany(teamId: string, entity: QboListEntity, ids: readonly string[]): Promise<ListItem[]> {
    if (!ids.length) return [];
    const i = this.c.t.qboListItems;
    const found = new Map<string, ListItem>();
    // Chunks stay well under SQLite's bound-parameter limit whatever the caller passes.
    for (let k = 0; k < ids.length; k += 500) {
      const chunk = [...new Set(ids.slice(k, k + 500))];
      const rows = await this.c.run((db) =>
        db
          .select(this.cols())
          .from(i)
          .where(and(eq(i.teamId, teamId), eq(i.entity, entity), inArray(i.qboId, chunk))),
      );
      for (const r of rows) found.set(r.id, r);
    }
    return ids.flatMap((id) => found.get(id) ?? []);
  }

  /**
   * How many records each cached list holds for the workspace (0 for a list not cached): the counts every write
   * keeps (qbo_list_counts), five rows, where a grouped count over the lists cost ~1.15 ms per settings modal.
   */
  async counts(teamId: string): Promise<Record<QboListEntity, number>> {
    const n = this.c.t.qboListCounts;
    const rows = await this.c.run((db) => db.select({ entity: n.entity, n: n.n }).from(n).where(eq(n.teamId, teamId)));
    const out: Record<QboListEntity, number> = { Account: 0, Customer: 0, Item: 0, Vendor: 0, Class: 0 };
    for (const r of rows) out[r.entity] = Number(r.n);
    return out;
  }

  async count(teamId: string, entity: QboListEntity): Promise<number> {
    const i = this.c.t.qboListItems;
    const [row] = await this.c.run((db) =>
      db
        .select({ n: count() })
        .from(i)
        .where(and(eq(i.teamId, teamId), eq(i.entity, entity))),
    );
    return Number(row?.n ?? 0);
  }

  private filters(teamId: string, entity: QboListEntity, opts: ListSearch): SQL[] {
    const i = this.c.t.qboListItems;
    const conds: SQL[] = [eq(i.teamId, teamId), eq(i.entity, entity)];
    if (!opts.includeInactive) conds.push(eq(i.active, true));
    if (opts.types?.length) conds.push(inArray(i.type, [...opts.types]));
    return conds;
  }

  /**
   * Case-insensitive picker search: names starting with the query first, then names where every word starts a word
   * ("oak 2" finds "Oak Street:Phase 2"), each in full-name order; at most `limit` rows, each phase one indexed query.
   */
  async search(teamId: string, entity: QboListEntity, query: string, opts: ListSearch = {}): Promise<ListItem[]> {
    const i = this.c.t.qboListItems;
    const limit = opts.limit ?? 100;
    const conds = this.filters(teamId, entity, opts);
    const words = queryWords(query);
    if (!words.length) {
      return this.c.run((db) =>
        db
          .select(this.cols())
          .from(i)
          .where(and(...conds))
          .orderBy(asc(sql`lower(${i.fullName})`))
          .limit(limit),
      );
    }
    const [lo, hi] = prefixRange(words.join(' '));
    const lower = this.c.dialect === 'postgres' ? lowerC(i.name) : sql`lower(${i.name})`;
    const found = (
      await this.c.run((db) =>
        db
          .select(this.cols())
          .from(i)
          .where(and(...conds, gte(lower, lo), lt(lower, hi)))
          .orderBy(asc(lower))
          .limit(limit),
      )
    ).sort(byFullName);
    if (found.length >= limit) return found;
    const seen = new Set(found.map((r) => r.id));
    const more = (await this.wordMatches(teamId, entity, words, conds, limit + found.length)).filter((r) => !seen.has(r.id));
    return [...found, ...more.sort(byFullName)].slice(0, limit);
  }

  /**
   * Up to `limit` rows where every word starts a word of the name: FTS5 on SQLite, the GIN tsvector index on
   * Postgres; none when nothing in the words is searchable. On SQLite the FTS match drives the loop (rowid order,
   * filters checked per hit), so which rows make a capped page does not depend on `includeInactive`.
   */
  private async wordMatches(teamId: string, entity: QboListEntity, words: string[], conds: SQL[], limit: number): Promise<ListItem[]> {
    const i = this.c.t.qboListItems;
    if (this.c.dialect === 'sqlite') {
      const match = ftsMatch(ftsScope(teamId, entity), words);
      if (!match) return [];
      return this.c.run((db) =>
        db
          .select(this.cols())
          .from(sql`qbo_list_items_fts f`)
          .innerJoin(i, sql`${i}.rowid = f.rowid`)
          .where(and(sql`qbo_list_items_fts MATCH ${match}`, ...conds))
          .limit(limit),
      );
    }
    const q = wordPrefixQuery(words);
    if (!q) return [];
    return this.c.run((db) =>
      db
        .select(this.cols())
        .from(i)
        .where(and(...conds, matchesWords(sql`${i.fullName} || ' ' || ${i.name}`, q)))
        .limit(limit),
    );
  }

  /**
   * Active vendors having one of `words` as a whole word, those sharing the most (and rarest) first (FTS5's rank on
   * SQLite; elsewhere, the number of words shared).
   */
  async vendorCandidates(teamId: string, words: string[], limit = 200): Promise<ListItem[]> {
    const terms = [...new Set(words)].filter((w) => /^[\p{L}\p{N}]+$/u.test(w)).slice(0, 60);
    if (!terms.length) return [];
    const i = this.c.t.qboListItems;
    const base = [eq(i.teamId, teamId), eq(i.entity, 'Vendor' as QboListEntity), eq(i.active, true)];
    if (this.c.dialect === 'sqlite') {
      const match = `scope:${ftsScope(teamId, 'Vendor')} AND (${terms.map((w) => `words:"${w}"`).join(' OR ')})`;
      return this.c.run((db) =>
        db
          .select(this.cols())
          .from(sql`qbo_list_items_fts f`)
          .innerJoin(i, sql`${i}.rowid = f.rowid`)
          .where(and(sql`qbo_list_items_fts MATCH ${match}`, ...base))
          .orderBy(sql`f.rank`)
          .limit(limit),
      );
    }
    const hits = terms.map((w) => sql`(case when (' ' || lower(${i.name}) || ' ') like ${`% ${w.toLowerCase()} %`} then 1 else 0 end)`);
    const score = sql.join(hits, sql` + `);
    return this.c.run((db) =>
      db
        .select(this.cols())
        .from(i)
        .where(and(...base, sql`(${score}) > 0`))
        .orderBy(sql`(${score}) desc`)
        .limit(limit),
    );
  }
}
