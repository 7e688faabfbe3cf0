import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { openDatabase, closeDatabase, type Db } from '../../src/store/sqlite/client.ts';
import { createLogger } from '../../src/log.ts';
import { Worker } from '../../src/invoices/worker.ts';
import { createStore, SqliteConn } from '../../src/store/index.ts';
import { jobs } from '../../src/store/sqlite/schema.ts';
import { tempDir } from '../helpers.ts';
import { startEngineStack, configureWorkspace, byName, type EngineStack } from './engine-harness.ts';

/** Jobs after a crash: leases are renewed while a job runs, and a restarted process takes its dead jobs back at once. */

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function db(path: string): Db {
  const d = openDatabase(path);
  cleanups.push(() => closeDatabase(d));
  return d;
}

describe('job leases', () => {
  it('a job that runs longer than its lease is not run a second time by another worker', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const path = join(tmp.dir, 'q.db');
    const log = createLogger('error');
    const opts = { concurrency: 2, pollMs: 20, maxAttempts: 5, backoffBaseMs: 20, leaseMs: 300 };
    const a = new Worker(createStore(SqliteConn.open(db(path))).jobs, log, opts);
    const b = new Worker(createStore(SqliteConn.open(db(path))).jobs, log, opts);
    let runs = 0;
    const slow = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 1500)); // five leases long
    };
    a.register('slow', slow);
    b.register('slow', slow);
    await a.start();
    const id = await a.enqueue('slow', {});
    await new Promise((r) => setTimeout(r, 100));
    await b.start(); // a second process on the same database
    cleanups.push(
      () => b.stop(),
      () => a.stop(),
    );
    await a.idle();
    await b.idle();
    expect(runs).toBe(1);
    const row = db(path)
      .select()
      .from(jobs)
      .all()
      .find((j) => j.id === id)!;
    expect(row).toMatchObject({ status: 'done', attempts: 1 });
  }, 20_000);
});

describe('after a crash', () => {
  let s: EngineStack;
  let child: ChildProcess | null = null;
  afterEach(async () => {
    child?.kill('SIGKILL');
    await s?.stop();
  });

  it('a fresh invoice submitted right after the restart books in seconds, though the dead process held every slot', async () => {
    s = await startEngineStack();
    const TEAM = 'T1';
    await s.connect(TEAM);
    await configureWorkspace(s.engine, TEAM);
    // A process claims as many of the workspace's jobs as it has slots (QBO's 10), then is killed holding them.
    child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'dead-holder.ts'), s.dbPath, TEAM, '10'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on('data', (d) => String(d).includes('holding') && resolve());
      child!.once('exit', (code) => reject(new Error(`holder exited early (${code})`)));
    });
    child.removeAllListeners('exit');
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    await exited;

    const engine = await s.restart();
    await engine.worker.start();
    const vendor = await byName(engine, TEAM, 'Vendor', 'United Rentals');
    const { invoice } = await engine.invoices.create({
      teamId: TEAM,
      source: 'upload',
      bytes: Buffer.from('%PDF-1.4\n%%EOF\n'),
      fileName: 'a.pdf',
      mimeType: 'application/pdf',
      uploadedBy: 'UPM',
    });
    await engine.invoices.confirm(
      invoice.id,
      {
        txnType: 'Bill',
        purchaseAccountId: null,
        projectProfileId: null,
        costCodeProfileId: null,
        vendorId: vendor.id,
        vendorName: vendor.name,
        amountCents: 5000,
        currency: 'USD',
        invoiceNumber: 'AFTER-CRASH-1',
        invoiceDate: '2026-11-02',
        dueDate: '2026-12-02',
        memo: null,
      },
      'UPM',
    );
    const started = Date.now();
    await engine.sync.submit(invoice.id, 'UPM');
    while ((await engine.invoices.byId(invoice.id))!.status !== 'synced' && Date.now() - started < 10_000)
      await new Promise((r) => setTimeout(r, 50));
    expect((await engine.invoices.byId(invoice.id))!.status).toBe('synced');
    expect(Date.now() - started).toBeLessThan(10_000);
    // The dead process's jobs are no longer held by anyone.
    const held = engine.conn.db
      .select()
      .from(jobs)
      .all()
      .filter((j) => j.kind === 'test.hang' && j.status === 'running');
    expect(held).toEqual([]);
  }, 60_000);
});
