import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { ListItem, ListRow, ListSearch, ListStore, QboListEntity } from '../store/lists.ts';
import type { QboClient, QboEntity } from './client.ts';
import { PURCHASE_ACCOUNT_TYPES, EXPENSE_ACCOUNT_TYPES } from './accounts.ts';

/**
 * Local cache of QBO lists for pickers (Slack wants option answers within 3 s) and checks before sync: what is QBO's
 * (reading the lists, one refresh per workspace at a time, mapping QBO records to rows) over the async lists store
 * (src/store/lists.ts), where every query is bounded by an index and a LIMIT: the ack path never reads a whole list.
 */

export type { ListItem, QboListEntity };
export { PURCHASE_ACCOUNT_TYPES, EXPENSE_ACCOUNT_TYPES } from './accounts.ts';
export const LIST_ENTITIES: QboListEntity[] = ['Account', 'Customer', 'Item', 'Vendor', 'Class'];

/** Rows written per transaction during a refresh: the event loop gets a turn between chunks. */
const WRITE_CHUNK = 250;

function toRow(entity: QboListEntity, e: QboEntity): ListRow {
  const x = e as any;
  const name = String(x.DisplayName ?? x.Name ?? x.FullyQualifiedName ?? e.Id);
  const type = (x.AccountType ?? x.Type ?? (entity === 'Customer' ? (x.IsProject ? 'Project' : x.Job ? 'Job' : 'Customer') : null)) as string | null;
  return {
    id: String(e.Id),
    name,
    fullName: String(x.FullyQualifiedName ?? name),
    type,
    subType: (x.AccountSubType ?? null) as string | null,
    parentId: (x.ParentRef?.value ?? null) as string | null,
    active: x.Active !== false,
  };
}

export class QboLists {
  /** One refresh per workspace at a time: concurrent callers share it. */
  private readonly refreshing = new Map<string, Promise<Record<string, number>>>();

  constructor(
    private readonly store: ListStore,
    private readonly qbo: QboClient,
  ) {}

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
    const counts: Record<string, number> = {};
    for (const [entity, list] of fetched) {
      const rows = list.map((e) => toRow(entity, e));
      for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
        await this.store.upsert(teamId, entity, rows.slice(i, i + WRITE_CHUNK));
        await yieldToLoop();
      }
      const keep = new Set(rows.map((r) => r.id));
      const gone = (await this.store.ids(teamId, entity)).filter((id) => !keep.has(id));
      for (let i = 0; i < gone.length; i += WRITE_CHUNK) {
        await this.store.remove(teamId, entity, gone.slice(i, i + WRITE_CHUNK));
        await yieldToLoop();
      }
      await this.store.markRefreshed(teamId, entity, Date.now());
      counts[entity] = rows.length;
    }
    return counts;
  }

  /** When the entity's list was last fetched (epoch ms), null when never. */
  refreshedAt(teamId: string, entity: QboListEntity): Promise<number | null> {
    return this.store.refreshedAt(teamId, entity);
  }

  /** Store one entity we just created or read (e.g. a new Vendor) without a full refresh. */
  upsert(teamId: string, entity: QboListEntity, e: QboEntity): Promise<void> {
    return this.store.upsert(teamId, entity, [toRow(entity, e)]);
  }

  /** Forget one record (deleted in QBO). */
  remove(teamId: string, entity: QboListEntity, id: string): Promise<void> {
    return this.store.remove(teamId, entity, [id]);
  }

  get(teamId: string, entity: QboListEntity, id: string): Promise<ListItem | null> {
    return this.store.get(teamId, entity, id);
  }

  /** Several records of one list in one query, in the order asked (missing ones left out). */
  getMany(teamId: string, entity: QboListEntity, ids: readonly string[]): Promise<ListItem[]> {
    return this.store.getMany(teamId, entity, ids);
  }

  /**
   * Case-insensitive search: names starting with the query first (in name order), then names where every word
   * starts a word ("oak 2" finds "Oak Street:Phase 2"), in full-name order. Active rows only unless asked. At most
   * `limit` rows, each phase one indexed query with a LIMIT, whatever the size of the list.
   */
  search(teamId: string, entity: QboListEntity, query = '', opts: ListSearch = {}): Promise<ListItem[]> {
    return this.store.search(teamId, entity, query, opts);
  }

  /**
   * Active vendors having one of `words` as a whole word, those sharing the most (and rarest) first: the few a
   * vendor name read from a file can mean, for the matcher to choose from, instead of the whole list.
   */
  vendorCandidates(teamId: string, words: string[], limit = 200): Promise<ListItem[]> {
    return this.store.vendorCandidates(teamId, words, limit);
  }

  /** Active Bank and Credit Card accounts: the only valid purchase accounts. */
  purchaseAccounts(teamId: string, query = '', limit = 100): Promise<ListItem[]> {
    return this.search(teamId, 'Account', query, { types: PURCHASE_ACCOUNT_TYPES, limit });
  }

  expenseAccounts(teamId: string, query = '', limit = 100): Promise<ListItem[]> {
    return this.search(teamId, 'Account', query, { types: EXPENSE_ACCOUNT_TYPES, limit });
  }

  count(teamId: string, entity: QboListEntity): Promise<number> {
    return this.store.count(teamId, entity);
  }

  /** How many records each list holds for this workspace, in one query (lists with none are 0). */
  counts(teamId: string): Promise<Record<QboListEntity, number>> {
    return this.store.counts(teamId);
  }
}
