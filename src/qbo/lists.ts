import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Db } from '../store/sqlite/client.ts';
import type { QboListEntity } from '../store/sqlite/schema.ts';
import { ftsMatch, ftsScope, prefixRange, queryWords } from '../store/sqlite/fts.ts';
import type { QboClient, QboEntity } from './client.ts';
import { PURCHASE_ACCOUNT_TYPES, EXPENSE_ACCOUNT_TYPES } from './accounts.ts';

/**
 * Local cache of QBO lists for pickers (Slack wants option answers within 3 s) and checks before sync. Every query
 * is a statement prepared once, bounded by an index and a LIMIT: the ack path never reads a whole list.
 */

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

export { PURCHASE_ACCOUNT_TYPES, EXPENSE_ACCOUNT_TYPES } from './accounts.ts';
export const LIST_ENTITIES: QboListEntity[] = ['Account', 'Customer', 'Item', 'Vendor', 'Class'];

/** Rows written per transaction during a refresh: the event loop gets a turn between chunks. */
const WRITE_CHUNK = 250;

type Row = [string, string, string, string, string, string | null, string | null, string | null, number];

function toRow(teamId: string, entity: QboListEntity, e: QboEntity): Row {
  const x = e as any;
  const name = String(x.DisplayName ?? x.Name ?? x.FullyQualifiedName ?? e.Id);
  const type = (x.AccountType ?? x.Type ?? (entity === 'Customer' ? (x.IsProject ? 'Project' : x.Job ? 'Job' : 'Customer') : null)) as string | null;
  return [
    teamId,
    entity,
    String(e.Id),
    name,
    String(x.FullyQualifiedName ?? name),
    type,
    (x.AccountSubType ?? null) as string | null,
    (x.ParentRef?.value ?? null) as string | null,
    x.Active !== false ? 1 : 0,
  ];
}

const COLUMNS = 'i.entity, i.qbo_id AS id, i.name, i.full_name AS fullName, i.type, i.sub_type AS subType, i.parent_id AS parentId, i.active';
const FILTERS = '(@all = 1 OR i.active = 1) AND (@types IS NULL OR i.type IN (SELECT value FROM json_each(@types)))';

export class QboLists {
  private readonly stmt;
  /** One refresh per workspace at a time: concurrent callers share it. */
  private readonly refreshing = new Map<string, Promise<Record<string, number>>>();

  constructor(
    private readonly db: Db,
    private readonly qbo: QboClient,
  ) {
    const c = db.$client;
    this.stmt = {
      upsert: c.prepare(
        `INSERT INTO qbo_list_items (team_id, entity, qbo_id, name, full_name, type, sub_type, parent_id, active, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
         ON CONFLICT (team_id, entity, qbo_id) DO UPDATE SET name = excluded.name, full_name = excluded.full_name, type = excluded.type,
           sub_type = excluded.sub_type, parent_id = excluded.parent_id, active = excluded.active
         WHERE name IS NOT excluded.name OR full_name IS NOT excluded.full_name OR type IS NOT excluded.type OR sub_type IS NOT excluded.sub_type
           OR parent_id IS NOT excluded.parent_id OR active IS NOT excluded.active`,
      ),
      ids: c.prepare('SELECT qbo_id FROM qbo_list_items WHERE team_id = ? AND entity = ?').pluck(),
      remove: c.prepare('DELETE FROM qbo_list_items WHERE team_id = ? AND entity = ? AND qbo_id = ?'),
      ensureWorkspace: c.prepare('INSERT INTO workspaces (team_id) VALUES (?) ON CONFLICT DO NOTHING'),
      refreshed: c.prepare(
        'INSERT INTO qbo_list_refreshes (team_id, entity, refreshed_at) VALUES (?, ?, ?) ON CONFLICT (team_id, entity) DO UPDATE SET refreshed_at = excluded.refreshed_at',
      ),
      refreshedAt: c.prepare('SELECT refreshed_at FROM qbo_list_refreshes WHERE team_id = ? AND entity = ?').pluck(),
      get: c.prepare(`SELECT ${COLUMNS} FROM qbo_list_items i WHERE i.team_id = ? AND i.entity = ? AND i.qbo_id = ?`),
      count: c.prepare('SELECT count(*) FROM qbo_list_items WHERE team_id = ? AND entity = ?').pluck(),
      first: c.prepare(
        `SELECT ${COLUMNS} FROM qbo_list_items i WHERE i.team_id = @team AND i.entity = @entity AND ${FILTERS} ORDER BY lower(i.full_name) LIMIT @limit`,
      ),
      prefix: c.prepare(
        `SELECT ${COLUMNS} FROM qbo_list_items i WHERE i.team_id = @team AND i.entity = @entity AND lower(i.name) >= @lo AND lower(i.name) < @hi AND ${FILTERS}
         ORDER BY lower(i.name) LIMIT @limit`,
      ),
      ranked: c.prepare(
        `SELECT ${COLUMNS} FROM qbo_list_items_fts f JOIN qbo_list_items i ON i.rowid = f.rowid
         WHERE qbo_list_items_fts MATCH @match AND i.team_id = @team AND i.entity = @entity AND i.active = 1 ORDER BY f.rank LIMIT @limit`,
      ),
      words: c.prepare(
        `SELECT ${COLUMNS} FROM qbo_list_items_fts f JOIN qbo_list_items i ON i.rowid = f.rowid
         WHERE qbo_list_items_fts MATCH @match AND i.team_id = @team AND i.entity = @entity AND ${FILTERS} LIMIT @limit`,
      ),
    };
  }

  /**
   * Brings the cached lists in line with what QBO has now (active and inactive rows): changed rows are rewritten,
   * vanished ones removed, in small transactions so a large list never holds the event loop. One refresh per
   * workspace at a time; a caller arriving meanwhile gets the one under way.
   */
  refresh(teamId: string, entities: QboListEntity[] = LIST_ENTITIES): Promise<Record<string, number>> {
    const key = `${teamId}\n${entities.join(',')}`;
    let p = this.refreshing.get(key);
    if (!p) {
      p = this.doRefresh(teamId, entities).finally(() => this.refreshing.delete(key));
      this.refreshing.set(key, p);
    }
    return p;
  }

  /** Whether a refresh of this workspace's lists is under way. */
  isRefreshing(teamId: string): boolean {
    return [...this.refreshing.keys()].some((k) => k.startsWith(`${teamId}\n`));
  }

  private async doRefresh(teamId: string, entities: QboListEntity[]): Promise<Record<string, number>> {
    // QBO's queries return only active rows unless Active is in the filter: ask for both, so a link to a record
    // that was made inactive still shows what it points to (and that it is inactive).
    const fetched = await Promise.all(
      entities.map(async (entity) => [entity, await this.qbo.findAll(teamId, entity, { Active: [true, false] })] as const),
    );
    this.stmt.ensureWorkspace.run(teamId);
    const counts: Record<string, number> = {};
    const write = this.db.$client.transaction((rows: Row[]) => {
      for (const r of rows) this.stmt.upsert.run(...r);
    });
    const remove = this.db.$client.transaction((entity: string, ids: string[]) => {
      for (const id of ids) this.stmt.remove.run(teamId, entity, id);
    });
    for (const [entity, list] of fetched) {
      const rows = list.map((e) => toRow(teamId, entity, e));
      for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
        write(rows.slice(i, i + WRITE_CHUNK));
        await yieldToLoop();
      }
      const keep = new Set(rows.map((r) => r[2]));
      const gone = (this.stmt.ids.all(teamId, entity) as string[]).filter((id) => !keep.has(id));
      for (let i = 0; i < gone.length; i += WRITE_CHUNK) {
        remove(entity, gone.slice(i, i + WRITE_CHUNK));
        await yieldToLoop();
      }
      this.stmt.refreshed.run(teamId, entity, new Date().toISOString());
      counts[entity] = rows.length;
    }
    return counts;
  }

  refreshedAt(teamId: string, entity: QboListEntity): string | null {
    return (this.stmt.refreshedAt.get(teamId, entity) as string | undefined) ?? null;
  }

  /** Store one entity we just created or read (e.g. a new Vendor) without a full refresh. */
  upsert(teamId: string, entity: QboListEntity, e: QboEntity) {
    this.stmt.ensureWorkspace.run(teamId);
    this.stmt.upsert.run(...toRow(teamId, entity, e));
  }

  /** Forget one record (deleted in QBO). */
  remove(teamId: string, entity: QboListEntity, id: string) {
    this.stmt.remove.run(teamId, entity, id);
  }

  get(teamId: string, entity: QboListEntity, id: string): ListItem | null {
    const r = this.stmt.get.get(teamId, entity, id) as RawItem | undefined;
    return r ? fromRaw(r) : null;
  }

  /**
   * Case-insensitive search: names starting with the query first (in name order), then names where every word
   * starts a word ("oak 2" finds "Oak Street:Phase 2"), in full-name order. Active rows only unless asked. At most
   * `limit` rows, each phase one indexed query with a LIMIT, whatever the size of the list.
   */
  search(
    teamId: string,
    entity: QboListEntity,
    query = '',
    opts: { types?: readonly string[]; includeInactive?: boolean; limit?: number } = {},
  ): ListItem[] {
    const limit = opts.limit ?? 100;
    const base = { team: teamId, entity, all: opts.includeInactive ? 1 : 0, types: opts.types?.length ? JSON.stringify(opts.types) : null, limit };
    const words = queryWords(query);
    if (!words.length) return (this.stmt.first.all(base) as RawItem[]).map(fromRaw);
    const [lo, hi] = prefixRange(words.join(' '));
    const found = (this.stmt.prefix.all({ ...base, lo, hi }) as RawItem[]).map(fromRaw).sort(byFullName);
    const match = ftsMatch(ftsScope(teamId, entity), words);
    if (found.length >= limit || !match) return found;
    const seen = new Set(found.map((r) => r.id));
    const more = (this.stmt.words.all({ ...base, match, limit: limit + found.length }) as RawItem[]).map(fromRaw).filter((r) => !seen.has(r.id));
    return [...found, ...more.sort(byFullName)].slice(0, limit);
  }

  /**
   * Active vendors having one of `words` as a whole word, those sharing the most (and rarest) first: the few a
   * vendor name read from a file can mean, for the matcher to choose from, instead of the whole list.
   */
  vendorCandidates(teamId: string, words: string[], limit = 200): ListItem[] {
    const terms = [...new Set(words)].filter((w) => /^[\p{L}\p{N}]+$/u.test(w)).slice(0, 60);
    if (!terms.length) return [];
    const match = `scope:${ftsScope(teamId, 'Vendor')} AND (${terms.map((w) => `words:"${w}"`).join(' OR ')})`;
    return (this.stmt.ranked.all({ team: teamId, entity: 'Vendor', match, limit }) as RawItem[]).map(fromRaw);
  }

  /** Active Bank and Credit Card accounts: the only valid purchase accounts. */
  purchaseAccounts(teamId: string, query = '', limit = 100): ListItem[] {
    return this.search(teamId, 'Account', query, { types: PURCHASE_ACCOUNT_TYPES, limit });
  }

  expenseAccounts(teamId: string, query = '', limit = 100): ListItem[] {
    return this.search(teamId, 'Account', query, { types: EXPENSE_ACCOUNT_TYPES, limit });
  }

  count(teamId: string, entity: QboListEntity): number {
    return this.stmt.count.get(teamId, entity) as number;
  }
}

type RawItem = Omit<ListItem, 'active'> & { active: number };
const fromRaw = (r: RawItem): ListItem => ({ ...r, active: r.active === 1 });
const byFullName = (a: ListItem, b: ListItem) =>
  a.fullName.toLowerCase() < b.fullName.toLowerCase() ? -1 : a.fullName.toLowerCase() > b.fullName.toLowerCase() ? 1 : 0;
