import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { sql } from 'drizzle-orm';
import { closeDatabase, openDatabase, type Db } from '../../src/store/sqlite/client.ts';
import { cachingStatements } from '../../src/store/sqlite/statement-cache.ts';
import { WorkspaceStore } from '../../src/store/workspace.ts';
import { SqliteConn } from '../../src/store/index.ts';

let db: Db | null = null;
afterEach(() => {
  if (db) closeDatabase(db);
  db = null;
});

/** A connection that counts how often SQL is compiled. */
function counted() {
  const sqlite = new Database(':memory:');
  const compiled: string[] = [];
  const real = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((s: string) => {
    compiled.push(s);
    return real(s);
  }) as typeof sqlite.prepare;
  sqlite.exec('create table t (id integer primary key, name text)');
  return { sqlite, compiled };
}

describe('prepared statements are reused', () => {
  it('compiles a repeated query once and answers it correctly each time', () => {
    const { sqlite, compiled } = counted();
    const d = drizzle(cachingStatements(sqlite));
    d.run(sql`insert into t (name) values ('a'), ('b')`);
    const before = compiled.length;
    const names = [1, 2, 1, 2].map((id) => d.all<{ name: string }>(sql`select name from t where id = ${id}`)[0]?.name);
    expect(names).toEqual(['a', 'b', 'a', 'b']);
    expect(compiled.length - before).toBe(1);
    expect(d.get<{ n: number }>(sql`select count(*) as n from t`)?.n).toBe(2);
    sqlite.close();
  });

  it('a statement drizzle used in array mode answers objects when asked for them next', () => {
    const { sqlite } = counted();
    const d = drizzle(cachingStatements(sqlite));
    d.run(sql`insert into t (name) values ('a')`);
    // drizzle's .values() switches the statement to raw (array) mode; .all() of the same SQL wants objects.
    expect(d.values(sql`select id, name from t`)).toEqual([[1, 'a']]);
    expect(d.all(sql`select id, name from t`)).toEqual([{ id: 1, name: 'a' }]);
    sqlite.close();
  });

  it('keeps at most `size` statements and still answers a dropped one', () => {
    const { sqlite, compiled } = counted();
    const d = drizzle(cachingStatements(sqlite, 2));
    const q = (n: number) => d.get<{ v: number }>(sql.raw(`select ${n} as v`))?.v;
    expect([q(1), q(2), q(3), q(1)]).toEqual([1, 2, 3, 1]);
    expect(compiled.filter((s) => s === 'select 1 as v')).toHaveLength(2); // evicted by 3, compiled again
    sqlite.close();
  });

  it("the app's database: the store's reads and writes see each other; $client is the plain connection", async () => {
    db = openDatabase(':memory:');
    const ws = new WorkspaceStore(SqliteConn.open(db));
    await ws.ensure('T1');
    expect((await ws.getSettings('T1')).autoSync).toBe(false);
    await ws.updateSettings('T1', { autoSync: true }, 'U1');
    expect((await ws.getSettings('T1')).autoSync).toBe(true);
    const s = db.$client.prepare('select auto_sync from settings where team_id = ?').pluck();
    expect(s.get('T1')).toBe(1);
  });
});
