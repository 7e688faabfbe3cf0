import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.ts';
import { uninstallWorkspace } from '../../lifecycle.ts';

/** app_uninstalled / tokens_revoked (Bolt delivers both without authorizing: the token is gone by then). */
export function register(app: App, deps: SlackDeps) {
  const handle = (why: string) => async ({ body }: { body: { team_id?: string } }) => {
    const teamId = body.team_id;
    if (!teamId) return;
    await uninstallWorkspace(deps.engine, teamId, why).catch((err) => deps.log.error('uninstall clean-up failed', { teamId, error: err }));
  };
  app.event('app_uninstalled', handle('app_uninstalled'));
  app.event('tokens_revoked', async (args) => {
    // Only the bot's token matters: a user token revoked alone leaves the installation working.
    if (!args.event.tokens?.bot?.length) return;
    await handle('tokens_revoked')(args);
  });
}
