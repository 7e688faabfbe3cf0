import { eq } from 'drizzle-orm';
import type { Db } from '../store/sqlite/client.ts';
import { settings, workspaces, type TxnType } from '../store/sqlite/schema.ts';

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

export function ensureWorkspace(db: Db, teamId: string, name?: string) {
  db.insert(workspaces).values({ teamId, name }).onConflictDoNothing().run();
  db.insert(settings).values({ teamId }).onConflictDoNothing().run();
}

export function getSettings(db: Db, teamId: string): WorkspaceSettings {
  ensureWorkspace(db, teamId);
  const r = db.select().from(settings).where(eq(settings.teamId, teamId)).get()!;
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
  const before = getSettings(db, teamId);
  db.update(settings)
    .set({ ...patch, updatedBy: by, updatedAt: new Date().toISOString() })
    .where(eq(settings.teamId, teamId))
    .run();
  return { before, after: getSettings(db, teamId) };
}
