/**
 * Per-field accuracy of a set of read files against its expected.json, judged as the extraction tests judge
 * (src/invoices/extract/match.ts: vendor fuzzy, amounts to the cent, ISO dates), and the vendor the review modal would
 * pick from books holding every expected vendor. Same keys as the original bench-extract output.
 */
import { fieldMatches } from '../../src/invoices/extract/match.ts';
import { matchVendorAny } from '../../src/invoices/intake.ts';
import type { ListItem } from '../../src/qbo/lists.ts';

export const FIELDS = ['vendor', 'invoiceNumber', 'invoiceDate', 'dueDate', 'total', 'currency'] as const;
export type F = (typeof FIELDS)[number];

export interface Expected {
  vendor?: string;
  invoiceNumber?: string;
  invoiceDate?: string;
  dueDate?: string;
  total?: number;
  currency?: string;
}

/** What a reader gave for one file: the fields (null when it could not read the file). */
export interface Read {
  ok: boolean;
  source?: string;
  pages?: number;
  reason?: string;
  vendor?: string | null;
  vendorAlternatives?: string[];
  invoiceNumber?: string | null;
  invoiceDate?: string | null;
  dueDate?: string | null;
  total?: number | null;
  currency?: string | null;
}

export interface FieldScore {
  correct: number;
  expected: number;
  accuracy: number;
}

export interface Miss {
  file: string;
  field: F;
  expected: unknown;
  got: unknown;
}

const ratio = (c: number, n: number) => (n ? Math.round((c / n) * 1000) / 1000 : 1);

export function score(expected: Record<string, Expected>, results: Map<string, Read | null>) {
  const accuracy = {} as Record<F, FieldScore>;
  const misses: Miss[] = [];
  for (const field of FIELDS) accuracy[field] = { correct: 0, expected: 0, accuracy: 0 };
  for (const [file, exp] of Object.entries(expected)) {
    if (!results.has(file)) continue;
    const r = results.get(file);
    const got = r?.ok ? r : null;
    for (const field of FIELDS) {
      const e = exp[field];
      if (e === undefined || e === null) continue;
      accuracy[field].expected++;
      const g = got ? got[field] : null;
      if (fieldMatches(field, e, g)) accuracy[field].correct++;
      else misses.push({ file, field, expected: e, got: g ?? (r && !r.ok ? `(unread: ${r.reason ?? 'failed'})` : null) });
    }
  }
  let c = 0;
  let n = 0;
  for (const field of FIELDS) {
    accuracy[field].accuracy = ratio(accuracy[field].correct, accuracy[field].expected);
    c += accuracy[field].correct;
    n += accuracy[field].expected;
  }
  return { accuracy, overall: { correct: c, expected: n, accuracy: ratio(c, n) }, misses };
}

/** The QuickBooks vendor picked for each file when the books hold every expected vendor under its expected name. */
export function vendorMatchedInBooks(expected: Record<string, Expected>, results: Map<string, Read | null>) {
  const names = [
    ...new Set(
      Object.values(expected)
        .map((e) => e.vendor)
        .filter((v): v is string => !!v),
    ),
  ];
  const books: ListItem[] = names.map((name, i) => ({
    entity: 'Vendor',
    id: String(i + 1),
    name,
    fullName: name,
    type: null,
    subType: null,
    parentId: null,
    active: true,
  }));
  const out = {
    correct: 0,
    expected: 0,
    accuracy: 0,
    misses: [] as { file: string; expected: string; got: string | null }[],
  };
  for (const [file, exp] of Object.entries(expected)) {
    if (!exp.vendor || !results.has(file)) continue;
    out.expected++;
    const r = results.get(file);
    const tried = r?.ok ? [r.vendor, ...(r.vendorAlternatives ?? [])].filter((x): x is string => !!x) : [];
    const hit = tried.length ? matchVendorAny(books, tried) : null;
    if (hit?.name === exp.vendor) out.correct++;
    else out.misses.push({ file, expected: exp.vendor, got: hit?.name ?? null });
  }
  out.accuracy = ratio(out.correct, out.expected);
  return out;
}

export function sourcesOf(results: Map<string, Read | null>): Record<string, number> {
  const s: Record<string, number> = {};
  for (const r of results.values()) {
    const k = r?.ok ? (r.source ?? 'unknown') : 'failed';
    s[k] = (s[k] ?? 0) + 1;
  }
  return s;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : 0;
};
export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] : 0;
};
export const p95 = (xs: number[]) => pct(xs, 0.95);
export const r1 = (n: number) => Math.round(n * 10) / 10;
