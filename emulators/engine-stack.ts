import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { createEngine, type Engine } from '../src/engine.ts';
import { addProfile } from '../src/workspace/profiles.ts';
import { startQboEmulator, type QboEmulator, type QboEmulatorOptions } from './qbo/index.ts';
import { tempDir } from './temp-dir.ts';
import { freshDatabase, stackDatabaseKind, stackServerUrl } from './postgres.ts';

/** The Slack-free core against the QBO emulator over real HTTP (real node-quickbooks and intuit-oauth). */
export interface EngineStack {
  emu: QboEmulator;
  engine: Engine;
  dbPath: string;
  env: Record<string, string>;
  logs: string[];
  connect(teamId?: string, realm?: string): Promise<string>;
  /** A fresh engine on the same database (a restarted process). */
  restart(): Promise<Engine>;
  stop(): Promise<void>;
}

export async function startEngineStack(o: { emu?: QboEmulatorOptions; env?: Record<string, string> } = {}): Promise<EngineStack> {
  const tmp = tempDir();
  const emu = await startQboEmulator(o.emu);
  const dbPath = join(tmp.dir, 'engine.db');
  // TEST_APP_DATABASE=postgres: a fresh database on TEST_DATABASE_URL's server instead of the SQLite file.
  const pg = stackDatabaseKind() === 'postgres' ? await freshDatabase(stackServerUrl()) : null;
  const env: Record<string, string> = {
    PUBLIC_URL: 'http://127.0.0.1:1',
    APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SLACK_SIGNING_SECRET: 'unused',
    SLACK_BOT_TOKEN: 'xoxb-unused',
    DATABASE_PATH: dbPath,
    QBO_CLIENT_ID: emu.clientId,
    QBO_CLIENT_SECRET: emu.clientSecret,
    QBO_API_BASE_URL: emu.url,
    QBO_AUTHORIZE_URL: emu.authorizeUrl,
    QBO_TOKEN_URL: emu.tokenUrl,
    QBO_REVOKE_URL: emu.revokeUrl,
    WORKER_POLL_MS: '20',
    WORKER_BACKOFF_BASE_MS: '20',
    LOG_LEVEL: 'debug',
    ...(pg ? { DATABASE_URL: pg.url } : {}),
    ...o.env,
  };
  const logs: string[] = [];
  const make = () =>
    createEngine(
      loadConfig(env),
      createLogger('debug', {}, (l) => logs.push(l)),
    );
  const stack: EngineStack = {
    emu,
    engine: await make(),
    dbPath,
    env,
    logs,
    async connect(teamId = 'T1', realm?: string) {
      const { engine } = stack;
      emu.nextAuthorizeRealm = realm ?? emu.defaultRealmId;
      const consent = await fetch(engine.oauth.authorizeUrl('state-123'), { redirect: 'manual' });
      const location = consent.headers.get('location');
      if (consent.status !== 302 || !location) throw new Error(`authorize answered ${consent.status}`);
      const tokens = await engine.oauth.exchangeCode(location);
      await engine.store.workspaces.ensure(teamId);
      await engine.connections.save(teamId, tokens.realmId, tokens, { connectedBy: 'UADMIN' });
      const info = await engine.qbo.companyInfo(teamId);
      await engine.connections.setCompanyName(teamId, info.CompanyName);
      await engine.lists.refresh(teamId);
      return tokens.realmId;
    },
    async restart() {
      await stack.engine.close();
      stack.engine = await make();
      return stack.engine;
    },
    async stop() {
      await stack.engine.close();
      await emu.close();
      await pg?.drop();
      tmp.cleanup();
    },
  };
  return stack;
}

/** Finds a cached QBO list row by exact name. */
export async function byName(engine: Engine, teamId: string, entity: 'Account' | 'Customer' | 'Item' | 'Vendor', name: string) {
  const hit = (await engine.lists.search(teamId, entity, name, { includeInactive: true, limit: 100 })).find(
    (r) => r.name === name || r.fullName === name,
  );
  if (!hit) throw new Error(`${entity} "${name}" not in the seeded company`);
  return hit;
}

/** Workspace set up as an admin would: default purchase account, expense account, linked project + cost code. */
export async function configureWorkspace(engine: Engine, teamId: string, o: { autoSync?: boolean } = {}) {
  const checking = await byName(engine, teamId, 'Account', 'Operating Checking');
  const materials = await byName(engine, teamId, 'Account', 'Job Materials');
  await engine.store.workspaces.updateSettings(
    teamId,
    {
      autoSync: o.autoSync ?? true,
      defaultPurchaseAccountId: checking.id,
      defaultExpenseAccountId: materials.id,
      defaultType: 'Bill',
    },
    'UADMIN',
  );
  const customer = (await engine.lists.search(teamId, 'Customer', '', { types: ['Project'], limit: 1 }))[0];
  const item = (await engine.lists.search(teamId, 'Item', 'Concrete', { limit: 1 }))[0];
  const project = await addProfile(engine.store, teamId, 'project', 'Oak Street', {
    entity: 'Customer',
    id: customer.id,
    name: customer.fullName,
  });
  const costCode = await addProfile(engine.store, teamId, 'cost_code', '03-300 Concrete', {
    entity: 'Item',
    id: item.id,
    name: item.fullName,
  });
  return { checking, materials, customer, item, project, costCode };
}
