import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BOT_SCOPES } from '../../src/slack/app.ts';
import { startQboEmulator, type QboEmulator } from '../../emulators/qbo/index.ts';
import { createSlackDriver, startSlackFake, type FakeTeam, type SlackDriver, type SlackFake } from '../../emulators/slack/index.ts';
import { freePort, TEAM_A, TEAM_B } from '../../emulators/stack.ts';
import { spawnApp, type AppProcess } from '../reliability/app-process.ts';
import { prepareWorkspace } from '../reliability/world.ts';
import { clusterDatabase, type InvoiceRow } from './database.ts';

/**
 * bench:cluster's world: one QBO emulator (Intuit's limits, window scaled down), one Slack fake with three
 * workspaces (multi-workspace mode, each its own QBO company), one database, and N app instances (separate
 * processes) behind a "load balancer" that sends each delivery to a random live instance.
 */

export const TEAM_C: FakeTeam = {
  id: 'T0C',
  name: 'Third Co',
  domain: 'thirdco',
  botToken: 'xoxb-team-c-bot-token',
  botUserId: 'U0BOTC',
  users: [
    { id: 'UCADMIN', name: 'cy.admin', is_admin: true },
    { id: 'UCUSER', name: 'cal.user' },
  ],
  channels: [{ id: 'CCJOB', name: 'job-c' }],
};

export interface Company {
  team: FakeTeam;
  /** Who shares the invoices and reviews them; the channel bound to a project. */
  user: string;
  channel: string;
  realmId: string;
  costCodeId: number;
}

export interface Instance {
  index: number;
  env: Record<string, string>;
  driver: SlackDriver;
  app: AppProcess | null;
  /** What earlier processes of this instance wrote (before a kill). */
  earlier: string[];
}

export interface ClusterWorld {
  qbo: QboEmulator;
  slack: SlackFake;
  companies: Company[];
  instances: Instance[];
  windowMs: number;
  database: 'sqlite' | 'postgres';
  /** A live instance's driver, at random (what a load balancer does); `not` excludes one. */
  pick(not?: Instance): Instance;
  live(): Instance[];
  start(i: Instance): Promise<void>;
  kill(i: Instance): Promise<void>;
  /** Every invoice row, read from the shared database from outside the app. */
  rows(): Promise<InvoiceRow[]>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  instances: number;
  /** Intuit's one-minute window, scaled down (the per-minute count scales with it). */
  windowMs: number;
  latencyMs: number;
  rand: () => number;
  /** A PostgreSQL server: the instances share a fresh database on it (dropped at close). Without one, a SQLite file. */
  serverUrl?: string;
  /** Where each instance's output goes at close (`instance-N.log`), for diagnosis. */
  logsDir?: string;
}

/** Installs the app in a workspace the way Slack's OAuth does: /slack/install → consent → /slack/oauth_redirect. */
async function install(url: string, slack: SlackFake, teamId: string): Promise<void> {
  const start = await fetch(`${url}/slack/install`, { redirect: 'manual' });
  const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0];
  const code = slack.issueOAuthCode(teamId);
  const done = await fetch(`${url}/slack/oauth_redirect?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`, {
    headers: { cookie },
    redirect: 'manual',
  });
  if (done.status >= 400) throw new Error(`installing ${teamId} failed: ${done.status}`);
}

export async function startCluster(o: ClusterOptions): Promise<ClusterWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'qbo-cluster-'));
  const db = await clusterDatabase(dir, o.serverUrl);
  const qbo = await startQboEmulator({
    rateWindowMs: o.windowMs,
    rateLimitPerMinute: Math.floor((500 * o.windowMs) / 60_000),
    maxConcurrent: 10,
    latencyMs: o.latencyMs,
  });
  const teams = [TEAM_A, TEAM_B, TEAM_C];
  const slack = await startSlackFake({ teams: teams.map((t) => ({ scopes: [...BOT_SCOPES], ...t })) });
  const signingSecret = randomBytes(16).toString('hex');
  const base: Record<string, string> = {
    HOST: '127.0.0.1',
    ...db.env,
    APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_BOT_TOKEN: '',
    SLACK_CLIENT_ID: 'fake-client-id',
    SLACK_CLIENT_SECRET: 'fake-client-secret',
    SLACK_STATE_SECRET: 'fake-state-secret',
    SLACK_API_URL: slack.apiUrl,
    SLACK_FILE_HOSTS: slack.fileHost,
    SLACK_ADMIN_USER_IDS: 'UADMIN,UBADMIN,UCADMIN',
    QBO_CLIENT_ID: qbo.clientId,
    QBO_CLIENT_SECRET: qbo.clientSecret,
    QBO_API_BASE_URL: qbo.url,
    QBO_AUTHORIZE_URL: qbo.authorizeUrl,
    QBO_TOKEN_URL: qbo.tokenUrl,
    QBO_REVOKE_URL: qbo.revokeUrl,
    QBO_RATE_WINDOW_MS: String(o.windowMs),
    QBO_SHARED_LIMITS: 'true',
    LOG_LEVEL: 'warn',
    WORKER_POLL_MS: '100',
    WORKER_BACKOFF_BASE_MS: '200',
    WORKER_MAX_ATTEMPTS: '12',
    WORKER_LEASE_MS: '15000',
    EXTRACT_WORKERS: '1',
  };
  const ports = await Promise.all(Array.from({ length: o.instances }, () => freePort()));
  // One public URL (the load balancer's); every instance serves it the same.
  const publicUrl = `http://127.0.0.1:${ports[0]}`;
  const instances: Instance[] = ports.map((port, index) => ({
    index,
    env: { ...base, PORT: String(port), PUBLIC_URL: publicUrl },
    driver: createSlackDriver({ appUrl: `http://127.0.0.1:${port}`, signingSecret, fake: slack }),
    app: null,
    earlier: [],
  }));
  const companies: Company[] = [];
  const people: Array<[FakeTeam, string, string]> = [
    [TEAM_A, 'UFOREMAN', 'CJOB1'],
    [TEAM_B, 'UBUSER', 'CBJOB'],
    [TEAM_C, 'UCUSER', 'CCJOB'],
  ];
  const world: ClusterWorld = {
    qbo,
    slack,
    companies,
    instances,
    windowMs: o.windowMs,
    database: db.kind,
    live: () => instances.filter((i) => i.app),
    pick(not) {
      const live = world.live().filter((i) => i !== not);
      const from = live.length ? live : world.live();
      return from[Math.floor(o.rand() * from.length)];
    },
    async start(i) {
      i.app = await spawnApp(i.env);
    },
    async kill(i) {
      await i.app?.kill('SIGKILL');
      i.earlier.push(...(i.app?.output ?? []), '--- SIGKILL ---');
      i.app = null;
    },
    rows: () => db.rows(),
    async close() {
      await Promise.all(instances.map((i) => i.app?.kill('SIGKILL')));
      if (o.logsDir) {
        mkdirSync(o.logsDir, { recursive: true });
        for (const i of instances) writeFileSync(join(o.logsDir, `instance-${i.index}.log`), [...i.earlier, ...(i.app?.output ?? [])].join('\n'));
      }
      await db.close();
      await slack.close();
      await qbo.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    for (const [team, user, channel] of people) {
      qbo.nextAuthorizeRealm = qbo.addCompany(`${team.name} Construction`);
      const { realmId, costCodeId } = await prepareWorkspace(instances[0].env, team.id, channel);
      companies.push({ team, user, channel, realmId, costCodeId });
    }
    // Instances start one after another (migrations are applied by the first), then Slack installs the app.
    for (const i of instances) await world.start(i);
    for (const c of companies) await install(instances[0].app!.url, slack, c.team.id);
  } catch (err) {
    await world.close(); // the fresh database is dropped, the emulators stop
    throw err;
  }
  return world;
}
