import { describe, it, expect, afterEach } from 'vitest';
import { join } from 'node:path';
import { openDatabase, closeDatabase, type Db } from '../../src/store/sqlite/client.ts';
import { Worker, RetryLater, PermanentFailure } from '../../src/invoices/worker.ts';
import { createStore, SqliteConn } from '../../src/store/index.ts';
import { silentLogger } from '../../src/log.ts';
import { startEngineStack } from './engine-harness.ts';
import { tempDir } from '../helpers.ts';

describe('QBO list cache', () => {
  it('offers only active Bank and Credit Card accounts as purchase accounts, and searches large lists by any word', async () => {
    const s = await startEngineStack();
    try {
      await s.connect('T1');
      const { lists } = s.engine;
      const purchase = await lists.purchaseAccounts('T1');
      expect(purchase.map((a) => a.name).sort()).toEqual(['Amex Corporate', 'Operating Checking', 'Payroll Checking', 'Visa Business']);
      expect(purchase.every((a) => a.active && (a.type === 'Bank' || a.type === 'Credit Card'))).toBe(true);
      expect((await lists.search('T1', 'Account', 'old savings', { includeInactive: true })).map((a) => a.name)).toEqual(['Old Savings']);
      expect(await lists.count('T1', 'Account')).toBeGreaterThan(100);
      expect(await lists.count('T1', 'Customer')).toBeGreaterThan(100);
      // Words in any order, parent or child name.
      const anyProject = (await lists.search('T1', 'Customer', '', { types: ['Project'], limit: 1 }))[0];
      const [parent, child] = anyProject.fullName.split(':');
      const words = `${child.split(' ')[0]} ${parent.split(' ')[0]}`;
      expect((await lists.search('T1', 'Customer', words)).map((c) => c.id)).toContain(anyProject.id);
      // No injection through the LIKE pattern.
      expect(await lists.search('T1', 'Customer', '%')).toEqual([]);
      // A second workspace sees nothing of the first.
      expect(await lists.purchaseAccounts('T2')).toEqual([]);
    } finally {
      await s.stop();
    }
  });
});

describe('durable queue', () => {
  let db: Db;
  let cleanup: () => void;
  const open = () => {
    const t = tempDir();
    cleanup = t.cleanup;
    db = openDatabase(join(t.dir, 'q.db'));
    return new Worker(createStore(SqliteConn.open(db)).jobs, silentLogger, { concurrency: 2, pollMs: 10, maxAttempts: 3, backoffBaseMs: 5 });
  };
  afterEach(() => {
    closeDatabase(db);
    cleanup();
  });

  it('keeps one pending job per dedupe key', async () => {
    const w = open();
    const runs: unknown[] = [];
    w.register('k', async (p) => void runs.push(p.n));
    const a = await w.enqueue('k', { n: 1 }, { dedupeKey: 'x' });
    const b = await w.enqueue('k', { n: 2 }, { dedupeKey: 'x' });
    expect(b).toBe(a);
    await w.start();
    await w.idle();
    expect(runs).toEqual([1]);
    await w.enqueue('k', { n: 3 }, { dedupeKey: 'x' }); // done jobs don't block new ones
    await w.idle();
    expect(runs).toEqual([1, 3]);
    await w.stop();
  });

  it('retries with backoff, tells the handler its last attempt, and gives up after maxAttempts', async () => {
    const w = open();
    const seen: Array<{ attempt: number; final: boolean }> = [];
    w.register('flaky', async (_p, ctx) => {
      seen.push(ctx);
      throw new Error('still down');
    });
    await w.enqueue('flaky', {});
    await w.start();
    await w.idle();
    expect(seen).toEqual([
      { attempt: 1, final: false },
      { attempt: 2, final: false },
      { attempt: 3, final: true },
    ]);
    const row = db.$client.prepare('SELECT status, last_error FROM jobs').get() as { status: string; last_error: string };
    expect(row).toEqual({ status: 'dead', last_error: 'still down' });
    await w.stop();
  });

  it('honours RetryLater delays and PermanentFailure', async () => {
    const w = open();
    let calls = 0;
    w.register('later', async () => {
      if (++calls === 1) throw new RetryLater('throttled', 80);
    });
    w.register('never', async () => {
      throw new PermanentFailure('bad data');
    });
    const t = Date.now();
    await w.enqueue('later', {});
    await w.enqueue('never', {});
    await w.start();
    await w.idle();
    expect(calls).toBe(2);
    expect(Date.now() - t).toBeGreaterThanOrEqual(75);
    expect((db.$client.prepare("SELECT attempts FROM jobs WHERE kind = 'never'").get() as { attempts: number }).attempts).toBe(1);
    await w.stop();
  });

  it('backoff grows exponentially with jitter, capped', () => {
    const w = new Worker(null as never, silentLogger, { concurrency: 1, pollMs: 10, maxAttempts: 9, backoffBaseMs: 1000, backoffMaxMs: 60_000 });
    for (let attempt = 1; attempt <= 10; attempt++) {
      const raw = Math.min(60_000, 1000 * 2 ** (attempt - 1));
      for (let i = 0; i < 20; i++) {
        const d = w.backoff(attempt);
        expect(d).toBeGreaterThanOrEqual(raw / 2);
        expect(d).toBeLessThanOrEqual(raw);
      }
    }
  });

  it('a job whose worker died is picked up again when its lease runs out', async () => {
    const w = open();
    const id = await w.enqueue('k', {});
    db.$client.prepare("UPDATE jobs SET status = 'running', attempts = 1, lease_until = ? WHERE id = ?").run(Date.now() - 1, id);
    const runs: number[] = [];
    w.register('k', async (_p, ctx) => void runs.push(ctx.attempt));
    await w.start();
    await w.idle();
    expect(runs).toEqual([2]);
    await w.stop();
  });
});

describe('fairness between workspaces', () => {
  it("one workspace's backlog does not hold up another's invoice", async () => {
    const t = tempDir();
    const db = openDatabase(join(t.dir, 'fair.db'));
    const w = new Worker(createStore(SqliteConn.open(db)).jobs, silentLogger, {
      concurrency: 4,
      perTeamConcurrency: 2,
      pollMs: 5,
      maxAttempts: 1,
      backoffBaseMs: 5,
    });
    const running = new Map<string, number>();
    const peak = new Map<string, number>();
    const finished: string[] = [];
    w.register('sync', async (p) => {
      const team = String(p.team);
      running.set(team, (running.get(team) ?? 0) + 1);
      peak.set(team, Math.max(peak.get(team) ?? 0, running.get(team)!));
      await new Promise((r) => setTimeout(r, 20));
      running.set(team, running.get(team)! - 1);
      finished.push(`${team}${p.n}`);
    });
    for (let n = 0; n < 20; n++) await w.enqueue('sync', { team: 'A', n }, { teamId: 'A' });
    await w.enqueue('sync', { team: 'B', n: 0 }, { teamId: 'B' });
    await w.start();
    await w.idle();
    await w.stop();
    expect(peak.get('A')).toBe(2);
    expect(finished.indexOf('B0')).toBeLessThan(5); // B ran alongside A's first jobs, not after all 20
    expect(finished).toHaveLength(21);
    closeDatabase(db);
    t.cleanup();
  });
});
