import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExtractPool } from '../../src/invoices/extract/pool.ts';

/** Reading yields the cores to the app's main thread (Slack's 3-second acks) when both want them. */

const fixture = readFileSync(path.resolve(import.meta.dirname, '../fixtures/invoices/us-rental-summit.pdf'));
const pool = new ExtractPool({ size: 1, maxPages: 20, maxSeconds: 60 });
afterAll(() => pool.close());

/** nice value of each thread of this process (Linux: /proc/self/task/<tid>/stat, field 19). */
function niceByThread(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), Number(fields[16]));
    } catch {
      /* the thread ended meanwhile */
    }
  }
  return out;
}

describe.skipIf(!existsSync('/proc/self/task'))('the reading threads', () => {
  it('run at a lower priority (nice 10) than the main thread, which keeps its own', async () => {
    const before = new Set(niceByThread().keys());
    const read = await pool.read(fixture);
    expect(read.ok).toBe(true);
    const now = niceByThread();
    expect(now.get(process.pid)).toBe(0);
    const started = [...now].filter(([tid]) => !before.has(tid));
    expect(started.some(([, nice]) => nice === 10)).toBe(true);
  });
});
