import { App, type AppOptions } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Engine } from '../engine.ts';
import type { CustomRoute } from '@slack/bolt';
import { boltLogger } from './bolt-logger.ts';
import { SqliteInstallationStore } from './installations.ts';
import { AdminCheck, type SlackDeps } from './deps.ts';
import { registerListeners } from './listeners/index.ts';
import { groupListenersByKind } from './listener-groups.ts';
import { ackWhenUnhandled, dedupeEvents, installedTeam, onlyInstalledTeam, guardSlackHttp } from './request-guards.ts';

/**
 * Bot scopes the code uses (kept in step with manifest.yml by a test). No im:write: DMs are posted with the user's
 * id as the channel, which lands in the app's Messages tab without conversations.open.
 */
export const BOT_SCOPES = ['commands', 'chat:write', 'files:read', 'channels:history', 'groups:history', 'users:read'];

/** Builds the Bolt app: HTTP (or Socket Mode with SLACK_APP_TOKEN), single- or multi-workspace, listeners, routes. */
export function createSlackApp(engine: Engine, customRoutes: (deps: SlackDeps) => CustomRoute[]): { app: App; deps: SlackDeps } {
  const { config, log } = engine;
  const clientOptions = {
    slackApiUrl: config.slack.apiUrl,
    // Production keeps a short retry budget (Slack's 3-second windows); tests point SLACK_API_URL at the fake.
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000 },
  };
  const installationStore = new SqliteInstallationStore(engine.store, config.encryptionKey);

  const clients = new Map<string, WebClient>();
  const deps: SlackDeps = {
    engine,
    config,
    log,
    admins: new AdminCheck({ engine, config, log }),
    async clientFor(teamId: string) {
      const token = config.slack.botToken ?? (await installationStore.botToken(teamId));
      if (!token) throw new Error(`no Slack installation for team ${teamId}`);
      let c = clients.get(token);
      if (!c) clients.set(token, (c = new WebClient(token, { ...clientOptions, logger: boltLogger(log) })));
      return c;
    },
  };

  const base: AppOptions = {
    signingSecret: config.slack.signingSecret,
    logger: boltLogger(log),
    clientOptions,
    customRoutes: customRoutes(deps),
    port: config.port,
    // No listener keeps conversation state; Bolt's default in-memory store (per process, so wrong with several
    // instances anyway) looked every request up and rejected with a fresh Error when there was none.
    convoStore: false,
  };
  const auth: AppOptions = config.slack.botToken
    ? { token: config.slack.botToken }
    : {
        clientId: config.slack.clientId,
        clientSecret: config.slack.clientSecret,
        stateSecret: config.slack.stateSecret,
        scopes: BOT_SCOPES,
        installationStore,
        installerOptions: { directInstall: true, ...(config.slack.appToken ? { port: config.port } : {}) },
      };
  const mode: AppOptions = config.slack.appToken
    ? { socketMode: true, appToken: config.slack.appToken, installerOptions: { ...(auth.installerOptions ?? {}), port: config.port } }
    : {};
  const app = new App({ ...base, ...auth, ...mode });
  app.error(async (err) => {
    log.error('slack listener failed', { error: err });
  });
  if (!config.slack.appToken && !guardSlackHttp(app, { endpoints: ['/slack/events'], signingSecret: config.slack.signingSecret, log })) {
    log.warn('could not install the Slack request guard');
  }
  if (config.slack.botToken) app.use(onlyInstalledTeam(installedTeam(app.client, config.slack.botToken, log), log));
  app.use(dedupeEvents(engine.store, log));
  app.use(ackWhenUnhandled());
  registerListeners(app, deps);
  if (groupListenersByKind(app) === null) log.warn('could not group the Slack listeners by kind');
  return { app, deps };
}
