import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { closePostgres, openPostgres, type PgDb } from '../../src/store/postgres/client.ts';
import { freshDatabase, onServer as admin, withDatabase } from '../../emulators/postgres.ts';

/**
 * Test databases on the Postgres server at TEST_DATABASE_URL (`export TEST_DATABASE_URL=$(scripts/pg/throwaway.sh
 * start)`; `.ci/run` does this). Each test gets its own database, copied from a migrated template (fast, and tests
 * in parallel workers never see each other's rows).
 */

export const PG_SKIP_REASON = 'skipped: no Postgres (set TEST_DATABASE_URL, e.g. $(scripts/pg/throwaway.sh start))';

/** The server to test against; null outside CI when there is none. In CI (CI=true) its absence is an error. */
export function testDatabaseUrl(): string | null {
  const url = process.env.TEST_DATABASE_URL;
  if (url) return url;
  if (process.env.CI === 'true') throw new Error('CI=true but TEST_DATABASE_URL is not set: the Postgres suites cannot run');
  return null;
}

const journal = fileURLToPath(new URL('../../src/store/postgres/migrations/meta/_journal.json', import.meta.url));
let template: Promise<string> | null = null;

/** A database with every migration applied, made once per server and migration set (under an advisory lock). */
function migratedTemplate(url: string): Promise<string> {
  template ??= (async () => {
    const name = `qbo_tmpl_${createHash('sha256').update(readFileSync(journal)).digest('hex').slice(0, 12)}`;
    await admin(url, async (c) => {
      await c.query('SELECT pg_advisory_lock(4242)');
      try {
        const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (found.rowCount) return;
        await c.query(`CREATE DATABASE ${name}_wip`);
        const db = await openPostgres(withDatabase(url, `${name}_wip`), { max: 1 });
        await closePostgres(db);
        await c.query(`ALTER DATABASE ${name}_wip RENAME TO ${name}`);
      } finally {
        await c.query('SELECT pg_advisory_unlock(4242)');
      }
    });
    return name;
  })();
  return template;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new, empty database (no migrations applied), dropped by `drop()`. */
export function emptyDatabase(url: string): Promise<TestDatabase> {
  return freshDatabase(url, 'qbo_t');
}

/** A new database with the schema migrated, dropped by `drop()`. */
export async function migratedDatabase(url: string): Promise<TestDatabase> {
  return freshDatabase(url, 'qbo_t', await migratedTemplate(url));
}

/** Opens a migrated test database; `close()` ends the pool and drops the database. */
export async function openTestPostgres(url: string): Promise<{ db: PgDb; close(): Promise<void> }> {
  const t = await migratedDatabase(url);
  const db = await openPostgres(t.url, { max: 4 });
  return {
    db,
    async close() {
      await closePostgres(db);
      await t.drop();
    },
  };
}
