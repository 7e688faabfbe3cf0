/**
 * timingMs.text: the text path (extractInvoice in-process) against bare pdf-parse getText on the same PDFs in the same
 * run (median of ROUNDS per file), as the original bench did. timingMs.ocrPage: one worker's milliseconds per page on
 * files the reader read by OCR (any source other than the text layer or XML): median/p95 wall clock, and `cpu`, the
 * process's CPU time per page (what one core spends, unaffected by other load on a shared machine).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { extractInvoice } from '../../src/invoices/extract/index.ts';
import { bareText } from '../../src/invoices/extract/pdf.ts';
import { median, p95, r1 } from './score.ts';
import type { FileSet, SetRun } from './sets.ts';

const ROUNDS = 3;
const stats = (xs: number[]) => ({ median: r1(median(xs)), p95: r1(p95(xs)) });

export async function textTiming(set: FileSet) {
  const files = Object.keys(set.expected).filter((f) => f.toLowerCase().endsWith('.pdf'));
  const pdfs: Buffer[] = [];
  for (const f of files) pdfs.push(await readFile(path.join(set.dir, f)));
  for (const b of pdfs) {
    await extractInvoice(b);
    await bareText(b);
  }
  const ours: number[] = [];
  const bare: number[] = [];
  const bySource: Record<string, { ours: number[]; bare: number[] }> = {};
  for (const b of pdfs) {
    const to: number[] = [];
    const tb: number[] = [];
    let source = 'failed';
    for (let i = 0; i < ROUNDS; i++) {
      let t0 = performance.now();
      const r = await extractInvoice(b);
      to.push(performance.now() - t0);
      source = r.ok ? r.source : 'failed';
      t0 = performance.now();
      await bareText(b);
      tb.push(performance.now() - t0);
    }
    ours.push(median(to));
    bare.push(median(tb));
    bySource[source] ??= { ours: [], bare: [] };
    bySource[source].ours.push(median(to));
    bySource[source].bare.push(median(tb));
  }
  return {
    files: files.length,
    extract: stats(ours),
    pdfParseGetText: stats(bare),
    ratio: {
      median: Math.round((median(ours) / median(bare)) * 100) / 100,
      p95: Math.round((p95(ours) / p95(bare)) * 100) / 100,
    },
    rounds: ROUNDS,
    bySource: Object.fromEntries(
      Object.entries(bySource).map(([k, v]) => [k, { files: v.ours.length, extract: stats(v.ours), pdfParseGetText: stats(v.bare) }]),
    ),
  };
}

export function ocrPageTiming(runs: SetRun[]) {
  const perPage: number[] = [];
  const cpuPerPage: number[] = [];
  for (const run of runs) {
    for (const [file, r] of run.results) {
      if (!r?.ok || r.source === 'text' || r.source === 'xml') continue;
      const ms = run.ms.get(file);
      const pages = Math.max(1, r.pages ?? 1);
      if (ms !== undefined) perPage.push(ms / pages);
      const cpu = run.cpuMs.get(file);
      if (cpu !== undefined) cpuPerPage.push(cpu / pages);
    }
  }
  if (!perPage.length)
    return {
      median: null,
      p95: null,
      files: 0,
      note: 'no file was read by OCR (the reader has no OCR path yet, or every photo/scan was refused)',
    };
  return { ...stats(perPage), files: perPage.length, workers: 1, cpu: stats(cpuPerPage) };
}
