import { and, eq, inArray, isNotNull, isNull, lt } from 'drizzle-orm';
import { qboConnections } from '../store/sqlite/schema.ts';
import type { Engine } from '../engine.ts';
import { adminNotices, oauthStates, slackInstallations, workspaces } from '../store/sqlite/schema.ts';

/**
 * A Slack workspace that uninstalls the app (`app_uninstalled`, `tokens_revoked`: either order, either alone):
 * its installation and bot token are deleted, its queued work stops, its QuickBooks authorization is revoked at
 * Intuit and deleted here. Invoices, settings and links stay DATA_RETENTION_DAYS, so a reinstall within it finds
 * everything; after that, everything of the workspace is deleted.
 */

export async function uninstallWorkspace(engine: Engine, teamId: string, why: string): Promise<{ first: boolean }> {
  const { db, log } = engine;
  const now = new Date().toISOString();
  const first = db
    .update(workspaces)
    .set({ uninstalledAt: now })
    .where(and(eq(workspaces.teamId, teamId), isNull(workspaces.uninstalledAt)))
    .run();
  // Deleted pages are zeroed (no token ciphertext left in free pages), and the WAL is folded in afterwards.
  db.$client.pragma('secure_delete = ON');
  try {
    db.delete(slackInstallations).where(eq(slackInstallations.id, teamId)).run();
    const stopped = await engine.store.jobs.stopTeam(teamId, `workspace uninstalled (${why})`);
    const conn = await engine.connections.get(teamId);
    let revoked = false;
    if (conn && conn.status !== 'disconnected') {
      ({ revoked } = await engine.connections.disconnect(teamId));
      db.update(qboConnections).set({ statusReason: 'The Slack app was uninstalled' }).where(eq(qboConnections.teamId, teamId)).run();
    }
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    log.info('slack workspace uninstalled', { teamId, why, jobsStopped: stopped, qboRevoked: revoked });
  } finally {
    db.$client.pragma('secure_delete = OFF');
  }
  return { first: first.changes > 0 };
}

/** Deletes every workspace uninstalled more than `days` ago, with all its data. Returns the team ids deleted. */
export async function purgeUninstalled(engine: Engine, days: number, now = Date.now()): Promise<string[]> {
  const { db } = engine;
  const cutoff = new Date(now - days * 86_400_000).toISOString();
  const gone = db
    .select({ teamId: workspaces.teamId })
    .from(workspaces)
    .where(and(isNotNull(workspaces.uninstalledAt), lt(workspaces.uninstalledAt, cutoff)))
    .all()
    .map((r) => r.teamId);
  if (!gone.length) return [];
  // Everything with a foreign key to workspaces goes with it (ON DELETE CASCADE); the rest by team id.
  await engine.store.jobs.deleteTeams(gone);
  db.transaction((tx) => {
    tx.delete(adminNotices).where(inArray(adminNotices.teamId, gone)).run();
    tx.delete(oauthStates).where(inArray(oauthStates.teamId, gone)).run();
    tx.delete(workspaces).where(inArray(workspaces.teamId, gone)).run();
  });
  engine.log.info('deleted the data of uninstalled workspaces past the retention period', { teams: gone.length, days });
  return gone;
}

/** Runs the purge at start-up and every hour; returns the stop function. */
export function startRetention(engine: Engine, days: number): () => void {
  const run = () => {
    purgeUninstalled(engine, days).catch((err) => engine.log.warn('retention clean-up failed', { error: err }));
  };
  run();
  const t = setInterval(run, 3600_000);
  t.unref?.();
  return () => clearInterval(t);
}
