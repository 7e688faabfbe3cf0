/**
 * The extraction pool: files are read in worker threads, within a budget; hostile files (zip bombs)
 * and dying workers end as `unsafe`/`too_long` results while the main thread keeps running and the
 * pool keeps serving other files.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { closeExtractor, extractInvoice } from '../../src/invoices/extract/index.ts';
import { withPdf } from '../../src/invoices/extract/pdf.ts';
import { ExtractPool } from '../../src/invoices/extract/pool.ts';
import { pageBombPdf, xmlBombPdf } from './hostile.ts';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/invoices');
const pools: ExtractPool[] = [];
function pool(o: Partial<ConstructorParameters<typeof ExtractPool>[0]> = {}): ExtractPool {
  const p = new ExtractPool({ size: 1, maxPages: 20, maxSeconds: 60, ...o });
  pools.push(p);
  return p;
}
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  await closeExtractor();
});

/** Runs `fn` while a 20 ms interval ticks on the main thread; returns its result and the longest gap between ticks. */
async function whileTicking<T>(fn: () => Promise<T>): Promise<{ result: T; maxGapMs: number }> {
  let last = performance.now();
  let maxGapMs = 0;
  const iv = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
  }, 20);
  try {
    const result = await fn();
    return { result, maxGapMs: Math.max(maxGapMs, performance.now() - last) };
  } finally {
    clearInterval(iv);
  }
}

const wall = (shade: string) =>
  sharp({ create: { width: 900, height: 700, channels: 3, background: shade } })
    .jpeg()
    .toBuffer();

async function scannedPdf(jpeg: Buffer, pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const img = await doc.embedJpg(jpeg);
  for (let i = 0; i < pages; i++) doc.addPage([612, 792]).drawImage(img, { x: 0, y: 0, width: 612, height: 792 });
  return Buffer.from(await doc.save());
}

describe('hostile files (zip bombs) are refused without stalling the app', () => {
  it('a Factur-X attachment that inflates to 400 MB → unsafe, read off the main thread', async () => {
    const bomb = await xmlBombPdf(400);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const p = pool();
    const { result, maxGapMs } = await whileTicking(() => p.read(bomb));
    expect(result).toMatchObject({
      ok: false,
      reason: 'unsafe',
      message: expect.stringMatching(/could not be read safely/),
    });
    expect(maxGapMs).toBeLessThan(1000);
    // In-process too: the inflate is capped, so this returns at once instead of growing the heap by 400 MB.
    const before = process.memoryUsage().rss;
    expect(await extractInvoice(bomb)).toMatchObject({ ok: false, reason: 'unsafe' });
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  }, 60_000);

  it('a page content stream that inflates to 300 MB → unsafe; the pool then reads the next file', async () => {
    const bomb = await pageBombPdf(300);
    const p = pool();
    const { result, maxGapMs } = await whileTicking(() => p.read(bomb));
    expect(result).toMatchObject({ ok: false, reason: 'unsafe' });
    expect(maxGapMs).toBeLessThan(1000);
    expect(await p.read(readFileSync(path.join(fixtures, 'us-rental-bigsky.pdf')))).toMatchObject({
      ok: true,
      source: 'text',
      total: 4720,
    });
  }, 60_000);

  it('a worker that runs out of memory → unsafe, and a fresh worker serves the next file', async () => {
    // 30 MB of XML (under the size caps) whose 4 M elements need more heap than this worker may use.
    const hog = await xmlBombPdf(30, '<a>1</a>');
    const p = pool({ heapMb: 256 });
    const { result, maxGapMs } = await whileTicking(() => p.read(hog));
    expect(result).toMatchObject({ ok: false, reason: 'unsafe' });
    expect(maxGapMs).toBeLessThan(1000);
    expect(await p.read(readFileSync(path.join(fixtures, 'us-rental-bigsky.pdf')))).toMatchObject({
      ok: true,
      source: 'text',
      total: 4720,
    });
  }, 90_000);
});

describe('budgets, progress and parallel reading', () => {
  it('a worker stuck past the hard timeout is terminated: too_long, and the pool goes on', async () => {
    const page = await withPdf(readFileSync(path.join(fixtures, 'us-lumber-cascade.pdf')), (pdf) => pdf.render(1, 300));
    const photo = await sharp(Buffer.from(page!.png)).jpeg().toBuffer();
    // OCR of a 300 DPI page takes seconds: this worker gets 1.5 s from the moment it starts on a file.
    const p = pool({ maxSeconds: 0, hardTimeoutMs: 1500 });
    expect(await p.read(photo)).toMatchObject({
      ok: false,
      reason: 'too_long',
      message: 'This file is too long to read automatically — please fill it in.',
    });
    expect(await p.read(readFileSync(path.join(fixtures, 'us-rental-bigsky.pdf')))).toMatchObject({
      ok: true,
      source: 'text',
      total: 4720,
    });
  }, 60_000);

  it('progress of a multi-page scan reaches the main thread, page by page', async () => {
    const scan = await scannedPdf(await wall('#d8d0c0'), 3);
    const seen: Array<{ page: number; pages: number }> = [];
    const r = await pool().read(scan, { onProgress: (x) => seen.push(x) });
    expect(r).toMatchObject({ ok: false, reason: 'no_text' });
    expect(seen).toEqual([1, 2, 3].map((page) => ({ page, pages: 3 })));
  }, 60_000);

  it('two files shared at once are read by two workers at the same time', async () => {
    const p = pool({ size: 2 });
    const files = [await scannedPdf(await wall('#c0b8a8'), 2), await scannedPdf(await wall('#a8b0b8'), 2)];
    let together = 0;
    const iv = setInterval(() => {
      const s = p.stats;
      together = Math.max(together, Math.min(s.threads, s.inflight - s.queued));
    }, 10);
    const results = await Promise.all(files.map((f) => p.read(f)));
    clearInterval(iv);
    expect(results.map((r) => r.ok)).toEqual([false, false]);
    expect(together).toBe(2);
  }, 60_000);
});
