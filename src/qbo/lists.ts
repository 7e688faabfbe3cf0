import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { qboListItems, qboListRefreshes, workspaces, type QboListEntity } from '../db/schema.ts';
import type { QboClient, QboEntity } from './client.ts';

/** Local cache of QBO lists for pickers (Slack wants option answers within 3 s) and checks before sync. */

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

export const PURCHASE_ACCOUNT_TYPES = ['Bank', 'Credit Card'] as const;
/** Account types that may carry an expense line. */
export const EXPENSE_ACCOUNT_TYPES = ['Expense', 'Cost of Goods Sold', 'Other Expense', 'Other Current Asset', 'Fixed Asset'] as const;
export const LIST_ENTITIES: QboListEntity[] = ['Account', 'Customer', 'Item', 'Vendor', 'Class'];

function toRow(teamId: string, entity: QboListEntity, e: QboEntity) {
  const x = e as any;
  const name = String(x.DisplayName ?? x.Name ?? x.FullyQualifiedName ?? e.Id);
  return {
    teamId,
    entity,
    qboId: String(e.Id),
    name,
    fullName: String(x.FullyQualifiedName ?? name),
    type: (x.AccountType ?? x.Type ?? (entity === 'Customer' ? (x.IsProject ? 'Project' : x.Job ? 'Job' : 'Customer') : null)) as string | null,
    subType: (x.AccountSubType ?? null) as string | null,
    parentId: (x.ParentRef?.value ?? null) as string | null,
    active: x.Active !== false,
    data: null,
  };
}

export class QboLists {
  constructor(private readonly db: Db, private readonly qbo: QboClient) {}

  /** Replaces the cached copy of the given lists with what QBO has now (active and inactive rows). */
  async refresh(teamId: string, entities: QboListEntity[] = LIST_ENTITIES): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    // QBO's queries return only active rows unless Active is in the filter: ask for both, so a link to a record
    // that was made inactive still shows what it points to (and that it is inactive).
    const fetched = await Promise.all(
      entities.map(async (entity) => [entity, await this.qbo.findAll(teamId, entity, { Active: [true, false] })] as const),
    );
    this.db.insert(workspaces).values({ teamId }).onConflictDoNothing().run();
    this.db.transaction((tx) => {
      for (const [entity, rows] of fetched) {
        tx.delete(qboListItems).where(and(eq(qboListItems.teamId, teamId), eq(qboListItems.entity, entity))).run();
        for (let i = 0; i < rows.length; i += 200) {
          tx.insert(qboListItems).values(rows.slice(i, i + 200).map((r) => toRow(teamId, entity, r))).run();
        }
        const at = new Date().toISOString();
        tx.insert(qboListRefreshes)
          .values({ teamId, entity, refreshedAt: at })
          .onConflictDoUpdate({ target: [qboListRefreshes.teamId, qboListRefreshes.entity], set: { refreshedAt: at } })
          .run();
        counts[entity] = rows.length;
      }
    });
    return counts;
  }

  refreshedAt(teamId: string, entity: QboListEntity): string | null {
    return (
      this.db
        .select({ at: qboListRefreshes.refreshedAt })
        .from(qboListRefreshes)
        .where(and(eq(qboListRefreshes.teamId, teamId), eq(qboListRefreshes.entity, entity)))
        .get()?.at ?? null
    );
  }

  /** Store one entity we just created or read (e.g. a new Vendor) without a full refresh. */
  upsert(teamId: string, entity: QboListEntity, e: QboEntity) {
    const row = toRow(teamId, entity, e);
    this.db
      .insert(qboListItems)
      .values(row)
      .onConflictDoUpdate({ target: [qboListItems.teamId, qboListItems.entity, qboListItems.qboId], set: row })
      .run();
  }

  get(teamId: string, entity: QboListEntity, id: string): ListItem | null {
    const r = this.db
      .select()
      .from(qboListItems)
      .where(and(eq(qboListItems.teamId, teamId), eq(qboListItems.entity, entity), eq(qboListItems.qboId, id)))
      .get();
    return r ? fromRow(r) : null;
  }

  /**
   * Case-insensitive search on name and full name; words may appear anywhere ("oak 2" finds "Oak Street:Phase 2").
   * Prefix matches first, then alphabetical. Active rows only unless asked.
   */
  search(
    teamId: string,
    entity: QboListEntity,
    query = '',
    opts: { types?: readonly string[]; includeInactive?: boolean; limit?: number } = {},
  ): ListItem[] {
    const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5);
    const conds = [eq(qboListItems.teamId, teamId), eq(qboListItems.entity, entity)];
    if (!opts.includeInactive) conds.push(eq(qboListItems.active, true));
    if (opts.types?.length) conds.push(inArray(qboListItems.type, [...opts.types]));
    for (const w of words) {
      const pattern = `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      conds.push(or(sql`lower(${qboListItems.fullName}) like ${pattern} escape '\\'`, sql`lower(${qboListItems.name}) like ${pattern} escape '\\'`)!);
    }
    const first = words[0] ?? '';
    const rows = this.db
      .select()
      .from(qboListItems)
      .where(and(...conds))
      .orderBy(sql`case when lower(${qboListItems.name}) like ${first + '%'} then 0 else 1 end`, asc(qboListItems.fullName))
      .limit(opts.limit ?? 100)
      .all();
    return rows.map(fromRow);
  }

  /** Active Bank and Credit Card accounts: the only valid purchase accounts. */
  purchaseAccounts(teamId: string, query = '', limit = 100): ListItem[] {
    return this.search(teamId, 'Account', query, { types: PURCHASE_ACCOUNT_TYPES, limit });
  }

  expenseAccounts(teamId: string, query = '', limit = 100): ListItem[] {
    return this.search(teamId, 'Account', query, { types: EXPENSE_ACCOUNT_TYPES, limit });
  }

  count(teamId: string, entity: QboListEntity): number {
    return (
      this.db
        .select({ n: sql<number>`count(*)` })
        .from(qboListItems)
        .where(and(eq(qboListItems.teamId, teamId), eq(qboListItems.entity, entity)))
        .get()?.n ?? 0
    );
  }
}

function fromRow(r: typeof qboListItems.$inferSelect): ListItem {
  return { entity: r.entity, id: r.qboId, name: r.name, fullName: r.fullName, type: r.type, subType: r.subType, parentId: r.parentId, active: r.active };
}

