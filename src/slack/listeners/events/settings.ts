import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.ts';
import { publishHome } from '../../settings-service.ts';

/** App Home: connection status and settings summary (the invoice section comes from the intake feature). */
export function register(app: App, deps: SlackDeps) {
  app.event('app_home_opened', async ({ event, client, context }) => {
    if (event.tab !== 'home' || !context.teamId) return;
    try {
      await publishHome(deps, client, context.teamId, event.user);
    } catch (err) {
      deps.log.warn('app home publish failed', { teamId: context.teamId, error: err });
    }
  });
}
