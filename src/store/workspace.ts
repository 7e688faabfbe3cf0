import { and, eq, inArray, isNotNull, isNull, lt } from 'drizzle-orm';
import type { Conn } from './conn.ts';
import { ReadCache, WriteCounts } from './read-cache.ts';
import type { TxnType } from './sqlite/schema.ts';

export interface WorkspaceSettings {
  teamId: string;
  autoSync: boolean;
  defaultPurchaseAccountId: string | null;
  defaultType: TxnType;
  defaultExpenseAccountId: string | null;
  adminUserIds: string[];
  /** Who may record payments (Mark paid) besides the admins. */
  payerUserIds: string[];
}

export type SettingsPatch = Partial<Omit<WorkspaceSettings, 'teamId'>>;

/** What a workspace that never saved settings has (the columns' defaults). */
export const DEFAULT_SETTINGS: Omit<WorkspaceSettings, 'teamId'> = {
  autoSync: false,
  defaultPurchaseAccountId: null,
  defaultType: 'Bill',
  defaultExpenseAccountId: null,
  adminUserIds: [],
  payerUserIds: [],
};

/**
 * How long a workspace's settings read outside a transaction are served from memory: nearly every Slack request
 * reads them (the picker suggestions, /qbo status and settings, intake). A write through any WorkspaceStore of this
 * process forgets them at once; another instance's write on the same database is seen within this long.
 */
export const SETTINGS_TTL_MS = 1000;

/** Bumped by every settings write in this process; a cached read is good only while its team's count is unchanged. */
const settingsWrites = new WriteCounts();
const forgetSettings = (teamIds: string[]) => settingsWrites.bump(...teamIds);
const copyOf = (s: WorkspaceSettings): WorkspaceSettings => ({ ...s, adminUserIds: [...s.adminUserIds], payerUserIds: [...s.payerUserIds] });

/** Workspaces (Slack teams) and their settings. Reading never writes: an unknown workspace reads as the defaults. */
export class WorkspaceStore {
  /** Settings read outside transactions; what leaves this store is always a copy. */
  private readonly cached = new ReadCache<WorkspaceSettings>(settingsWrites, SETTINGS_TTL_MS);

  constructor(private readonly c: Conn) {}

  /** Creates the workspace row (and its settings row) if missing; a name fills in one not known yet. */
  async ensure(teamId: string, name?: string): Promise<void> {
    const { workspaces, settings } = this.c.t;
    await this.c.tx(async (t) => {
      await t.run((db) => db.insert(workspaces).values({ teamId, name }).onConflictDoNothing());
      await t.run((db) => db.insert(settings).values({ teamId }).onConflictDoNothing());
    });
  }

  async get(teamId: string): Promise<{ teamId: string; name: string | null; qboRealmId: string | null; uninstalledAt: number | null } | null> {
    const w = this.c.t.workspaces;
    const rows = await this.c.run((db) =>
      db
        .select({ teamId: w.teamId, name: w.name, qboRealmId: w.qboRealmId, uninstalledAt: w.uninstalledAt })
        .from(w)
        .where(eq(w.teamId, teamId))
        .limit(1),
    );
    return rows[0] ?? null;
  }

  async setName(teamId: string, name: string): Promise<void> {
    const w = this.c.t.workspaces;
    await this.c.run((db) => db.update(w).set({ name }).where(eq(w.teamId, teamId)));
  }

  /** Marks the workspace uninstalled at `at` (epoch ms); false when it was already (a second uninstall event). */
  async markUninstalled(teamId: string, at: number): Promise<boolean> {
    const w = this.c.t.workspaces;
    const rows = await this.c.run((db) =>
      db
        .update(w)
        .set({ uninstalledAt: at })
        .where(and(eq(w.teamId, teamId), isNull(w.uninstalledAt)))
        .returning({ teamId: w.teamId }),
    );
    return rows.length > 0;
  }

  /** The workspaces uninstalled before `cutoff` (epoch ms). */
  async uninstalledBefore(cutoff: number): Promise<string[]> {
    const w = this.c.t.workspaces;
    const rows = await this.c.run((db) =>
      db
        .select({ teamId: w.teamId })
        .from(w)
        .where(and(isNotNull(w.uninstalledAt), lt(w.uninstalledAt, cutoff))),
    );
    return rows.map((r) => r.teamId);
  }

  /**
   * Deletes these workspaces in one transaction: every row with a foreign key to workspaces goes with it (ON DELETE
   * CASCADE), admin notices and OAuth states (keyed by team id only) explicitly.
   */
  async purge(teamIds: string[]): Promise<void> {
    if (!teamIds.length) return;
    const { adminNotices, oauthStates, workspaces } = this.c.t;
    forgetSettings(teamIds);
    await this.c.tx(async (t) => {
      await t.run((db) => db.delete(adminNotices).where(inArray(adminNotices.teamId, teamIds)));
      await t.run((db) => db.delete(oauthStates).where(inArray(oauthStates.teamId, teamIds)));
      await t.run((db) => db.delete(workspaces).where(inArray(workspaces.teamId, teamIds)));
    });
    forgetSettings(teamIds);
  }

  /**
   * Runs fn so that what it deletes leaves no readable bytes behind where the dialect allows it. SQLite: secure_delete
   * zeroes freed pages while fn runs, and the WAL is folded into the database file afterwards. Postgres has no such
   * switch (dead rows stay until VACUUM reuses them): fn just runs.
   */
  async scrubbingDeletes<T>(fn: () => Promise<T>): Promise<T> {
    if (this.c.dialect !== 'sqlite') return fn();
    const client = this.c.db.$client;
    client.pragma('secure_delete = ON');
    try {
      const out = await fn();
      client.pragma('wal_checkpoint(TRUNCATE)');
      return out;
    } finally {
      client.pragma('secure_delete = OFF');
    }
  }

  /** A reinstall within the retention period: the workspace's data stays. */
  async markInstalled(teamId: string): Promise<void> {
    const w = this.c.t.workspaces;
    await this.c.run((db) => db.update(w).set({ uninstalledAt: null }).where(eq(w.teamId, teamId)));
  }

  async getSettings(teamId: string): Promise<WorkspaceSettings> {
    if (this.c.inTx) return this.readSettings(teamId);
    return copyOf(await this.cached.read(teamId, () => this.readSettings(teamId)));
  }

  private async readSettings(teamId: string): Promise<WorkspaceSettings> {
    const s = this.c.t.settings;
    const [r] = await this.c.run((db) => db.select().from(s).where(eq(s.teamId, teamId)).limit(1));
    if (!r) return { teamId, ...DEFAULT_SETTINGS, adminUserIds: [], payerUserIds: [] };
    return {
      teamId,
      autoSync: r.autoSync,
      defaultPurchaseAccountId: r.defaultPurchaseAccountId,
      defaultType: r.defaultType,
      defaultExpenseAccountId: r.defaultExpenseAccountId,
      adminUserIds: r.adminUserIds ?? [],
      payerUserIds: r.payerUserIds ?? [],
    };
  }

  /** Forgets the default purchase and expense accounts (ids of a QBO company the workspace left). */
  async clearDefaultAccounts(teamId: string): Promise<void> {
    const s = this.c.t.settings;
    forgetSettings([teamId]);
    await this.c.run((db) => db.update(s).set({ defaultPurchaseAccountId: null, defaultExpenseAccountId: null }).where(eq(s.teamId, teamId)));
  }

  /** Applies `patch` in one transaction; returns the settings before and after. */
  async updateSettings(teamId: string, patch: SettingsPatch, by: string): Promise<{ before: WorkspaceSettings; after: WorkspaceSettings }> {
    const out = await this.c.tx(async (t) => {
      const ws = new WorkspaceStore(t);
      await ws.ensure(teamId);
      const before = await ws.getSettings(teamId);
      const s = t.t.settings;
      forgetSettings([teamId]);
      await t.run((db) =>
        db
          .update(s)
          .set({ ...patch, updatedBy: by, updatedAt: Date.now() })
          .where(eq(s.teamId, teamId)),
      );
      return { before, after: await ws.getSettings(teamId) };
    });
    forgetSettings([teamId]); // again once committed: a read between the update and the commit saw the old values
    return out;
  }
}
