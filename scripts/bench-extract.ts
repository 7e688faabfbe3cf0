/**
 * npm run --silent bench:extract
 * Runs the extractor over test/fixtures/invoices (expected.json) and prints one JSON object:
 * per-field accuracy, timing (ours vs bare pdf-parse getText on the same files, same run) and the
 * misses. `textOnly` repeats the accuracy with embedded XML ignored, to measure the text path alone.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractInvoice, type Extraction } from '../src/invoices/extract/index.ts';
import { fieldMatches as matches } from '../src/invoices/extract/match.ts';
import { bareText } from '../src/invoices/extract/pdf.ts';
import { matchVendorAny } from '../src/invoices/intake.ts';
import type { ListItem } from '../src/qbo/lists.ts';

console.log = console.error;
console.warn = console.error;

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.resolve(here, '../test/fixtures/invoices');
const FIELDS = ['vendor', 'invoiceNumber', 'invoiceDate', 'dueDate', 'total', 'currency'] as const;
type F = (typeof FIELDS)[number];

interface Expected {
  vendor?: string;
  invoiceNumber?: string;
  invoiceDate?: string;
  dueDate?: string;
  total?: number;
  currency?: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : 0;
};
const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)] : 0;
};
const r1 = (n: number) => Math.round(n * 10) / 10;

async function main() {
  const expected = JSON.parse(await readFile(path.join(dir, 'expected.json'), 'utf8')) as Record<string, { expected: Expected }>;
  const files = Object.keys(expected).sort();
  const bytes = new Map<string, Buffer>();
  for (const f of files) bytes.set(f, await readFile(path.join(dir, f)));

  // Warm-up (pdf.js module init, fonts, JIT) on every file once.
  for (const f of files) {
    await extractInvoice(bytes.get(f)!);
    await bareText(bytes.get(f)!);
  }

  const ROUNDS = 3;
  const ours: number[] = [];
  const bare: number[] = [];
  const bySource: Record<Extraction['source'], { ours: number[]; bare: number[] }> = { xml: { ours: [], bare: [] }, text: { ours: [], bare: [] }, ocr: { ours: [], bare: [] } };
  const results = new Map<string, Extraction | null>();
  for (const f of files) {
    const b = bytes.get(f)!;
    const to: number[] = [];
    const tb: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      let t0 = performance.now();
      const r = await extractInvoice(b);
      to.push(performance.now() - t0);
      results.set(f, r.ok ? r : null);
      t0 = performance.now();
      await bareText(b);
      tb.push(performance.now() - t0);
    }
    ours.push(median(to));
    bare.push(median(tb));
    const r = results.get(f);
    if (r) {
      bySource[r.source].ours.push(median(to));
      bySource[r.source].bare.push(median(tb));
    }
  }

  const score = async (textOnly: boolean) => {
    const acc: Record<string, { correct: number; expected: number; accuracy: number }> = {};
    const misses: { file: string; field: F; expected: unknown; got: unknown }[] = [];
    for (const field of FIELDS) acc[field] = { correct: 0, expected: 0, accuracy: 0 };
    for (const f of files) {
      const r = textOnly ? await extractInvoice(bytes.get(f)!, { textOnly: true }) : results.get(f);
      const got = r && r.ok ? r : null;
      const exp = expected[f].expected;
      for (const field of FIELDS) {
        const e = exp[field];
        if (e === undefined || e === null) continue;
        acc[field].expected++;
        const g = got ? got[field] : null;
        if (matches(field, e, g)) acc[field].correct++;
        else misses.push({ file: f, field, expected: e, got: g ?? null });
      }
    }
    let c = 0;
    let n = 0;
    for (const field of FIELDS) {
      acc[field].accuracy = acc[field].expected ? Math.round((acc[field].correct / acc[field].expected) * 1000) / 1000 : 1;
      c += acc[field].correct;
      n += acc[field].expected;
    }
    return { fields: acc, overall: { correct: c, expected: n, accuracy: Math.round((c / n) * 1000) / 1000 }, misses };
  };

  // What the review modal gets: the QuickBooks vendor picked for the invoice when the company's books hold every
  // expected vendor under its expected name (the read name, then its alternatives, matched as intake does).
  const books: ListItem[] = [...new Set(files.map((f) => expected[f].expected.vendor).filter((v): v is string => !!v))].map((name, i) => ({
    entity: 'Vendor', id: String(i + 1), name, fullName: name, type: null, subType: null, parentId: null, active: true,
  }));
  const inBooks = { correct: 0, expected: 0, accuracy: 0, misses: [] as { file: string; expected: string; got: string | null }[] };
  for (const f of files) {
    const want = expected[f].expected.vendor;
    if (!want) continue;
    inBooks.expected++;
    const r = results.get(f);
    const hit = r ? matchVendorAny(books, [r.vendor, ...(r.vendorAlternatives ?? [])].filter((n): n is string => !!n)) : null;
    if (hit?.name === want) inBooks.correct++;
    else inBooks.misses.push({ file: f, expected: want, got: hit?.name ?? null });
  }
  inBooks.accuracy = Math.round((inBooks.correct / inBooks.expected) * 1000) / 1000;

  const main = await score(false);
  const textOnly = await score(true);
  const sources = { xml: 0, text: 0, ocr: 0, failed: 0 };
  for (const r of results.values()) {
    if (!r) sources.failed++;
    else sources[r.source]++;
  }
  const out = {
    files: files.length,
    sources,
    accuracy: main.fields,
    overall: main.overall,
    vendorMatchedInBooks: inBooks,
    timingMs: {
      extract: { median: r1(median(ours)), p95: r1(p95(ours)) },
      pdfParseGetText: { median: r1(median(bare)), p95: r1(p95(bare)) },
      ratio: { median: Math.round((median(ours) / median(bare)) * 100) / 100, p95: Math.round((p95(ours) / p95(bare)) * 100) / 100 },
      rounds: ROUNDS,
      bySource: Object.fromEntries(
        Object.entries(bySource).map(([k, v]) => [
          k,
          {
            files: v.ours.length,
            extract: { median: r1(median(v.ours)), p95: r1(p95(v.ours)) },
            pdfParseGetText: { median: r1(median(v.bare)), p95: r1(p95(v.bare)) },
          },
        ]),
      ),
    },
    misses: main.misses,
    textOnly: { accuracy: Object.fromEntries(Object.entries(textOnly.fields).map(([k, v]) => [k, `${v.correct}/${v.expected}`])), overall: textOnly.overall, misses: textOnly.misses },
  };
  process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
}

await main();
