import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { closeDatabase, openDatabase } from '../src/store/sqlite/client.ts';
import { SqliteConn } from '../src/store/sqlite/conn.ts';

describe('SqliteConn', () => {
  it("keeps other callers' statements out of an open transaction, and rolls back on error", async () => {
    const db = openDatabase(':memory:');
    const c = SqliteConn.open(db);
    await c.run((d) => d.run(sql`create table t (v integer)`));
    let release!: () => void;
    const paused = new Promise<void>((r) => (release = r));
    const failing = c.tx(async (t) => {
      await t.run((d) => d.run(sql`insert into t values (1)`));
      await paused;
      throw new Error('boom');
    });
    // Outside the transaction: waits until it has ended, so the insert is not rolled back with it.
    const outside = c.run((d) => d.run(sql`insert into t values (2)`));
    release();
    await expect(failing).rejects.toThrow('boom');
    await outside;
    const rows = await c.run((d) => d.all<{ v: number }>(sql`select v from t`));
    expect(rows.map((r) => r.v)).toEqual([2]);
    // Store code awaits drizzle's builders (as on Postgres); on SQLite they run synchronously underneath.
    const ws = await c.run((d) => d.select().from(c.t.workspaces));
    expect(ws).toEqual([]);
    closeDatabase(db);
  });
});
