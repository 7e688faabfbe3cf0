import type { Engine } from '../engine.ts';

/**
 * A Slack workspace that uninstalls the app (`app_uninstalled`, `tokens_revoked`: either order, either alone):
 * its installation and bot token are deleted, its queued work stops, its QuickBooks authorization is revoked at
 * Intuit and deleted here. Invoices, settings and links stay DATA_RETENTION_DAYS, so a reinstall within it finds
 * everything; after that, everything of the workspace is deleted.
 */

export async function uninstallWorkspace(engine: Engine, teamId: string, why: string): Promise<{ first: boolean }> {
  const { store, log } = engine;
  const first = await store.workspaces.markUninstalled(teamId, Date.now());
  // Deleted pages are zeroed (no token ciphertext left in free pages), and the WAL is folded in afterwards.
  await store.workspaces.scrubbingDeletes(async () => {
    await store.installations.delete(teamId);
    const stopped = await store.jobs.stopTeam(teamId, `workspace uninstalled (${why})`);
    const conn = await engine.connections.get(teamId);
    let revoked = false;
    if (conn && conn.status !== 'disconnected') {
      ({ revoked } = await engine.connections.disconnect(teamId));
      await store.connections.setStatusReason(teamId, 'The Slack app was uninstalled');
    }
    log.info('slack workspace uninstalled', { teamId, why, jobsStopped: stopped, qboRevoked: revoked });
  });
  return { first };
}

/** Deletes every workspace uninstalled more than `days` ago, with all its data. Returns the team ids deleted. */
export async function purgeUninstalled(engine: Engine, days: number, now = Date.now()): Promise<string[]> {
  const { store } = engine;
  const gone = await store.workspaces.uninstalledBefore(now - days * 86_400_000);
  if (!gone.length) return [];
  await store.jobs.deleteTeams(gone);
  await store.workspaces.purge(gone);
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
