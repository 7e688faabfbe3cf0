import { describe, it, expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { loadConfig, ConfigError } from '../src/config.ts';
import { createEngine } from '../src/engine.ts';
import { createLogger } from '../src/log.ts';
import { freshDatabase, queryRows } from '../emulators/postgres.ts';
import { PG_SKIP_REASON, testDatabaseUrl } from './store/postgres.ts';

const minimal = {
  PUBLIC_URL: 'https://invoices.example.com/',
  APP_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  SLACK_SIGNING_SECRET: 'sig',
  SLACK_BOT_TOKEN: 'xoxb-1',
  QBO_CLIENT_ID: 'id',
  QBO_CLIENT_SECRET: 'secret',
};

describe('configuration', () => {
  it('lists everything that is missing at once', () => {
    try {
      loadConfig({});
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const name of ['PUBLIC_URL', 'APP_ENCRYPTION_KEY', 'SLACK_SIGNING_SECRET', 'QBO_CLIENT_ID', 'QBO_CLIENT_SECRET', 'SLACK_BOT_TOKEN']) {
        expect(problems).toContain(name);
      }
    }
  });

  it('reading files: EXTRACT_WORKERS defaults to cores − 1 (at least 1), budget 20 pages / 60 s; nonsense is refused', () => {
    const cores = availableParallelism();
    expect(loadConfig(minimal).extract).toEqual({ workers: Math.max(1, cores - 1), maxPages: 20, maxSeconds: 60 });
    expect(loadConfig({ ...minimal, EXTRACT_WORKERS: '3', EXTRACT_MAX_PAGES: '5', EXTRACT_MAX_SECONDS: '12.5' }).extract).toEqual({
      workers: 3,
      maxPages: 5,
      maxSeconds: 12.5,
    });
    expect(() => loadConfig({ ...minimal, EXTRACT_WORKERS: '0' })).toThrow(/EXTRACT_WORKERS/);
    expect(() => loadConfig({ ...minimal, EXTRACT_MAX_PAGES: 'many' })).toThrow(/EXTRACT_MAX_PAGES/);
  });

  it('applies defaults: sandbox URLs, port 3000, database path, redirect URI from PUBLIC_URL', () => {
    const c = loadConfig(minimal);
    expect(c.port).toBe(3000);
    expect(c.databasePath).toBe('./data/app.db');
    expect(c.qbo.environment).toBe('sandbox');
    expect(c.qbo.apiBaseUrl).toBe('https://sandbox-quickbooks.api.intuit.com');
    expect(c.qbo.redirectUri).toBe('https://invoices.example.com/qbo/callback');
    expect(c.qbo.appUrl).toBe('https://app.sandbox.qbo.intuit.com');
    expect(c.slack.apiUrl).toBe('https://slack.com/api/');
    expect(c.slack.fileHosts).toEqual(['files.slack.com']);
    expect(c.encryptionKey).toHaveLength(32);
  });

  it('DATABASE_URL=postgres://… selects PostgreSQL; without it SQLite at DATABASE_PATH; another URL is refused without echoing it', async () => {
    expect(loadConfig(minimal).database).toEqual({ kind: 'sqlite', path: './data/app.db' });
    expect(loadConfig({ ...minimal, DATABASE_PATH: '/var/lib/app.db', DATABASE_URL: '' }).database).toEqual({
      kind: 'sqlite',
      path: '/var/lib/app.db',
    });
    const url = 'postgres://app:s3cret@db.internal:5432/invoices';
    expect(loadConfig({ ...minimal, DATABASE_URL: url }).database).toEqual({ kind: 'postgres', url });
    expect(loadConfig({ ...minimal, DATABASE_URL: 'postgresql://db/x' }).database.kind).toBe('postgres');
    try {
      loadConfig({ ...minimal, DATABASE_URL: 'mysql://app:s3cret@db/invoices' });
      expect.unreachable();
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([expect.stringMatching(/^DATABASE_URL: must be a PostgreSQL URL/)]);
      expect((err as Error).message).not.toContain('s3cret');
    }
  });

  it('uses production endpoints when asked', () => {
    const c = loadConfig({ ...minimal, QBO_ENVIRONMENT: 'production' });
    expect(c.qbo.apiBaseUrl).toBe('https://quickbooks.api.intuit.com');
    expect(c.qbo.appUrl).toBe('https://app.qbo.intuit.com');
  });

  it('rejects a key that is not 32 bytes, and mixed Slack modes', () => {
    expect(() => loadConfig({ ...minimal, APP_ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(/APP_ENCRYPTION_KEY: must be 32 random bytes/);
    expect(() => loadConfig({ ...minimal, SLACK_CLIENT_ID: 'x' })).toThrow(/not both/);
    const { SLACK_BOT_TOKEN: _, ...noBot } = minimal;
    expect(() => loadConfig({ ...noBot, SLACK_CLIENT_ID: 'x' })).toThrow(/SLACK_CLIENT_SECRET: required/);
    expect(loadConfig({ ...noBot, SLACK_CLIENT_ID: 'x', SLACK_CLIENT_SECRET: 'y', SLACK_STATE_SECRET: 'z' }).slack.clientId).toBe('x');
  });

  it('parses lists and treats empty values as unset', () => {
    const c = loadConfig({ ...minimal, SLACK_ADMIN_USER_IDS: 'U1, U2,', SLACK_FILE_HOSTS: '', QBO_API_BASE_URL: 'http://127.0.0.1:9/' });
    expect(c.slack.adminUserIds).toEqual(['U1', 'U2']);
    expect(c.slack.fileHosts).toEqual(['files.slack.com']);
    expect(c.qbo.apiBaseUrl).toBe('http://127.0.0.1:9');
  });
});

const pgServer = testDatabaseUrl();
describe.skipIf(!pgServer)(`DATABASE_URL on a real server${pgServer ? '' : ` — ${PG_SKIP_REASON}`}`, () => {
  it('a postgres DATABASE_URL runs the engine on that database: migrated at start, its rows there, not in a SQLite file', async () => {
    const db = await freshDatabase(pgServer!);
    try {
      const engine = await createEngine(
        loadConfig({ ...minimal, DATABASE_URL: db.url, DATABASE_PATH: '/nonexistent/app.db' }),
        createLogger('silent'),
      );
      try {
        expect(engine.databaseKind).toBe('postgres');
        await engine.store.workspaces.ensure('T1');
      } finally {
        await engine.close();
      }
      const rows = await queryRows<{ team_id: string }>(db.url, 'SELECT team_id FROM workspaces');
      expect(rows.map((r) => r.team_id)).toEqual(['T1']);
    } finally {
      await db.drop();
    }
  });
});
