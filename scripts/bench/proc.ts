/** Child processes for the benchmarks: spawn the app like `npm start`, wait for /healthz, read RSS from /proc. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname;
export const tsxBin = join(root, 'node_modules/.bin/tsx');
export const compiledMain = join(root, 'dist/src/main.js');

export type Runner = 'compiled' | 'tsx';

/** `compiled` = `node dist/src/main.js` (what `npm start` runs), `tsx` = `tsx src/main.ts`. */
export function spawnApp(runner: Runner, env: Record<string, string>, extraNodeOptions = '', nodeArgs: string[] = []): ChildProcess {
  const base = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...env,
    ...(extraNodeOptions ? { NODE_OPTIONS: extraNodeOptions } : {}),
  };
  if (runner === 'compiled') {
    if (!existsSync(compiledMain)) throw new Error('dist/src/main.js is missing: run `npm run build` first');
    return spawn(process.execPath, [...nodeArgs, compiledMain], {
      cwd: root,
      env: base,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  }
  return spawn(tsxBin, ['src/main.ts'], { cwd: root, env: base, stdio: ['ignore', 'ignore', 'pipe'] });
}

export async function waitHealthy(url: string, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() - start > timeoutMs) throw new Error(`${url}/healthz not healthy after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function children(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const c = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (c) out.push(...c.split(/\s+/).map(Number));
    }
  } catch {
    /* gone */
  }
  return out;
}

/** Resident memory of a process and all its descendants (tsx runs the app in a child node process). */
export function rssMbTree(pid: number): number {
  let kb = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      continue;
    }
    stack.push(...children(p));
  }
  return Math.round(kb / 1024);
}

export async function stopChild(child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await done;
  clearTimeout(t);
}

/** utime + stime of /proc/<pid>[/task/<tid>]/stat, in ms (Linux clock ticks, 100 per second). */
function statCpuMs(path: string): number {
  try {
    const stat = readFileSync(path, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return 0;
  }
}

/**
 * CPU time (user + system) a process and its descendants have used, in ms; `mainThread` is the node main thread
 * only (for the app: what acks wait on; the reading pool's threads are left out). Less noisy than latency on
 * a shared machine: what a request costs, not how long it waited for a core.
 */
export function cpuMsTree(pid: number): { total: number; mainThread: number } {
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    total += statCpuMs(`/proc/${p}/stat`);
    stack.push(...children(p));
  }
  // tsx runs the script in a child node process: the main thread is the one of the last process in that chain.
  let main = pid;
  for (let c = children(main); c.length === 1; c = children(main)) main = c[0];
  return { total, mainThread: statCpuMs(`/proc/${main}/task/${main}/stat`) };
}
