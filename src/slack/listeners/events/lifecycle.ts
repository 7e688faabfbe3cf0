import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.ts';
import { uninstallWorkspace } from '../../lifecycle.ts';

/** Slack's answers to a token that no longer works: the workspace really did uninstall or revoke. */
const GONE = new Set(['invalid_auth', 'token_revoked', 'account_inactive', 'not_authed', 'team_not_found', 'app_uninstalled']);

/**
 * Is the app still installed there? Deleting a workspace's tokens and revoking its QuickBooks connection is not
 * undone by a reinstall, so a signed event alone (which a replay or a mutated payload can also be) is not enough:
 * the bot token must also have stopped working. No token stored means an earlier event already did the work.
 */
async function stillInstalled(deps: SlackDeps, teamId: string): Promise<boolean> {
  let client: Awaited<ReturnType<SlackDeps['clientFor']>>;
  try {
    client = await deps.clientFor(teamId);
  } catch {
    return false;
  }
  try {
    const res = await client.auth.test();
    return res.ok === true && (!res.team_id || res.team_id === teamId);
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    // Only a definite "this token works" keeps the workspace; an outage does not hold up a real uninstall.
    if (code && !GONE.has(code)) deps.log.warn('auth.test failed while checking an uninstall', { teamId, error: code });
    return false;
  }
}

/** app_uninstalled / tokens_revoked (Bolt delivers both without authorizing: the token is gone by then). */
export function register(app: App, deps: SlackDeps) {
  const handle =
    (why: string) =>
    async ({ body }: { body: { team_id?: string } }) => {
      const teamId = body.team_id;
      if (!teamId) return;
      if (await stillInstalled(deps, teamId)) {
        deps.log.warn('uninstall event ignored: the bot token still works', { teamId, why });
        return;
      }
      await uninstallWorkspace(deps.engine, teamId, why).catch((err) => deps.log.error('uninstall clean-up failed', { teamId, error: err }));
    };
  app.event('app_uninstalled', handle('app_uninstalled'));
  app.event('tokens_revoked', async (args) => {
    // Only the bot's token matters: a user token revoked alone leaves the installation working.
    if (!args.event.tokens?.bot?.length) return;
    await handle('tokens_revoked')(args);
  });
}
