import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../store/sqlite/client.ts';
import { channelBindings, profiles, settings, workspaces, type ProfileKind } from '../store/sqlite/schema.ts';
import { accountFits } from '../qbo/accounts.ts';
import { ftsMatch, ftsScope, prefixRange, queryWords } from '../store/sqlite/fts.ts';

/** Local project and cost-code profiles, their links to QBO, and channel → project bindings ("Channel = job"). */

export type Profile = typeof profiles.$inferSelect;
export type LinkTarget = { entity: 'Customer' | 'Item' | 'Account'; id: string; name: string };

export const KIND_LABEL: Record<ProfileKind, string> = { project: 'project', cost_code: 'cost code' };

export function listProfiles(db: Db, teamId: string, kind?: ProfileKind): Profile[] {
  const conds = [eq(profiles.teamId, teamId)];
  if (kind) conds.push(eq(profiles.kind, kind));
  return db
    .select()
    .from(profiles)
    .where(and(...conds))
    .orderBy(asc(profiles.kind), asc(sql`lower(${profiles.name})`))
    .all();
}

/** What a picker shows of a profile. */
export type ProfileOption = Pick<Profile, 'id' | 'name' | 'qboId'>;

const searchStatements = new WeakMap<Db['$client'], ReturnType<typeof prepareSearch>>();
function prepareSearch(c: Db['$client']) {
  return {
    first: c.prepare('SELECT id, name, qbo_id AS qboId FROM profiles WHERE team_id = ? AND kind = ? ORDER BY lower(name) LIMIT ?'),
    prefix: c.prepare(
      'SELECT id, name, qbo_id AS qboId FROM profiles WHERE team_id = ? AND kind = ? AND lower(name) >= ? AND lower(name) < ? ORDER BY lower(name) LIMIT ?',
    ),
    words: c.prepare(
      'SELECT p.id, p.name, p.qbo_id AS qboId FROM profiles_fts f JOIN profiles p ON p.id = f.rowid WHERE profiles_fts MATCH ? AND p.team_id = ? AND p.kind = ? LIMIT ?',
    ),
  };
}

/**
 * Picker search over a workspace's projects or cost codes: names starting with the query first, then names where
 * every word starts a word, alphabetical within each; at most `limit`, each phase one indexed query (prepared once).
 */
export function searchProfiles(db: Db, teamId: string, kind: ProfileKind, query: string, limit: number): ProfileOption[] {
  let st = searchStatements.get(db.$client);
  if (!st) searchStatements.set(db.$client, (st = prepareSearch(db.$client)));
  const words = queryWords(query);
  if (!words.length) return st.first.all(teamId, kind, limit) as ProfileOption[];
  const found = st.prefix.all(teamId, kind, ...prefixRange(words.join(' ')), limit) as ProfileOption[];
  const match = ftsMatch(ftsScope(teamId, kind), words);
  if (found.length >= limit || !match) return found;
  const seen = new Set(found.map((p) => p.id));
  const more = (st.words.all(match, teamId, kind, limit + found.length) as ProfileOption[]).filter((p) => !seen.has(p.id));
  more.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
  return [...found, ...more].slice(0, limit);
}

export function getProfile(db: Db, teamId: string, id: number): Profile | null {
  return (
    db
      .select()
      .from(profiles)
      .where(and(eq(profiles.teamId, teamId), eq(profiles.id, id)))
      .get() ?? null
  );
}

export function findProfileByName(db: Db, teamId: string, kind: ProfileKind, name: string): Profile | null {
  return (
    db
      .select()
      .from(profiles)
      .where(and(eq(profiles.teamId, teamId), eq(profiles.kind, kind), sql`lower(${profiles.name}) = lower(${name.trim()})`))
      .get() ?? null
  );
}

export function addProfile(db: Db, teamId: string, kind: ProfileKind, name: string, link?: LinkTarget, by?: string): Profile {
  db.insert(workspaces).values({ teamId }).onConflictDoNothing().run();
  db.insert(settings).values({ teamId }).onConflictDoNothing().run();
  const clean = name.trim().replace(/\s+/g, ' ');
  if (!clean) throw new Error('A name is required');
  const existing = findProfileByName(db, teamId, kind, clean);
  if (existing) return link ? linkProfile(db, teamId, existing.id, link, by) : existing;
  return db
    .insert(profiles)
    .values({
      teamId,
      kind,
      name: clean,
      ...(link ? { qboEntity: link.entity, qboId: link.id, qboName: link.name, linkedBy: by ?? null, linkedAt: new Date().toISOString() } : {}),
    })
    .returning()
    .get();
}

export function assertLinkFits(kind: ProfileKind, entity: LinkTarget['entity']) {
  const ok = kind === 'project' ? entity === 'Customer' : entity === 'Item' || entity === 'Account';
  if (!ok)
    throw new Error(
      kind === 'project' ? 'A project links to a QuickBooks customer or project' : 'A cost code links to a QuickBooks item or expense account',
    );
}

/**
 * Whether a cached QBO record may be linked to a profile of this kind: it exists, is active, is the right kind of
 * record, and an account is one an expense line may go to (src/qbo/accounts.ts). Every link path checks this.
 */
export function linkTargetFits(kind: ProfileKind, entity: LinkTarget['entity'], item: { active: boolean; type: string | null } | null): boolean {
  if (!item?.active) return false;
  const fitsKind = kind === 'project' ? entity === 'Customer' : entity === 'Item' || entity === 'Account';
  return fitsKind && (entity !== 'Account' || accountFits(item, 'expense'));
}

export function linkProfile(db: Db, teamId: string, id: number, link: LinkTarget, by?: string): Profile {
  const p = getProfile(db, teamId, id);
  if (!p) throw new Error('No such profile');
  assertLinkFits(p.kind, link.entity);
  return db
    .update(profiles)
    .set({ qboEntity: link.entity, qboId: link.id, qboName: link.name, linkedBy: by ?? null, linkedAt: new Date().toISOString() })
    .where(and(eq(profiles.teamId, teamId), eq(profiles.id, id)))
    .returning()
    .get();
}

export function unlinkProfile(db: Db, teamId: string, id: number, by?: string): Profile {
  const p = db
    .update(profiles)
    .set({ qboEntity: null, qboId: null, qboName: null, linkedBy: by ?? null, linkedAt: new Date().toISOString() })
    .where(and(eq(profiles.teamId, teamId), eq(profiles.id, id)))
    .returning()
    .get();
  if (!p) throw new Error('No such profile');
  return p;
}

export function bindChannel(db: Db, teamId: string, channelId: string, projectProfileId: number, by?: string) {
  const p = getProfile(db, teamId, projectProfileId);
  if (p?.kind !== 'project') throw new Error('Channels bind to a project');
  db.insert(channelBindings)
    .values({ teamId, channelId, projectProfileId, boundBy: by ?? null })
    .onConflictDoUpdate({ target: [channelBindings.teamId, channelBindings.channelId], set: { projectProfileId, boundBy: by ?? null } })
    .run();
}

export function unbindChannel(db: Db, teamId: string, channelId: string) {
  db.delete(channelBindings)
    .where(and(eq(channelBindings.teamId, teamId), eq(channelBindings.channelId, channelId)))
    .run();
}

export function channelProject(db: Db, teamId: string, channelId: string): Profile | null {
  const b = db
    .select()
    .from(channelBindings)
    .where(and(eq(channelBindings.teamId, teamId), eq(channelBindings.channelId, channelId)))
    .get();
  return b ? getProfile(db, teamId, b.projectProfileId) : null;
}

export function listBindings(db: Db, teamId: string) {
  return db.select().from(channelBindings).where(eq(channelBindings.teamId, teamId)).all();
}
