import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExtractPool } from '../../src/invoices/extract/pool.ts';
import { withPdf } from '../../src/invoices/extract/pdf.ts';

/** Reading yields the cores to the app's main thread (Slack's 3-second acks) when both want them. */

const fixture = readFileSync(path.resolve(import.meta.dirname, '../fixtures/invoices/us-rental-summit.pdf'));
const pool = new ExtractPool({ size: 1, maxPages: 20, maxSeconds: 60 });
afterAll(() => pool.close());

/** nice value of each thread of this process (Linux: /proc/self/task/<tid>/stat, field 19), and the thread names. */
const names = new Map<number, string>();
function niceByThread(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), Number(fields[16]));
      names.set(Number(tid), stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
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

  it('so do the image-processing threads (libvips) a photo is prepared in', async () => {
    const r = await withPdf(fixture, (pdf) => pdf.render(1, 100));
    if (!r) throw new Error('could not render the fixture');
    // libvips lets idle threads go after a while (sooner than a loaded machine finishes the read), so its threads
    // are looked at while the photo is read as well as after.
    const seen = new Map<number, number>();
    const look = () => {
      for (const [tid, nice] of niceByThread()) if (names.get(tid)?.startsWith('libvips')) seen.set(tid, nice);
    };
    const timer = setInterval(look, 50);
    const read = await pool.read(Buffer.from(r.png)).finally(() => clearInterval(timer));
    look();
    expect(read.ok && read.source).toBe('ocr');
    expect(seen.size).toBeGreaterThan(0);
    expect([...seen.values()].every((nice) => nice === 10)).toBe(true);
  });
});
