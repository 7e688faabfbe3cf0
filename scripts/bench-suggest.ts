/**
 * `npm run --silent bench:suggest`: how long a picker suggestion (block_suggestion, signed, over loopback HTTP into
 * the real app) takes with 1,000 / 10,000 / 50,000 projects and vendors cached. Project and Vendor pickers of the
 * upload modal, the queries people type. Prints {"sizes": [...], "p95Ms": [...]}; the p95 must not grow with the list.
 * BENCH_SIZES (comma-separated) and BENCH_SEARCHES (per size, default 300) tune it.
 */
import { performance } from 'node:perf_hooks';
import { eq } from 'drizzle-orm';
import { startStack, TEAM_A } from '../emulators/stack.ts';
import { profiles, qboListItems } from '../src/store/sqlite/schema.ts';
import { QUERIES, seedCache } from './bench/fixtures.ts';

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,50000').split(',').map(Number);
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 300);
const T = TEAM_A.id;

const stack = await startStack({ logLevel: 'error' });
try {
  const { db } = stack.app.engine.conn;
  const opened = await stack.driver.command({
    teamId: T,
    userId: 'UPM',
    command: '/qbo',
    text: 'upload',
    channelId: 'CGEN',
  });
  if (opened.status !== 200) throw new Error(`/qbo upload answered ${opened.status}`);
  const view = await waitForModal();
  await new Promise((r) => setTimeout(r, 3000)); // start-up work (pdf.js warm-up) settles
  const p95: number[] = [];
  const detail: Record<string, unknown>[] = [];
  for (const n of SIZES) {
    db.delete(qboListItems).where(eq(qboListItems.teamId, T)).run();
    db.delete(profiles).where(eq(profiles.teamId, T)).run();
    await seedCache(db, T, n);
    const times: number[] = [];
    let options = 0;
    for (let i = 0; i < SEARCHES + 30; i++) {
      const label = i % 2 ? 'Vendor' : 'Project';
      const t = performance.now();
      const r = await stack.driver.suggest({
        teamId: T,
        userId: 'UPM',
        view,
        label,
        query: QUERIES[(i >> 1) % QUERIES.length],
      });
      const ms = performance.now() - t;
      if (r.status !== 200) throw new Error(`suggestion answered ${r.status}`);
      if (i >= 30) times.push(ms), (options += r.options.length); // the first 30 warm up
    }
    // The same searches without HTTP and Bolt: the database part of an answer.
    const query: number[] = [];
    for (let i = 0; i < SEARCHES; i++) {
      const q = QUERIES[(i >> 1) % QUERIES.length];
      const t = performance.now();
      if (i % 2) await stack.app.engine.lists.search(T, 'Vendor', q, { limit: 99 });
      else await stack.app.engine.store.profiles.search(T, 'project', q, 100);
      query.push(performance.now() - t);
    }
    const pct = (xs: number[], p: number) => Number([...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))].toFixed(2));
    p95.push(pct(times, 0.95));
    detail.push({
      size: n,
      p50Ms: pct(times, 0.5),
      p95Ms: pct(times, 0.95),
      maxMs: pct(times, 1),
      avgOptions: Math.round(options / times.length),
      queryP95Ms: pct(query, 0.95),
    });
  }
  console.log(JSON.stringify({ sizes: SIZES, p95Ms: p95, searchesPerSize: SEARCHES, detail }));
} finally {
  await stack.stop();
}

async function waitForModal() {
  for (let i = 0; i < 200; i++) {
    const v = stack.slack.openModalStack(T, 'UPM').at(-1);
    if (v) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the upload modal did not open');
}
