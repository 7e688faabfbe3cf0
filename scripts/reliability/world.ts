import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { createEngine } from '../../src/engine.ts';
import { createLogger } from '../../src/log.ts';
import { BOT_SCOPES } from '../../src/slack/app.ts';
import { addProfile, bindChannel } from '../../src/workspace/profiles.ts';
import { startQboEmulator, type QboEmulator } from '../../emulators/qbo/index.ts';
import {
  createSlackDriver,
  startSlackFake,
  type FakeTeam,
  type PostedMessage,
  type SlackDriver,
  type SlackFake,
} from '../../emulators/slack/index.ts';
import { freePort, TEAM_A } from '../../emulators/stack.ts';
import { spawnApp, type AppProcess } from './app-process.ts';

/**
 * The world a reliability run happens in: the QBO emulator and the Slack fake in this process, a database prepared
 * as an admin would (QuickBooks connected, Auto-sync on, defaults, a project bound to #job-oak-street, a cost code),
 * and the real app as a child process that can be killed and started again on that database.
 */

/** The harness's first workspace: an admin, a foreman and #job-oak-street among its people and channels. */
export const TEAM: FakeTeam = TEAM_A;
export const CHANNEL = 'CJOB1';
export const USER = 'UFOREMAN';

export interface InvoiceRow {
  id: number;
  status: string;
  slack_file_id: string | null;
  invoice_number: string | null;
  qbo_id: string | null;
  extraction_error: string | null;
}

export interface World {
  qbo: QboEmulator;
  slack: SlackFake;
  driver: SlackDriver;
  env: Record<string, string>;
  realmId: string;
  costCodeId: number;
  app: AppProcess | null;
  /** Starts the app (again) on the same database; resolves once /healthz answers. */
  start(): Promise<AppProcess>;
  /** SIGKILL: no shutdown, no flush. Resolves once the process is gone. */
  kill(): Promise<void>;
  rows(): InvoiceRow[];
  /** The app's card in the thread of a shared message, if posted. */
  card(messageTs: string): PostedMessage | undefined;
  close(): Promise<void>;
}

/**
 * Prepares a workspace on the app's database as its admin would: QuickBooks connected (to the emulator's next
 * authorize realm), lists cached, Auto-sync on with defaults, a project bound to `channel`, a cost code.
 */
export async function prepareWorkspace(
  env: Record<string, string>,
  teamId = TEAM.id,
  channel = CHANNEL,
): Promise<{ realmId: string; costCodeId: number }> {
  const engine = await createEngine(loadConfig(env), createLogger('error'));
  try {
    const consent = await fetch(engine.oauth.authorizeUrl('state-bench'), { redirect: 'manual' });
    const tokens = await engine.oauth.exchangeCode(consent.headers.get('location') ?? '');
    await engine.connections.save(teamId, tokens.realmId, tokens, {
      connectedBy: 'UADMIN',
      companyName: 'Keystone Builders LLC',
    });
    await engine.lists.refresh(teamId);
    const find = async (entity: 'Account' | 'Item', name: string) => {
      const hit = (await engine.lists.search(teamId, entity, name, { limit: 50 })).find((r) => r.name === name || r.fullName === name);
      if (!hit) throw new Error(`${entity} ${name} is not in the seeded company`);
      return hit;
    };
    const checking = await find('Account', 'Operating Checking');
    const materials = await find('Account', 'Job Materials');
    await engine.store.workspaces.updateSettings(
      teamId,
      {
        autoSync: true,
        defaultPurchaseAccountId: checking.id,
        defaultExpenseAccountId: materials.id,
        defaultType: 'Bill',
      },
      'UADMIN',
    );
    const [customer] = await engine.lists.search(teamId, 'Customer', 'Kitchen Remodel', { types: ['Project'], limit: 1 });
    const item = await find('Item', '03-300 Concrete');
    const project = await addProfile(engine.store, teamId, 'project', 'Oak Street', {
      entity: 'Customer',
      id: customer.id,
      name: customer.fullName,
    });
    const costCode = await addProfile(engine.store, teamId, 'cost_code', 'Concrete', {
      entity: 'Item',
      id: item.id,
      name: item.fullName,
    });
    await bindChannel(engine.store, teamId, channel, project.id, 'UADMIN');
    return { realmId: tokens.realmId, costCodeId: costCode.id };
  } finally {
    await engine.close();
  }
}

export async function startWorld(o: { env?: Record<string, string> } = {}): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'qbo-reliability-'));
  const qbo = await startQboEmulator();
  const slack = await startSlackFake({ teams: [{ scopes: [...BOT_SCOPES], ...TEAM }] });
  const port = await freePort();
  const signingSecret = randomBytes(16).toString('hex');
  const env: Record<string, string> = {
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_PATH: join(dir, 'app.db'),
    APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_BOT_TOKEN: TEAM.botToken,
    SLACK_API_URL: slack.apiUrl,
    SLACK_FILE_HOSTS: slack.fileHost,
    SLACK_ADMIN_USER_IDS: 'UADMIN',
    QBO_CLIENT_ID: qbo.clientId,
    QBO_CLIENT_SECRET: qbo.clientSecret,
    QBO_API_BASE_URL: qbo.url,
    QBO_AUTHORIZE_URL: qbo.authorizeUrl,
    QBO_TOKEN_URL: qbo.tokenUrl,
    QBO_REVOKE_URL: qbo.revokeUrl,
    LOG_LEVEL: 'warn',
    WORKER_POLL_MS: '100',
    WORKER_BACKOFF_BASE_MS: '200',
    WORKER_MAX_ATTEMPTS: '12',
    ...o.env,
  };
  const { realmId, costCodeId } = await prepareWorkspace(env);
  const driver = createSlackDriver({ appUrl: `http://127.0.0.1:${port}`, signingSecret, fake: slack });
  let sqlite: Database.Database | null = null;
  const world: World = {
    qbo,
    slack,
    driver,
    env,
    realmId,
    costCodeId,
    app: null,
    async start() {
      world.app = await spawnApp(env);
      return world.app;
    },
    async kill() {
      await world.app?.kill('SIGKILL');
      world.app = null;
    },
    rows() {
      sqlite ??= new Database(env.DATABASE_PATH, { readonly: true, fileMustExist: true });
      return sqlite
        .prepare('SELECT id, status, slack_file_id, invoice_number, qbo_id, extraction_error FROM invoices ORDER BY id')
        .all() as InvoiceRow[];
    },
    card(messageTs) {
      return slack
        .messages(CHANNEL)
        .find(
          (m) =>
            m.thread_ts === messageTs &&
            m.author === TEAM.botUserId &&
            !m.ephemeral &&
            m.blocks?.some((b: { block_id?: string }) => b.block_id === 'invoice_status'),
        );
    },
    async close() {
      await world.app?.kill('SIGKILL');
      sqlite?.close();
      await slack.close();
      await qbo.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `fn` until truthy or the time is up (then null). */
export async function until<T>(fn: () => T | Promise<T>, timeoutMs: number, everyMs = 50): Promise<T | null> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch {
      // not yet
    }
    if (Date.now() > end) return null;
    await sleep(everyMs);
  }
}
