import { afterEach, describe } from 'vitest';
import type { Conn } from '../../src/store/conn.ts';
import { closeDatabase, openDatabase } from '../../src/store/sqlite/client.ts';
import { SqliteConn } from '../../src/store/sqlite/conn.ts';
import { PgConn } from '../../src/store/postgres/conn.ts';
import { openTestPostgres, PG_SKIP_REASON, testDatabaseUrl } from './postgres.ts';

/** Makes a fresh, migrated, empty database of one dialect; closed (and on Postgres dropped) after each test. */
export type MakeConn = () => Promise<Conn>;

/**
 * Runs the same store tests on SQLite (in memory) and on Postgres (a database of its own per connection, on the
 * server at TEST_DATABASE_URL). Without a server outside CI the Postgres half is skipped under one clear name; in CI
 * (CI=true) a missing server fails the file.
 *
 *   forEachDialect('InvoiceStore', (makeConn) => { it('…', async () => { const c = await makeConn(); … }); });
 */
export function forEachDialect(name: string, body: (makeConn: MakeConn, dialect: Conn['dialect']) => void): void {
  describe(`${name} [sqlite]`, () => {
    const open: Array<() => void> = [];
    afterEach(() => {
      for (const close of open.splice(0)) close();
    });
    body(async () => {
      const db = openDatabase(':memory:');
      open.push(() => closeDatabase(db));
      return SqliteConn.open(db);
    }, 'sqlite');
  });

  const url = testDatabaseUrl();
  if (!url) {
    describe.skip(`${name} [postgres] — ${PG_SKIP_REASON}`, () => body(async () => Promise.reject(new Error('no Postgres')), 'postgres'));
    return;
  }
  describe(`${name} [postgres]`, () => {
    const open: Array<() => Promise<void>> = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((close) => close()));
    });
    body(async () => {
      const t = await openTestPostgres(url);
      open.push(t.close);
      return PgConn.open(t.db);
    }, 'postgres');
  });
}
