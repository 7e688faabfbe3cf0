/**
 * The bench's sets of files with expected values: `fixtures` (test/fixtures/invoices: the 40 collected PDFs and the
 * project's generated ones), `photos` (test/fixtures/photos, made by make-photos) and `receipts` (the real scanned
 * receipts in ../shared/fixtures/receipts, used from there and never copied; skipped when absent).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Reader } from './reader.ts';
import type { Expected, Read } from './score.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type SetName = 'fixtures' | 'photos' | 'receipts';
export const SET_NAMES: SetName[] = ['fixtures', 'photos', 'receipts'];

export interface FileSet {
  name: SetName;
  dir: string;
  expected: Record<string, Expected>;
}

/** `../shared/fixtures/receipts` next to the repository (or next to one of its parents, for a git worktree). */
export function findReceipts(explicit?: string): string | null {
  if (explicit) return existsSync(path.join(explicit, 'expected.json')) ? path.resolve(explicit) : null;
  for (let d = repoRoot, i = 0; i < 3; i++, d = path.dirname(d)) {
    const dir = path.join(path.dirname(d), 'shared', 'fixtures', 'receipts');
    if (existsSync(path.join(dir, 'expected.json'))) return dir;
  }
  return null;
}

async function loadExpected(dir: string, limit?: number): Promise<Record<string, Expected>> {
  const raw = JSON.parse(await readFile(path.join(dir, 'expected.json'), 'utf8')) as Record<string, { expected: Expected }>;
  const names = Object.keys(raw)
    .sort()
    .slice(0, limit ?? Number.POSITIVE_INFINITY);
  return Object.fromEntries(names.map((n) => [n, raw[n].expected]));
}

export async function loadSet(name: SetName, o: { limit?: number; receiptsDir?: string }): Promise<FileSet | { skipped: string }> {
  if (name === 'receipts') {
    const dir = findReceipts(o.receiptsDir);
    if (!dir)
      return {
        skipped: 'no ../shared/fixtures/receipts next to the repository (real receipts are used from there, never copied)',
      };
    return { name, dir, expected: await loadExpected(dir, o.limit) };
  }
  const dir = path.join(repoRoot, 'test', 'fixtures', name === 'fixtures' ? 'invoices' : 'photos');
  return { name, dir, expected: await loadExpected(dir, o.limit) };
}

export interface SetRun {
  results: Map<string, Read | null>;
  /** Wall-clock milliseconds per file. */
  ms: Map<string, number>;
  /** CPU milliseconds the process spent per file (all its threads: the OCR worker's too). On a shared machine this
   *  is the fairer "one core" figure; it is only meaningful when the reader works in this process. */
  cpuMs: Map<string, number>;
}

/** Reads every file of a set once, one after another (so per-file times are one worker's times). */
export async function readSet(set: FileSet, reader: Reader): Promise<SetRun> {
  const results = new Map<string, Read | null>();
  const ms = new Map<string, number>();
  const cpuMs = new Map<string, number>();
  for (const file of Object.keys(set.expected)) {
    const bytes = await readFile(path.join(set.dir, file));
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    try {
      results.set(file, await reader.read(bytes, file));
    } catch (err) {
      results.set(file, { ok: false, reason: `threw: ${(err as Error).message}` });
    }
    ms.set(file, performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuMs.set(file, (c.user + c.system) / 1000);
  }
  return { results, ms, cpuMs };
}
