/**
 * npm run --silent bench:extract [-- --sets fixtures,photos,receipts --limit N --no-ack --receipts DIR
 *                                    --ack-pages 20 --ack-interval-ms 100 --idle-ms 10000 --max-busy-ms 120000]
 *
 * Prints ONE JSON object:
 *   sets.fixtures  test/fixtures/invoices (the 40 collected PDFs + the project's generated invoices)
 *   sets.photos    test/fixtures/photos (fixture invoices as degraded phone photos, screenshots, HEIC, scans)
 *   sets.receipts  the real scanned receipts in ../shared/fixtures/receipts ({"skipped": why} when absent)
 * each with per-field accuracy (accuracy, overall, vendorMatchedInBooks, misses; fixtures also textOnly);
 *   timingMs.text     extractInvoice vs bare pdf-parse getText on the fixture PDFs, same run
 *   timingMs.ocrPage  one worker's ms per OCR-read page (photos + receipts)
 *   ackDuringOcr      p99 of signed /qbo status acks against the running app, idle and while it reads a 20-page scan
 * Files are read through ExtractPool when the project has it (one worker, so per-page times are one core's).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { extractInvoice } from '../src/invoices/extract/index.ts';
import { ackDuringOcr } from './bench/ack.ts';
import { openReader } from './bench/reader.ts';
import { type Read, score, sourcesOf, vendorMatchedInBooks } from './bench/score.ts';
import { type FileSet, loadSet, readSet, SET_NAMES, type SetName, type SetRun } from './bench/sets.ts';
import { ocrPageTiming, textTiming } from './bench/timing.ts';

// Only the JSON goes to stdout.
console.log = console.error;
console.info = console.error;
console.warn = console.error;

const { values } = parseArgs({
  options: {
    sets: { type: 'string' },
    limit: { type: 'string' },
    receipts: { type: 'string' },
    'no-ack': { type: 'boolean' },
    'ack-pages': { type: 'string' },
    'ack-interval-ms': { type: 'string' },
    'idle-ms': { type: 'string' },
    'max-busy-ms': { type: 'string' },
  },
});
const num = (s: string | undefined, d: number) => (s === undefined ? d : Number(s));
const log = (s: string) => process.stderr.write(`bench-extract: ${s}\n`);

async function textOnly(set: FileSet) {
  const results = new Map<string, Read | null>();
  for (const f of Object.keys(set.expected)) results.set(f, (await extractInvoice(await readFile(join(set.dir, f)), { textOnly: true })) as Read);
  const s = score(set.expected, results);
  return {
    accuracy: Object.fromEntries(Object.entries(s.accuracy).map(([k, v]) => [k, `${v.correct}/${v.expected}`])),
    overall: s.overall,
    misses: s.misses,
  };
}

function report(set: FileSet, run: SetRun, reader: string) {
  const s = score(set.expected, run.results);
  return {
    files: run.results.size,
    reader,
    sources: sourcesOf(run.results),
    accuracy: s.accuracy,
    overall: s.overall,
    vendorMatchedInBooks: vendorMatchedInBooks(set.expected, run.results),
    misses: s.misses,
  };
}

async function main() {
  const wanted = (values.sets ? values.sets.split(',').map((s) => s.trim()) : SET_NAMES) as SetName[];
  for (const w of wanted) if (!SET_NAMES.includes(w)) throw new Error(`unknown set '${w}' (sets: ${SET_NAMES.join(', ')})`);
  const limit = values.limit ? Number(values.limit) : undefined;
  const reader = await openReader({ size: 1 });
  log(`reading with ${reader.kind}`);
  const sets: Record<string, unknown> = {};
  const runs: SetRun[] = [];
  let text: unknown = { skipped: 'fixtures not selected (--sets)' };
  try {
    for (const name of SET_NAMES) {
      if (!wanted.includes(name)) {
        sets[name] = { skipped: 'not selected (--sets)' };
        continue;
      }
      const set = await loadSet(name, { limit, receiptsDir: values.receipts });
      if ('skipped' in set) {
        sets[name] = set;
        continue;
      }
      const t0 = performance.now();
      const run = await readSet(set, reader);
      log(`${name}: ${run.results.size} files in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      sets[name] = {
        ...report(set, run, reader.kind),
        ...(name === 'fixtures' ? { textOnly: await textOnly(set) } : {}),
      };
      if (name === 'fixtures') text = await textTiming(set);
      else runs.push(run);
    }
  } finally {
    await reader.close();
  }
  const ack = values['no-ack']
    ? { skipped: '--no-ack' }
    : await ackDuringOcr({
        pages: num(values['ack-pages'], 20),
        intervalMs: num(values['ack-interval-ms'], 100),
        idleMs: num(values['idle-ms'], 10_000),
        maxBusyMs: num(values['max-busy-ms'], 120_000),
      });
  const out = { sets, timingMs: { text, ocrPage: ocrPageTiming(runs) }, ackDuringOcr: ack };
  process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
}

await main();
// The app's timers, the pool's workers: nothing else is needed once the JSON is out.
process.exit(0);
