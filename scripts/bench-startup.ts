/**
 * `npm run --silent bench:startup`: start to a healthy /healthz, compiled (`node dist/src/main.js`, what `npm start`
 * runs) and under tsx, and the idle RSS a few seconds later, with 5,000 projects and vendors cached. Median of
 * BENCH_RUNS (default 3) starts each. Prints one JSON object; `compiled` is null when there is no build.
 */
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { appEnv, freePort, TEAM_A } from '../emulators/stack.ts';
import { tempDir } from '../emulators/temp-dir.ts';
import { startQboEmulator } from '../emulators/qbo/index.ts';
import { startSlackFake } from '../emulators/slack/index.ts';
import { openDatabase, closeDatabase } from '../src/store/sqlite/client.ts';
import { seedCache } from './bench/fixtures.ts';
import { compiledMain, rssMbTree, spawnApp, stopChild, waitHealthy, type Runner } from './bench/proc.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 4000);
const ROWS = Number(process.env.BENCH_ROWS ?? 5000);

const qbo = await startQboEmulator();
const slack = await startSlackFake({ teams: [TEAM_A] });
const tmp = tempDir('bench-startup-');
try {
  const dbPath = join(tmp.dir, 'app.db');
  const seeded = openDatabase(dbPath);
  await seedCache(seeded, TEAM_A.id, ROWS);
  closeDatabase(seeded);
  const key = randomBytes(32).toString('base64');
  const measure = async (runner: Runner) => {
    const starts: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const port = await freePort();
      const env = {
        ...appEnv({ qbo, slack, port, dir: tmp.dir, signingSecret: 'bench', botToken: TEAM_A.botToken }),
        APP_ENCRYPTION_KEY: key,
        LOG_LEVEL: 'warn',
      };
      const t = performance.now();
      const child = spawnApp(runner, env);
      let err = '';
      child.stderr?.on('data', (d) => (err += d));
      try {
        await waitHealthy(`http://127.0.0.1:${port}`);
        starts.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, IDLE_MS));
        rss.push(rssMbTree(child.pid!));
      } catch (e) {
        throw new Error(`${runner}: ${e}\n${err.slice(-2000)}`);
      } finally {
        await stopChild(child);
      }
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return { startMs: Math.round(med(starts)), idleRssMb: med(rss), runs: RUNS };
  };
  const tsx = await measure('tsx');
  const compiled = existsSync(compiledMain) ? await measure('compiled') : null;
  console.log(JSON.stringify({ cachedRows: ROWS, idleAfterMs: IDLE_MS, compiled, tsx }));
} finally {
  await slack.close();
  await qbo.close();
  tmp.cleanup();
}
