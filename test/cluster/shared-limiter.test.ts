import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openDatabase, closeDatabase } from '../../src/store/sqlite/client.ts';
import { tempDir } from '../helpers.ts';
import { migratedDatabase, PG_SKIP_REASON, testDatabaseUrl } from '../store/postgres.ts';

/**
 * Two app instances (separate processes, as in production: one process's wait for SQLite's write lock must not
 * stall the other) share one database file and call one "QBO" that counts what it sees.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(10);
  }
}

class CountingQbo {
  inFlight = 0;
  maxInFlight = 0;
  /** When each request arrived (QBO counts it somewhere between our start and its answer; arrival is one such point). */
  arrivals: number[] = [];
  private held: ServerResponse[] = [];
  private server: Server;
  url = '';
  constructor() {
    this.server = createServer((req, res) => {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      this.arrivals.push(Date.now());
      res.on('close', () => this.inFlight--);
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname === '/hold') this.held.push(res);
      else setTimeout(() => res.end('ok'), Number(u.searchParams.get('ms') ?? 0));
    });
  }
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  releaseHeld() {
    this.held.splice(0).forEach((r) => r.end('ok'));
  }
  /** The most requests that arrived within any span of `ms`. */
  worstWindow(ms: number) {
    const a = [...this.arrivals].sort((x, y) => x - y);
    return Math.max(0, ...a.map((s) => a.filter((t) => t >= s && t < s + ms).length));
  }
  close() {
    this.releaseHeld();
    this.server.closeAllConnections();
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

interface World {
  qbo: CountingQbo;
  dbPath: string;
  instance(holder: string, mode: 'run' | 'hold' | 'pause', n: number): { child: ChildProcess; said: (line: string) => Promise<number> };
  close(): Promise<void>;
}

type Dialect = 'sqlite' | 'postgres';

async function world(dialect: Dialect, o: { windowMs: number; perMinute: number; leaseMs: number }): Promise<World> {
  const tmp = tempDir();
  let dbPath = join(tmp.dir, 'app.db');
  let drop = async () => {};
  if (dialect === 'postgres') {
    const pg = await migratedDatabase(testDatabaseUrl()!);
    dbPath = pg.url;
    drop = pg.drop;
  } else closeDatabase(openDatabase(dbPath)); // migrated once, before the instances start
  const qbo = new CountingQbo();
  await qbo.start();
  const children: ChildProcess[] = [];
  return {
    qbo,
    dbPath,
    instance(holder, mode, n) {
      const args = [
        join(import.meta.dirname, 'limiter-instance.ts'),
        dbPath,
        holder,
        qbo.url,
        mode,
        String(n),
        String(o.windowMs),
        String(o.perMinute),
        String(o.leaseMs),
      ];
      const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      const lines = createInterface({ input: child.stdout! });
      const heard = new Map<string, number>();
      const waiters: Array<[string, (at: number) => void]> = [];
      lines.on('line', (l) => {
        heard.set(l, Date.now());
        for (const [, resolve] of waiters.filter(([w]) => w === l)) resolve(Date.now());
      });
      const said = (line: string) =>
        new Promise<number>((resolve, reject) => {
          if (heard.has(line)) return resolve(heard.get(line)!);
          waiters.push([line, resolve]);
          child.once('exit', (code) => reject(new Error(`instance ${holder} exited (${code}) before saying ${line}`)));
        });
      return { child, said };
    },
    async close() {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
      await qbo.close();
      await drop();
      tmp.cleanup();
    },
  };
}

let w: World | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

const dialects: Dialect[] = testDatabaseUrl() ? ['sqlite', 'postgres'] : ['sqlite'];
if (!testDatabaseUrl()) describe.skip(`QBO limits shared by instances [postgres] — ${PG_SKIP_REASON}`, () => it('', () => {}));

describe.each(dialects)('QBO limits shared by instances on one database [%s]', (dialect) => {
  it('two instances together never have more than 10 in flight, nor more than the budget in any window', { timeout: 60_000 }, async () => {
    // 1,200 a minute over 1 s windows = 20 a window, 19 with the 5% margin.
    w = await world(dialect, { windowMs: 1000, perMinute: 1200, leaseMs: 5000 });
    const a = w.instance('host:1:aaaa', 'run', 40);
    const b = w.instance('host:2:bbbb', 'run', 40);
    await Promise.all([a.said('done'), b.said('done')]);
    expect(w.qbo.arrivals).toHaveLength(80);
    expect(w.qbo.maxInFlight).toBeLessThanOrEqual(10);
    expect(w.qbo.worstWindow(1000)).toBeLessThanOrEqual(19);
    // Each alone would send 40 in two windows; together they were held to the one budget.
    expect(w.qbo.worstWindow(1000)).toBeGreaterThanOrEqual(10);
  });

  it('a 429 answered to one instance holds the other instance too', { timeout: 60_000 }, async () => {
    w = await world(dialect, { windowMs: 60_000, perMinute: 500, leaseMs: 5000 });
    const a = w.instance('host:1:aaaa', 'pause', 1500);
    const pausedAt = await a.said('paused');
    const b = w.instance('host:2:bbbb', 'run', 1);
    await b.said('done');
    expect(Math.max(...w.qbo.arrivals)).toBeGreaterThanOrEqual(pausedAt - 100 + 1400);
  });

  it("a killed instance's requests in flight stop holding their slots when their lease runs out", { timeout: 60_000 }, async () => {
    w = await world(dialect, { windowMs: 1000, perMinute: 6000, leaseMs: 1500 });
    const a = w.instance('host:1:aaaa', 'hold', 10);
    await a.said('holding');
    await until(() => w!.qbo.inFlight === 10);
    a.child.kill('SIGKILL');
    const killedAt = Date.now();
    w.qbo.releaseHeld();
    const b = w.instance('host:2:bbbb', 'run', 1);
    const doneAt = await b.said('done');
    // The ten slots count as in flight until their lease ends (at most 1.5 s after the kill), then b gets one.
    expect(w.qbo.arrivals).toHaveLength(11);
    expect(doneAt - killedAt).toBeLessThan(1500 + 5000);
  });

  it('an instance still running keeps its slots past the lease (its heartbeat renews them)', { timeout: 60_000 }, async () => {
    w = await world(dialect, { windowMs: 1000, perMinute: 6000, leaseMs: 300 });
    const a = w.instance('host:1:aaaa', 'hold', 10);
    await a.said('holding');
    await until(() => w!.qbo.inFlight === 10);
    const b = w.instance('host:2:bbbb', 'run', 1);
    await sleep(2500); // b has started and waited several leases
    expect(w.qbo.arrivals).toHaveLength(10);
    expect(w.qbo.maxInFlight).toBe(10);
    w.qbo.releaseHeld();
    await b.said('done');
    expect(w.qbo.arrivals).toHaveLength(11);
    expect(w.qbo.maxInFlight).toBeLessThanOrEqual(10);
  });
});
