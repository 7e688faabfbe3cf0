import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase, closeDatabase, type Db } from '../../src/store/sqlite/client.ts';
import { createLogger } from '../../src/log.ts';
import { Worker } from '../../src/invoices/worker.ts';
import { jobs } from '../../src/store/sqlite/schema.ts';
import { tempDir } from '../helpers.ts';
import { createStore, SqliteConn } from '../../src/store/index.ts';

/** Two instances on one database: one shuts down (SIGTERM → stop) while it runs a job; the other takes it at once. */

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function db(path: string): Db {
  const d = openDatabase(path);
  cleanups.push(() => closeDatabase(d));
  return d;
}

describe('shutdown hands running jobs back', () => {
  it('a job still running when the grace is over is re-queued (lease released, attempt not counted) and another instance finishes it well before the lease', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const path = join(tmp.dir, 'q.db');
    const log = createLogger('silent');
    // A lease of a minute: without the hand-back the other instance would wait that long.
    const opts = { concurrency: 2, pollMs: 20, maxAttempts: 5, backoffBaseMs: 20, leaseMs: 60_000, shutdownGraceMs: 200 };
    const a = new Worker(createStore(SqliteConn.open(db(path))).jobs, log, opts);
    const b = new Worker(createStore(SqliteConn.open(db(path))).jobs, log, opts);
    const ranBy: string[] = [];
    a.register('long', () => {
      ranBy.push('a');
      return new Promise(() => {}); // still running when a stops
    });
    b.register('long', async () => {
      ranBy.push('b');
    });
    const quick: string[] = [];
    a.register('quick', async () => {
      await new Promise((r) => setTimeout(r, 50));
      quick.push('a');
    });
    await a.start();
    const id = await a.enqueue('long', {});
    const q = await a.enqueue('quick', {});
    await new Promise((r) => setTimeout(r, 30));
    expect(a.holdsLease()).toBe(true);
    expect(b.holdsLease()).toBe(false);
    await b.start();
    cleanups.push(() => b.stop());
    const t = Date.now();
    await a.stop();
    expect(Date.now() - t).toBeLessThan(2000);
    expect(a.holdsLease()).toBe(true); // its handler never returned; the job is no longer its
    const handed = db(path).select().from(jobs).all();
    // The quick job finished within the grace; the long one went back (or b already took it).
    expect(quick).toEqual(['a']);
    expect(handed.find((j) => j.id === q)).toMatchObject({ status: 'done' });
    const started = Date.now();
    await b.idle();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(ranBy).toEqual(['a', 'b']);
    expect(
      db(path)
        .select()
        .from(jobs)
        .all()
        .find((j) => j.id === id),
    ).toMatchObject({ status: 'done', attempts: 1 });
  }, 20_000);
});
