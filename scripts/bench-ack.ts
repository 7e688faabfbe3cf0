/**
 * `npm run --silent bench:ack`: Slack's 3-second ack under load. The real app runs as its own process (compiled
 * when `dist/` exists, as `npm start` does; else tsx) on loopback against the project's QBO emulator and Slack fake,
 * with BENCH_PROJECTS (5,150) QBO customers cached as linked projects and BENCH_VENDORS (5,000) vendors, the lists
 * already older than their 5-minute freshness. This process is the load generator: the project's signed Slack
 * driver, BENCH_CONCURRENCY (50) requests in flight, BENCH_REQUESTS (2,400) per target in BENCH_ROUNDS (4)
 * interleaved rounds against the app and against a bare Bolt app (same @slack/bolt, listeners that only ack).
 * Mix: /qbo status, /qbo settings, Project and Vendor picker searches, file_shared (+ its message event).
 * BENCH_CPU_PROF=<dir> writes a CPU profile of the app (node --cpu-prof) there. `loadGenMaxLoopDelayMs` is this
 * process's own longest event-loop stall during the app's and bare Bolt's rounds (it also hosts the emulators).
 * `cpuPerRequest` is CPU time (user + system, from /proc) per request answered, of the whole process and of its node
 * main thread: on a shared machine it says what a request costs where latency says how long it waited for a core.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { appEnv, freePort, TEAM_A } from '../emulators/stack.ts';
import { tempDir } from '../emulators/temp-dir.ts';
import { startQboEmulator } from '../emulators/qbo/index.ts';
import { startSlackFake, createSlackDriver, type SlackDriver, type SlackView } from '../emulators/slack/index.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { createEngine } from '../src/engine.ts';
import { qboCdcCursors, qboListRefreshes } from '../src/store/sqlite/schema.ts';
import { qboCustomers, qboVendors, seedProfiles, QUERIES } from './bench/fixtures.ts';
import { compiledMain, cpuMsTree, root, rssMbTree, spawnApp, stopChild, tsxBin, waitHealthy } from './bench/proc.ts';
import { existsSync } from 'node:fs';
import { Stats, type Sample } from './bench/stats.ts';

const N = Number(process.env.BENCH_REQUESTS ?? 2400);
const C = Number(process.env.BENCH_CONCURRENCY ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 5150);
const VENDORS = Number(process.env.BENCH_VENDORS ?? 5000);
const T = TEAM_A.id;
/** Per 10 requests: 2 /qbo status, 1 /qbo settings, 3 Project and 3 Vendor searches, 1 file share (two events). */
const MIX: string[] = ['status', 'status', 'settings', 'project', 'project', 'project', 'vendor', 'vendor', 'vendor', 'file_shared'];
const FILES = ['invoice2data-AmazonWebServices.pdf', 'us-rental-bigsky.pdf', 'invoice2data-QualityHosting.pdf', 'us-supply-tricounty-mono.pdf'].map(
  (f) => readFileSync(join(root, 'test/fixtures/invoices', f)),
);

const qbo = await startQboEmulator();
const slack = await startSlackFake({ teams: [TEAM_A] });
const tmp = tempDir('bench-ack-');
const children: ReturnType<typeof spawn>[] = [];
try {
  const signingSecret = randomBytes(16).toString('hex');
  const port = await freePort();
  const env = { ...appEnv({ qbo, slack, port, dir: tmp.dir, signingSecret, botToken: TEAM_A.botToken }), LOG_LEVEL: 'warn' };
  await prepareDatabase(env);
  const loopFile = join(tmp.dir, 'loop.jsonl');
  const runner = existsSync(compiledMain) ? 'compiled' : 'tsx';
  const app = spawnApp(
    runner,
    { ...env, BENCH_LOOP_FILE: loopFile },
    `--import ${join(root, 'scripts/bench/loop-probe.mjs')}`,
    process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [],
  );
  children.push(app);
  let appErr = '';
  app.stderr?.on('data', (d) => (appErr = (appErr + d).slice(-4000)));
  process.on('exit', () => appErr && process.exitCode && process.stderr.write(appErr));
  const barePort = await freePort();
  const bare = spawn(tsxBin, ['scripts/bench/bare-bolt.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', PORT: String(barePort), SLACK_SIGNING_SECRET: signingSecret },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(bare);
  const appUrl = `http://127.0.0.1:${port}`;
  const bareUrl = `http://127.0.0.1:${barePort}`;
  await Promise.all([waitHealthy(appUrl, 60_000), new Promise((r) => bare.stdout!.once('data', r))]);
  await new Promise((r) => setTimeout(r, 3000)); // start-up work (pdf.js warm-up) settles
  const drivers = {
    app: createSlackDriver({ appUrl, signingSecret, fake: slack }),
    bare: createSlackDriver({ appUrl: bareUrl, signingSecret, fake: slack }),
  };
  const view = await uploadModal(drivers.app);
  const timing = timeRequests([appUrl, bareUrl]);

  const result = { app: new Stats(), bareBolt: new Stats() };
  // This process is the load generator and also hosts the emulators, which only the app's rounds keep busy (Slack
  // API calls, file downloads): its own event-loop stalls inflate the app's measured ack times, so they are reported.
  const loadGenLoop = { app: 0, bareBolt: 0 };
  const genLoop = monitorEventLoopDelay({ resolution: 10 });
  const appWindows: Array<[number, number]> = [];
  let errors = 0;
  for (let r = 0; r < ROUNDS; r++) {
    for (const target of ['app', 'bareBolt'] as const) {
      const driver = target === 'app' ? drivers.app : drivers.bare;
      const pid = (target === 'app' ? app : bare).pid!;
      const t0 = Date.now();
      genLoop.reset();
      genLoop.enable();
      const out = await runRound(driver, view, Math.round(N / ROUNDS), pid, timing);
      genLoop.disable();
      loadGenLoop[target] = Math.max(loadGenLoop[target], Math.round(genLoop.max / 1e6));
      if (target === 'app') appWindows.push([t0, Date.now()]);
      result[target].add(out);
      errors += out.errors;
    }
  }
  await new Promise((r) => setTimeout(r, 3000)); // views.open calls still under way land (or expire)
  const expiredTriggers = slack.calls.filter((c) => c.method === 'views.open' && c.error === 'expired_trigger_id').length;
  const loop = readFileSync(loopFile, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { t: number; maxMs: number });
  const maxEventLoopDelayMs = Math.max(0, ...loop.filter((x) => appWindows.some(([a, b]) => x.t >= a && x.t <= b + 250)).map((x) => x.maxMs));
  const a = result.app.summary();
  const b = result.bareBolt.summary();
  console.log(
    JSON.stringify({
      requests: result.app.count,
      concurrency: C,
      runner,
      app: a,
      bareBolt: b,
      p99Ratio: Number((a.p99Ms / b.p99Ms).toFixed(2)),
      throughputRatio: Number((a.reqPerSec / b.reqPerSec).toFixed(2)),
      over3s: result.app.over3s,
      expiredTriggers,
      errors,
      maxEventLoopDelayMs,
      loadGenMaxLoopDelayMs: loadGenLoop,
      perKindP99Ms: result.app.perKind(),
      // CPU per request (user + system, /proc): robust to a shared machine where latency is not.
      cpuPerRequest: { app: result.app.cpuPerRequest(), bareBolt: result.bareBolt.cpuPerRequest() },
    }),
  );
} finally {
  for (const c of children) await stopChild(c);
  await slack.close();
  await qbo.close();
  rmSync(tmp.dir, { recursive: true, force: true });
}

/** The app's database as a connected workspace would have it: QBO connected, lists cached 10 minutes ago, CDC caught up. */
async function prepareDatabase(env: Record<string, string>) {
  qbo.addEntities(
    qbo.defaultRealmId,
    'Customer',
    qboCustomers(PROJECTS).map(({ Id: _id, ParentRef: _p, ...c }) => c),
  );
  qbo.addEntities(
    qbo.defaultRealmId,
    'Vendor',
    qboVendors(VENDORS).map(({ Id: _id, ...v }) => v),
  );
  const engine = await createEngine(
    loadConfig(env),
    createLogger('error', {}, () => {}),
  );
  try {
    qbo.nextAuthorizeRealm = qbo.defaultRealmId;
    const consent = await fetch(engine.oauth.authorizeUrl('bench-state'), { redirect: 'manual' });
    const tokens = await engine.oauth.exchangeCode(consent.headers.get('location')!);
    await engine.store.workspaces.ensure(T);
    await engine.connections.save(T, tokens.realmId, tokens, { connectedBy: 'UADMIN' });
    await engine.connections.setCompanyName(T, (await engine.qbo.companyInfo(T)).CompanyName);
    await engine.lists.refresh(T);
    const [checking] = await engine.lists.search(T, 'Account', 'Operating Checking', { limit: 1 });
    await engine.store.workspaces.updateSettings(
      T,
      { autoSync: false, defaultPurchaseAccountId: checking?.id ?? null, defaultType: 'Bill' },
      'UADMIN',
    );
    const projects = await engine.lists.search(T, 'Customer', '', { types: ['Project'], limit: 100_000 });
    seedProfiles(engine.conn.db, T, PROJECTS, (i) => projects[i % projects.length].id);
    engine.conn.db
      .update(qboListRefreshes)
      .set({ refreshedAt: Date.now() - 10 * 60_000 })
      .run();
    // Its change data capture has caught up (as the previous run left it): without a cursor the app's start-up CDC
    // looks back 24 h and re-applies all 10,000 just-created entities on the main thread during the first round.
    const now = Date.now();
    engine.conn.db.insert(qboCdcCursors).values({ teamId: T, changedSince: now, ranAt: now }).run();
  } finally {
    await engine.close();
  }
}

async function uploadModal(driver: SlackDriver): Promise<SlackView> {
  await driver.command({ teamId: T, userId: 'UPM', command: '/qbo', text: 'upload', channelId: 'CGEN' });
  for (let i = 0; i < 400; i++) {
    const v = slack.openModalStack(T, 'UPM').at(-1);
    if (v) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the upload modal did not open');
}

type Kind = 'status' | 'settings' | 'project' | 'vendor' | 'file_shared' | 'message' | 'other';
interface Timing {
  current: Sample[];
}

function kindOf(body: string): Kind {
  const b = decodeURIComponent(body.replace(/\+/g, ' '));
  if (b.includes('command=/qbo')) return /text=status/.test(b) ? 'status' : /text=settings/.test(b) ? 'settings' : 'other';
  if (b.includes('"block_suggestion"')) return b.includes('review_project') ? 'project' : b.includes('review_vendor') ? 'vendor' : 'other';
  if (b.includes('"type":"file_shared"')) return 'file_shared';
  if (b.includes('"subtype":"file_share"')) return 'message';
  return 'other';
}

/** Times every HTTP request to the targets at the fetch the driver uses (a file share is two requests). */
function timeRequests(bases: string[]): Timing {
  const t: Timing = { current: [] };
  const real = globalThis.fetch;
  globalThis.fetch = (async (input: any, init?: any) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!bases.some((b) => url.startsWith(b)) || url.endsWith('/healthz')) return real(input, init);
    const kind = kindOf(String(init?.body ?? ''));
    const into = t.current;
    const start = performance.now();
    const res = await real(input, init);
    const body = await res.arrayBuffer();
    into.push({ kind, ms: performance.now() - start });
    return new Response(body, { status: res.status, headers: res.headers });
  }) as typeof fetch;
  return t;
}

async function runRound(driver: SlackDriver, view: SlackView, n: number, pid: number, timing: Timing) {
  const samples: Sample[] = [];
  timing.current = samples;
  let next = 0;
  let errors = 0;
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMbTree(pid))), 200);
  const cpu0 = cpuMsTree(pid);
  const t0 = performance.now();
  const one = async (i: number) => {
    const kind = MIX[(i * 7) % MIX.length];
    const q = QUERIES[i % QUERIES.length];
    try {
      if (kind === 'status') await check(driver.command({ teamId: T, userId: 'UPM', command: '/qbo', text: 'status' }));
      else if (kind === 'settings') await check(driver.command({ teamId: T, userId: 'UADMIN', command: '/qbo', text: 'settings' }));
      else if (kind === 'project' || kind === 'vendor')
        await check(driver.suggest({ teamId: T, userId: 'UPM', view, label: kind === 'project' ? 'Project' : 'Vendor', query: q }));
      else {
        const file = slack.addFile(T, { name: `bench-${i}.pdf`, mimetype: 'application/pdf', bytes: FILES[i % FILES.length], user: 'UFOREMAN' });
        const r = await driver.shareFile({ teamId: T, userId: 'UFOREMAN', channelId: 'CJOB1', file });
        await check(r.fileShared);
        await check(r.messageEvent);
      }
    } catch {
      errors++;
    }
  };
  await Promise.all(
    Array.from({ length: C }, async () => {
      for (let i = next++; i < n; i = next++) await one(i);
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = cpuMsTree(pid);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, rssMbTree(pid));
  return { samples, seconds, errors, peakRss, cpu: { total: cpu1.total - cpu0.total, mainThread: cpu1.mainThread - cpu0.mainThread } };
}

async function check(p: { status: number } | Promise<{ status: number }>) {
  const r = await p;
  if (r.status !== 200) throw new Error(`status ${r.status}`);
}
