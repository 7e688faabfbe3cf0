import type { CustomRoute } from '@slack/bolt';
import type { HttpDeps } from './deps.ts';
import { healthRoute } from './health.ts';
import { qboOAuthRoutes } from './qbo-oauth.ts';
import { qboDisconnectedRoute, qboWebhookRoute } from './qbo-webhooks.ts';

export function customRoutes(deps: HttpDeps): CustomRoute[] {
  return [healthRoute(deps), ...qboOAuthRoutes(deps), qboWebhookRoute(deps), qboDisconnectedRoute()];
}
