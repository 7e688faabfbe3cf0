import Database from 'better-sqlite3';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle as sqliteDrizzle } from 'drizzle-orm/better-sqlite3';
import { migrate as sqliteMigrate } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as pgDrizzle } from 'drizzle-orm/node-postgres';
import { migrate as pgMigrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.ts';
import { closePostgres, openPostgres } from '../../src/store/postgres/client.ts';
import { PgConn } from '../../src/store/postgres/conn.ts';
import { closeDatabase, openDatabase } from '../../src/store/sqlite/client.ts';
import { SqliteConn } from '../../src/store/sqlite/conn.ts';
import { emptyDatabase, PG_SKIP_REASON, testDatabaseUrl } from './postgres.ts';

/**
 * The ts_one migration (every timestamp to epoch ms): a database migrated up to the migration before it, holding
 * rows with ISO-8601 text timestamps as the app wrote them, is migrated on and reads back the same instants in ms,
 * NULLs still NULL, no child row lost to a table rebuild, and new rows stamped by the database in ms.
 */

const ISO = {
  wsCreated: '2026-03-04T10:11:12.345Z',
  uninstalled: '2026-05-06T07:08:09.010Z',
  linked: '2025-12-31T23:59:59.999Z',
  invCreated: '2026-03-04T09:00:00.001Z',
  invUpdated: '2026-03-05T09:00:00.500Z',
  synced: '2026-03-05T09:00:01.000Z',
  event: '2026-03-04T09:00:00.002Z',
  jobCreated: '2026-01-02T03:04:05.678Z',
  sent: '2026-02-03T04:05:06.789Z',
  refreshed: '2026-04-01T00:00:00.000Z',
  connected: '2026-02-28T12:00:00.000Z',
  install: '2026-02-27T12:00:00.250Z',
  rule: '2026-02-26T12:00:00.125Z',
  policy: '2026-02-25T12:00:00.875Z',
  vendor: '2026-02-24T12:00:00.333Z',
  binding: '2026-02-23T12:00:00.444Z',
};

/** The rows an older app left behind (both dialects accept these statements as written). */
const ROWS = [
  `INSERT INTO workspaces (team_id, name, created_at, uninstalled_at) VALUES ('T1', 'One', '${ISO.wsCreated}', '${ISO.uninstalled}')`,
  `INSERT INTO workspaces (team_id, name) VALUES ('T2', 'Two')`,
  `INSERT INTO settings (team_id, updated_at) VALUES ('T1', '${ISO.policy}')`,
  `INSERT INTO slack_installations (id, installation_enc, updated_at) VALUES ('T1', 'enc', '${ISO.install}')`,
  `INSERT INTO qbo_connections (team_id, realm_id, connected_at, updated_at) VALUES ('T1', 'R1', '${ISO.connected}', '${ISO.connected}')`,
  `INSERT INTO qbo_list_refreshes (team_id, entity, refreshed_at) VALUES ('T1', 'Account', '${ISO.refreshed}')`,
  `INSERT INTO profiles (id, team_id, kind, name, linked_at, created_at) VALUES (1, 'T1', 'project', 'Oak Street', '${ISO.linked}', '${ISO.wsCreated}')`,
  `INSERT INTO profiles (id, team_id, kind, name) VALUES (2, 'T1', 'cost_code', 'Framing')`,
  `INSERT INTO channel_bindings (team_id, channel_id, project_profile_id, created_at) VALUES ('T1', 'C1', 1, '${ISO.binding}')`,
  `INSERT INTO invoices (id, team_id, source, file_name, mime_type, file_size, sha256, project_profile_id, created_at, updated_at, synced_at)
     VALUES (1, 'T1', 'channel', 'a.pdf', 'application/pdf', 3, 'x', 1, '${ISO.invCreated}', '${ISO.invUpdated}', '${ISO.synced}')`,
  `INSERT INTO invoices (id, team_id, source, file_name, mime_type, file_size, sha256) VALUES (2, 'T1', 'upload', 'b.pdf', 'application/pdf', 3, 'y')`,
  `INSERT INTO invoice_events (id, invoice_id, to_status, actor, at) VALUES (1, 1, 'received', 'system', '${ISO.event}')`,
  `INSERT INTO invoice_lines (invoice_id, position, amount_cents) VALUES (1, 0, 500)`,
  `INSERT INTO approval_steps (team_id, invoice_id, round, revision, position, rule_text, approver_user_ids, label, status)
     VALUES ('T1', 1, 1, 0, 0, 'over $1', '["U1"]', 'U1', 'pending')`,
  `INSERT INTO jobs (id, kind, payload, run_at, created_at, updated_at) VALUES (1, 'sync', '{}', 1772600000000, '${ISO.jobCreated}', '${ISO.jobCreated}')`,
  `INSERT INTO admin_notices (team_id, cause, sent_at) VALUES ('T1', 'not_connected', '${ISO.sent}')`,
  `INSERT INTO approval_rules (id, team_id, position, "when", approvers, created_at, updated_at) VALUES (1, 'T1', 0, '{}', '[]', '${ISO.rule}', '${ISO.rule}')`,
  `INSERT INTO approval_policies (team_id, updated_at) VALUES ('T1', '${ISO.policy}')`,
  `INSERT INTO vendor_rules (team_id, vendor_id, vendor_name, updated_at) VALUES ('T1', 'V1', 'Oak Supply', '${ISO.vendor}')`,
  `INSERT INTO outbox (id, team_id, kind, key, payload, next_at, created_at) VALUES (1, 'T1', 'dm', 'k1', '{}', 1772600000000, 1772600000123)`,
];

/** [table, column, row, the instant it must hold in ms (null: still NULL)]. */
const EXPECT: Array<[string, string, string, number | null]> = [
  ['workspaces', 'created_at', "team_id = 'T1'", Date.parse(ISO.wsCreated)],
  ['workspaces', 'uninstalled_at', "team_id = 'T1'", Date.parse(ISO.uninstalled)],
  ['workspaces', 'uninstalled_at', "team_id = 'T2'", null],
  ['settings', 'updated_at', "team_id = 'T1'", Date.parse(ISO.policy)],
  ['slack_installations', 'updated_at', "id = 'T1'", Date.parse(ISO.install)],
  ['qbo_connections', 'connected_at', "team_id = 'T1'", Date.parse(ISO.connected)],
  ['qbo_list_refreshes', 'refreshed_at', "team_id = 'T1'", Date.parse(ISO.refreshed)],
  ['profiles', 'linked_at', 'id = 1', Date.parse(ISO.linked)],
  ['profiles', 'linked_at', 'id = 2', null],
  ['profiles', 'created_at', 'id = 1', Date.parse(ISO.wsCreated)],
  ['channel_bindings', 'created_at', "channel_id = 'C1'", Date.parse(ISO.binding)],
  ['invoices', 'created_at', 'id = 1', Date.parse(ISO.invCreated)],
  ['invoices', 'updated_at', 'id = 1', Date.parse(ISO.invUpdated)],
  ['invoices', 'synced_at', 'id = 1', Date.parse(ISO.synced)],
  ['invoices', 'synced_at', 'id = 2', null],
  ['invoice_events', 'at', 'id = 1', Date.parse(ISO.event)],
  ['jobs', 'created_at', 'id = 1', Date.parse(ISO.jobCreated)],
  ['jobs', 'run_at', 'id = 1', 1772600000000],
  ['admin_notices', 'sent_at', "cause = 'not_connected'", Date.parse(ISO.sent)],
  ['admin_notices', 'resolved_at', "cause = 'not_connected'", null],
  ['approval_rules', 'created_at', 'id = 1', Date.parse(ISO.rule)],
  ['approval_policies', 'updated_at', "team_id = 'T1'", Date.parse(ISO.policy)],
  ['vendor_rules', 'updated_at', "vendor_id = 'V1'", Date.parse(ISO.vendor)],
  ['outbox', 'created_at', 'id = 1', 1772600000123],
];

/** Rows a rebuilt parent table must not take with it (ON DELETE cascade). */
const CHILDREN = ['invoice_events', 'invoice_lines', 'approval_steps', 'channel_bindings', 'invoice_files'];

/** A copy of a dialect's migrations folder that stops just before ts_one. */
function migrationsBeforeTsOne(dialect: 'sqlite' | 'postgres', tmp: string): string {
  const src = fileURLToPath(new URL(`../../src/store/${dialect}/migrations`, import.meta.url));
  const dir = join(tmp, `${dialect}-migrations`);
  cpSync(src, dir, { recursive: true });
  const path = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(path, 'utf8')) as { entries: { idx: number; tag: string }[] };
  const mine = journal.entries.findIndex((e) => e.tag.endsWith('_ts_one'));
  expect(mine).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, mine);
  writeFileSync(path, JSON.stringify(journal));
  return dir;
}

const tmps: string[] = [];
afterEach(() => {
  for (const d of tmps.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'ts-one-'));
  tmps.push(d);
  return d;
}

describe('ts_one migration [sqlite]', () => {
  it('turns ISO text into the same instants in ms, keeps NULLs and child rows, and the FTS search', async () => {
    const dir = tmp();
    const path = join(dir, 'app.db');
    const old = new Database(path);
    old.pragma('foreign_keys = ON'); // as the previous release ran
    sqliteMigrate(sqliteDrizzle(old), { migrationsFolder: migrationsBeforeTsOne('sqlite', dir) });
    for (const s of ROWS) old.exec(s);
    old.prepare('INSERT INTO invoice_files (invoice_id, bytes) VALUES (1, ?)').run(Buffer.from([1, 2, 3]));
    old.close();

    const db = openDatabase(path);
    try {
      const one = (q: string) => db.$client.prepare(q).get() as Record<string, unknown> | undefined;
      for (const [table, column, where, want] of EXPECT) {
        const row = one(`SELECT ${column} AS v, typeof(${column}) AS t FROM ${table} WHERE ${where}`);
        expect({ table, column, where, v: row?.v, t: row?.t }).toEqual({ table, column, where, v: want, t: want == null ? 'null' : 'integer' });
      }
      for (const table of CHILDREN) expect({ table, n: one(`SELECT count(*) AS n FROM ${table}`)?.n }).toEqual({ table, n: 1 });
      expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);

      const before = Date.now();
      db.$client.exec(`INSERT INTO invoice_events (invoice_id, to_status, actor) VALUES (1, 'extracted', 'system')`);
      const stamped = one('SELECT at FROM invoice_events ORDER BY id DESC LIMIT 1')?.at as number;
      expect(stamped).toBeGreaterThanOrEqual(before - 1);
      expect(stamped).toBeLessThanOrEqual(Date.now() + 1);

      // profiles was rebuilt: its word search still finds the old row and follows new ones.
      const store = createStore(SqliteConn.open(db));
      expect((await store.profiles.search('T1', 'project', 'street', 10)).map((p) => p.name)).toEqual(['Oak Street']);
      db.$client.exec(`INSERT INTO profiles (team_id, kind, name) VALUES ('T1', 'project', 'Elm Street')`);
      expect((await store.profiles.search('T1', 'project', 'street', 10)).map((p) => p.name).sort()).toEqual(['Elm Street', 'Oak Street']);
    } finally {
      closeDatabase(db);
    }
  });

  it('a database made from scratch stamps rows in ms', () => {
    const db = openDatabase(':memory:');
    try {
      const before = Date.now();
      db.$client.exec(`INSERT INTO workspaces (team_id) VALUES ('T1')`);
      const at = (db.$client.prepare("SELECT created_at AS v FROM workspaces WHERE team_id = 'T1'").get() as { v: number }).v;
      expect(at).toBeGreaterThanOrEqual(before - 1);
      expect(at).toBeLessThanOrEqual(Date.now() + 1);
    } finally {
      closeDatabase(db);
    }
  });
});

const url = testDatabaseUrl();
(url ? describe : describe.skip)(`ts_one migration [postgres]${url ? '' : ` — ${PG_SKIP_REASON}`}`, () => {
  it('turns ISO text into the same instants in ms (ALTER … USING), keeps NULLs, and the defaults give ms', async () => {
    const t = await emptyDatabase(url!);
    try {
      const pool = new pg.Pool({ connectionString: t.url, max: 1 });
      try {
        await pgMigrate(pgDrizzle(pool), { migrationsFolder: migrationsBeforeTsOne('postgres', tmp()) });
        // A session in another time zone: the ISO strings carry their Z, so the instants must not move.
        const c = await pool.connect();
        try {
          await c.query("SET TIME ZONE 'America/Los_Angeles'");
          for (const s of ROWS) await c.query(s);
          await c.query('INSERT INTO invoice_files (invoice_id, bytes) VALUES (1, $1)', [Buffer.from([1, 2, 3])]);
        } finally {
          c.release();
        }
      } finally {
        await pool.end();
      }

      const db = await openPostgres(t.url, { max: 2 });
      try {
        const one = async (q: string) => (await db.$client.query(q)).rows[0] as Record<string, unknown> | undefined;
        for (const [table, column, where, want] of EXPECT) {
          const row = await one(`SELECT ${column} AS v, pg_typeof(${column})::text AS t FROM ${table} WHERE ${where}`);
          expect({ table, column, where, v: row?.v }).toEqual({ table, column, where, v: want });
          expect(row?.t).toBe('bigint');
        }
        for (const table of CHILDREN) expect({ table, n: (await one(`SELECT count(*) AS n FROM ${table}`))?.n }).toEqual({ table, n: 1 });
        const before = Date.now();
        await db.$client.query(`INSERT INTO invoice_events (id, invoice_id, to_status, actor) VALUES (100, 1, 'extracted', 'system')`);
        const stamped = (await one('SELECT at FROM invoice_events WHERE id = 100'))?.at as number;
        expect(stamped).toBeGreaterThanOrEqual(before - 1000);
        expect(stamped).toBeLessThanOrEqual(Date.now() + 1000);
        const store = createStore(PgConn.open(db));
        expect((await store.workspaces.get('T1'))?.uninstalledAt).toBe(Date.parse(ISO.uninstalled));
      } finally {
        await closePostgres(db);
      }
    } finally {
      await t.drop();
    }
  });
});
