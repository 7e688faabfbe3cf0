import type { CustomRoute } from '@slack/bolt';
import type { SlackDeps } from '../slack/deps.ts';

/** GET /qbo/connect and GET /qbo/callback (the QBO consent flow). */
export function qboOAuthRoutes(_deps: SlackDeps): CustomRoute[] {
  return [];
}
