import { eq } from 'drizzle-orm';
import type { Db } from '../store/sqlite/client.ts';
import { settings, workspaces } from '../store/sqlite/schema.ts';
import { DEFAULT_SETTINGS, type WorkspaceSettings } from '../store/workspace.ts';

export type { WorkspaceSettings };

export function ensureWorkspace(db: Db, teamId: string, name?: string) {
  db.insert(workspaces).values({ teamId, name }).onConflictDoNothing().run();
  db.insert(settings).values({ teamId }).onConflictDoNothing().run();
}

/** A workspace's settings; one that never saved any reads as the defaults, and reading writes nothing. */
export function getSettings(db: Db, teamId: string): WorkspaceSettings {
  const r = db.select().from(settings).where(eq(settings.teamId, teamId)).get();
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

export function updateSettings(
  db: Db,
  teamId: string,
  patch: Partial<Omit<WorkspaceSettings, 'teamId'>>,
  by: string,
): { before: WorkspaceSettings; after: WorkspaceSettings } {
  ensureWorkspace(db, teamId);
  const before = getSettings(db, teamId);
  db.update(settings)
    .set({ ...patch, updatedBy: by, updatedAt: new Date().toISOString() })
    .where(eq(settings.teamId, teamId))
    .run();
  return { before, after: getSettings(db, teamId) };
}
