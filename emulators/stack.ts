import { createServer } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../src/config.ts';
import { createLogger, type Logger } from '../src/log.ts';
import { startApp, type RunningApp } from '../src/server.ts';
import { startQboEmulator, type QboEmulator } from './qbo/index.ts';
import { startSlackFake, createSlackDriver, type SlackFake, type SlackDriver, type FakeTeam } from './slack/index.ts';
import { tempDir } from './temp-dir.ts';
import { freshDatabase, stackDatabaseKind, stackServerUrl, type FreshDatabase } from './postgres.ts';
import { BOT_SCOPES } from '../src/slack/app.ts';

/**
 * The whole product on loopback: QBO + Intuit OAuth emulator, Slack Web API fake, and the real app (real Bolt,
 * node-quickbooks, intuit-oauth, SQLite) started exactly as `npm start` does, from environment-style config.
 */

export const TEAM_A: FakeTeam = {
  id: 'T0A',
  name: 'Keystone Builders',
  domain: 'keystone',
  botToken: 'xoxb-team-a-bot-token',
  botUserId: 'U0BOTA',
  users: [
    { id: 'UADMIN', name: 'alice.admin', is_admin: true },
    { id: 'UOWNER', name: 'olivia.owner', is_owner: true },
    { id: 'UFOREMAN', name: 'frank.foreman' },
    { id: 'UPM', name: 'pat.pm' },
  ],
  channels: [
    { id: 'CJOB1', name: 'job-oak-street' },
    { id: 'CJOB2', name: 'job-harbor-view' },
    { id: 'CGEN', name: 'general' },
  ],
};

export const TEAM_B: FakeTeam = {
  id: 'T0B',
  name: 'Other Co',
  domain: 'otherco',
  botToken: 'xoxb-team-b-bot-token',
  botUserId: 'U0BOTB',
  users: [
    { id: 'UBADMIN', name: 'bea.admin', is_admin: true },
    { id: 'UBUSER', name: 'bob.user' },
  ],
  channels: [{ id: 'CBJOB', name: 'job-b' }],
};

export interface Stack {
  qbo: QboEmulator;
  slack: SlackFake;
  driver: SlackDriver;
  app: RunningApp;
  config: Config;
  /** The environment the app was started from (another instance on the same database starts from it too). */
  env: Record<string, string>;
  signingSecret: string;
  dir: string;
  logs: string[];
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The environment `npm start` would get to run against the local stand-ins. */
export function appEnv(p: {
  qbo: QboEmulator;
  slack: SlackFake;
  port: number;
  dir: string;
  signingSecret: string;
  botToken: string;
}): Record<string, string> {
  return {
    PORT: String(p.port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${p.port}`,
    DATABASE_PATH: join(p.dir, 'app.db'),
    APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SLACK_SIGNING_SECRET: p.signingSecret,
    SLACK_BOT_TOKEN: p.botToken,
    SLACK_API_URL: p.slack.apiUrl,
    SLACK_FILE_HOSTS: p.slack.fileHost,
    QBO_CLIENT_ID: p.qbo.clientId,
    QBO_CLIENT_SECRET: p.qbo.clientSecret,
    QBO_API_BASE_URL: p.qbo.url,
    QBO_AUTHORIZE_URL: p.qbo.authorizeUrl,
    QBO_TOKEN_URL: p.qbo.tokenUrl,
    QBO_REVOKE_URL: p.qbo.revokeUrl,
  };
}

export interface StackOptions {
  teams?: FakeTeam[];
  /** Multi-workspace mode (SLACK_CLIENT_ID…) instead of one bot token. */
  env?: Record<string, string>;
  qbo?: Parameters<typeof startQboEmulator>[0];
  logLevel?: string;
  /**
   * The app's database: SQLite in the stack's temp dir, or a fresh database on the Postgres server at
   * TEST_DATABASE_URL (dropped at stop). Default: `TEST_APP_DATABASE` (postgres runs every stack on Postgres).
   */
  database?: 'sqlite' | 'postgres';
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const tmp = tempDir();
  // The fake grants exactly the scopes the manifest requests, so a call needing another scope fails as in Slack.
  const teams = (opts.teams ?? [TEAM_A]).map((t) => ({ scopes: [...BOT_SCOPES], ...t }));
  const qbo = await startQboEmulator(opts.qbo);
  const slack = await startSlackFake({ teams });
  const port = await freePort();
  const signingSecret = randomBytes(16).toString('hex');
  const pg: FreshDatabase | null = (opts.database ?? stackDatabaseKind()) === 'postgres' ? await freshDatabase(stackServerUrl()) : null;
  const env: Record<string, string> = {
    ...appEnv({ qbo, slack, port, dir: tmp.dir, signingSecret, botToken: teams[0].botToken }),
    ...(pg ? { DATABASE_URL: pg.url } : {}),
    LOG_LEVEL: opts.logLevel ?? 'warn',
    WORKER_POLL_MS: '50',
    WORKER_BACKOFF_BASE_MS: '50',
    ...opts.env,
  };
  const config = loadConfig(env);
  const logs: string[] = [];
  const log: Logger = createLogger(config.logLevel, {}, (line) => logs.push(line));
  const app = await startApp(config, log).catch(async (err) => {
    await Promise.all([slack.close(), qbo.close(), pg?.drop()]);
    tmp.cleanup();
    throw err;
  });
  const driver = createSlackDriver({ appUrl: app.url, signingSecret, fake: slack });
  return {
    qbo,
    slack,
    driver,
    app,
    config,
    env,
    signingSecret,
    dir: tmp.dir,
    logs,
    async stop() {
      await app.stop();
      await slack.close();
      await qbo.close();
      await pg?.drop();
      tmp.cleanup();
    },
  };
}

/** Polls until `fn` returns a truthy value (effects of Slack listeners happen after the 3-second ack). */
export async function waitFor<T>(fn: () => T | Promise<T>, what = 'condition', timeoutMs = 10_000): Promise<NonNullable<T>> {
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
