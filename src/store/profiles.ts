import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Conn } from './conn.ts';
import type { ProfileKind } from './sqlite/schema.ts';
import type * as schema from './sqlite/schema.ts';
import { ftsMatch, ftsScope, prefixRange, queryWords } from './sqlite/fts.ts';
import { lowerC, matchesWords, wordPrefixQuery } from './postgres/search.ts';
import { ReadCache, WriteCounts } from './read-cache.ts';

export type { ProfileKind };
export type Profile = typeof schema.profiles.$inferSelect;
export type ChannelBinding = typeof schema.channelBindings.$inferSelect;
/** What a picker shows of a profile. */
export type ProfileOption = Pick<Profile, 'id' | 'name' | 'qboId'>;
export type LinkTarget = { entity: 'Customer' | 'Item' | 'Account'; id: string; name: string };

type Summary = { total: number; unlinked: number; bindings: number };

/** How long a workspace's profile counts are served from memory (another instance's write shows within it). */
export const PROFILE_SUMMARY_TTL_MS = 1000;
/** Writes in this process that change a workspace's counts: a copy read before one is not served. */
const summaryWrites = new WriteCounts();

/** Project and cost-code profiles, their links to QBO, and channel → project bindings. */
export class ProfileStore {
  /** Per store (so per database); a transaction's stores never read from it. */
  private readonly summaries = new ReadCache<Summary>(summaryWrites, PROFILE_SUMMARY_TTL_MS);

  constructor(private readonly c: Conn) {}

  /** Runs a write that changes the workspace's counts, bumping them before and after (see WriteCounts). */
  private async changing<T>(teamId: string, write: () => Promise<T>): Promise<T> {
    summaryWrites.bump(teamId);
    try {
      return await write();
    } finally {
      summaryWrites.bump(teamId);
    }
  }

  async list(teamId: string, kind?: ProfileKind): Promise<Profile[]> {
    const p = this.c.t.profiles;
    const conds = [eq(p.teamId, teamId)];
    if (kind) conds.push(eq(p.kind, kind));
    return this.c.run((db) =>
      db
        .select()
        .from(p)
        .where(and(...conds))
        .orderBy(asc(p.kind), asc(sql`lower(${p.name})`)),
    );
  }

  /**
   * The workspace's profile counts for /qbo status and the settings modal: a count over every profile (~1.5 ms
   * for 5,000 under bench:ack, once per such request), so kept PROFILE_SUMMARY_TTL_MS; read fresh in a transaction.
   */
  async summary(teamId: string): Promise<Summary> {
    if (this.c.inTx) return this.countSummary(teamId);
    const s = await this.summaries.read(teamId, () => this.countSummary(teamId));
    return { ...s };
  }

  /**
   * How many profiles a workspace has, how many are not linked, and how many channels are bound: one statement, read
   * from the (team, qbo id) index and the bindings' primary key only.
   */
  private async countSummary(teamId: string): Promise<Summary> {
    const { profiles: p, channelBindings: b } = this.c.t;
    const [row] = await this.c.run((db) =>
      db
        .select({
          total: sql<number>`count(*)`,
          linked: sql<number>`count(${p.qboId})`,
          bindings: sql<number>`(select count(*) from ${b} where ${b.teamId} = ${teamId})`,
        })
        .from(p)
        .where(eq(p.teamId, teamId)),
    );
    const total = Number(row?.total ?? 0);
    return { total, unlinked: total - Number(row?.linked ?? 0), bindings: Number(row?.bindings ?? 0) };
  }

  /**
   * Picker search: names starting with the query first, then names where every word starts a word, alphabetical
   * within each; at most `limit`, each phase one indexed query.
   */
  async search(teamId: string, kind: ProfileKind, query: string, limit: number): Promise<ProfileOption[]> {
    const p = this.c.t.profiles;
    const cols = { id: p.id, name: p.name, qboId: p.qboId };
    const lower = this.c.dialect === 'postgres' ? lowerC(p.name) : sql`lower(${p.name})`;
    const base = [eq(p.teamId, teamId), eq(p.kind, kind)];
    const words = queryWords(query);
    if (!words.length)
      return this.c.run((db) =>
        db
          .select(cols)
          .from(p)
          .where(and(...base))
          .orderBy(asc(lower))
          .limit(limit),
      );
    const [lo, hi] = prefixRange(words.join(' '));
    const found = await this.c.run((db) =>
      db
        .select(cols)
        .from(p)
        .where(and(...base, gte(lower, lo), lt(lower, hi)))
        .orderBy(asc(lower))
        .limit(limit),
    );
    if (found.length >= limit) return found;
    const seen = new Set(found.map((x) => x.id));
    const more = (await this.wordMatches(teamId, kind, words, limit + found.length)).filter((x) => !seen.has(x.id));
    more.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
    return [...found, ...more].slice(0, limit);
  }

  /**
   * Up to `limit` profiles where every word starts a word of the name. On SQLite the FTS5 match drives the loop and
   * the LIMIT stops it: as `id IN (SELECT rowid … MATCH …)` SQLite walked every profile of the kind and looked each
   * up in the match set (~1.7 ms per picker search with 5,150 projects, 0.3 ms driven by the match). On Postgres, the
   * GIN tsvector index.
   */
  private async wordMatches(teamId: string, kind: ProfileKind, words: string[], limit: number): Promise<ProfileOption[]> {
    const p = this.c.t.profiles;
    const cols = { id: p.id, name: p.name, qboId: p.qboId };
    const base = [eq(p.teamId, teamId), eq(p.kind, kind)];
    if (this.c.dialect === 'sqlite') {
      const match = ftsMatch(ftsScope(teamId, kind), words);
      if (!match) return [];
      return this.c.run((db) =>
        db
          .select(cols)
          .from(sql`profiles_fts f`)
          .innerJoin(p, sql`${p.id} = f.rowid`)
          .where(and(sql`profiles_fts MATCH ${match}`, ...base))
          .limit(limit),
      );
    }
    const q = wordPrefixQuery(words);
    if (!q) return [];
    return this.c.run((db) =>
      db
        .select(cols)
        .from(p)
        .where(and(...base, matchesWords(sql`${p.name}`, q)))
        .limit(limit),
    );
  }

  async get(teamId: string, id: number): Promise<Profile | null> {
    const p = this.c.t.profiles;
    const [row] = await this.c.run((db) =>
      db
        .select()
        .from(p)
        .where(and(eq(p.teamId, teamId), eq(p.id, id)))
        .limit(1),
    );
    return row ?? null;
  }

  async findByName(teamId: string, kind: ProfileKind, name: string): Promise<Profile | null> {
    const p = this.c.t.profiles;
    const [row] = await this.c.run((db) =>
      db
        .select()
        .from(p)
        .where(and(eq(p.teamId, teamId), eq(p.kind, kind), sql`lower(${p.name}) = lower(${name.trim()})`))
        .limit(1),
    );
    return row ?? null;
  }

  /** Inserts a profile; null when one of that kind and name exists already. */
  async insert(teamId: string, kind: ProfileKind, name: string, link?: LinkTarget, by?: string): Promise<Profile | null> {
    const p = this.c.t.profiles;
    const linked = link
      ? {
          qboEntity: link.entity,
          qboId: link.id,
          qboName: link.name,
          linkedBy: by ?? null,
          linkedAt: Date.now(),
        }
      : {};
    const [row] = await this.changing(teamId, () =>
      this.c.run((db) =>
        db
          .insert(p)
          .values({ teamId, kind, name, ...linked })
          .onConflictDoNothing()
          .returning(),
      ),
    );
    return row ?? null;
  }

  /** Sets (or, with null, clears) a profile's link; null when there is no such profile. */
  async setLink(teamId: string, id: number, link: LinkTarget | null, by?: string): Promise<Profile | null> {
    const p = this.c.t.profiles;
    const [row] = await this.changing(teamId, () =>
      this.c.run((db) =>
        db
          .update(p)
          .set({
            qboEntity: link?.entity ?? null,
            qboId: link?.id ?? null,
            qboName: link?.name ?? null,
            linkedBy: by ?? null,
            linkedAt: Date.now(),
          })
          .where(and(eq(p.teamId, teamId), eq(p.id, id)))
          .returning(),
      ),
    );
    return row ?? null;
  }

  /** Clears every profile's link in a workspace (its QBO company changed), as done by the system. */
  async unlinkAll(teamId: string): Promise<void> {
    const p = this.c.t.profiles;
    await this.changing(teamId, () =>
      this.c.run((db) =>
        db.update(p).set({ qboEntity: null, qboId: null, qboName: null, linkedBy: 'system', linkedAt: Date.now() }).where(eq(p.teamId, teamId)),
      ),
    );
  }

  /** The profiles linked to one QBO record. */
  async linkedTo(teamId: string, entity: string, qboId: string): Promise<Profile[]> {
    const p = this.c.t.profiles;
    return this.c.run((db) =>
      db
        .select()
        .from(p)
        .where(this.linkCond(teamId, entity, qboId)),
    );
  }

  /** Linked profiles show the QuickBooks name as it is now. */
  async renameLinked(teamId: string, entity: string, qboId: string, qboName: string): Promise<void> {
    const p = this.c.t.profiles;
    await this.c.run((db) =>
      db
        .update(p)
        .set({ qboName })
        .where(this.linkCond(teamId, entity, qboId)),
    );
  }

  private linkCond(teamId: string, entity: string, qboId: string) {
    const p = this.c.t.profiles;
    return and(eq(p.teamId, teamId), eq(p.qboEntity, entity as 'Customer' | 'Item' | 'Account'), eq(p.qboId, qboId));
  }

  async bind(teamId: string, channelId: string, projectProfileId: number, by?: string): Promise<void> {
    const b = this.c.t.channelBindings;
    await this.changing(teamId, () =>
      this.c.run((db) =>
        db
          .insert(b)
          .values({ teamId, channelId, projectProfileId, boundBy: by ?? null })
          .onConflictDoUpdate({ target: [b.teamId, b.channelId], set: { projectProfileId, boundBy: by ?? null } }),
      ),
    );
  }

  async unbind(teamId: string, channelId: string): Promise<void> {
    const b = this.c.t.channelBindings;
    await this.changing(teamId, () => this.c.run((db) => db.delete(b).where(and(eq(b.teamId, teamId), eq(b.channelId, channelId)))));
  }

  async binding(teamId: string, channelId: string): Promise<ChannelBinding | null> {
    const b = this.c.t.channelBindings;
    const [row] = await this.c.run((db) =>
      db
        .select()
        .from(b)
        .where(and(eq(b.teamId, teamId), eq(b.channelId, channelId)))
        .limit(1),
    );
    return row ?? null;
  }

  /** The project a channel is bound to, if any. */
  async channelProject(teamId: string, channelId: string): Promise<Profile | null> {
    const b = await this.binding(teamId, channelId);
    return b ? this.get(teamId, b.projectProfileId) : null;
  }

  async bindings(teamId: string): Promise<ChannelBinding[]> {
    const b = this.c.t.channelBindings;
    return this.c.run((db) => db.select().from(b).where(eq(b.teamId, teamId)));
  }
}
