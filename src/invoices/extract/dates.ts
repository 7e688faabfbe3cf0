/**
 * Dates as invoices print them: ISO, numeric with . / - separators (day/month order decided by the
 * whole document), and written months in English, German, French, Dutch, Spanish and Italian.
 */
import { DIGIT_FOR_LETTER, digitLookAlikes } from './look-alike.ts';
import { fold } from './text.ts';

export type DateOrder = 'DMY' | 'MDY';

export interface DateMatch {
  start: number;
  end: number;
  raw: string;
  /** Year, and the two parts whose order may be ambiguous. */
  y: number;
  /** Resolved month/day when the text says which is which (written month, ISO, or a part > 12). */
  fixed?: { m: number; d: number };
  /** Numeric a/b for "a.b.y" style dates. */
  a?: number;
  b?: number;
  /** An impossible day or month read with OCR's 6/8 for a leading 0 put back ("17/61/2018"): a guess. */
  repaired?: boolean;
}

/** A two-digit day or month whose first digit OCR likely misread from 0 ("61" → 1, "65" → 5). */
function unmisread(part: string): number | null {
  return part.length === 2 && READ_FOR_ZERO.has(part[0]) && /^\d\d$/.test(part) && part[1] !== '0' ? Number(part[1]) : null;
}

const MONTHS: Record<string, number> = {};
const MONTH_NAMES: [number, string[]][] = [
  [1, ['january', 'jan', 'januar', 'janvier', 'janv', 'januari', 'enero', 'ene', 'gennaio', 'gen', 'jänner', 'janner']],
  [2, ['february', 'feb', 'februar', 'fevrier', 'fevr', 'fev', 'februari', 'febrero', 'febbraio']],
  [3, ['march', 'mar', 'marz', 'maerz', 'mars', 'maart', 'mrt', 'marzo']],
  [4, ['april', 'apr', 'avril', 'avr', 'abril', 'abr', 'aprile']],
  [5, ['may', 'mai', 'mei', 'mayo', 'maggio', 'mag']],
  [6, ['june', 'jun', 'juni', 'juin', 'junio', 'giugno', 'giu']],
  [7, ['july', 'jul', 'juli', 'juillet', 'juil', 'julio', 'luglio', 'lug']],
  [8, ['august', 'aug', 'aout', 'augustus', 'agosto', 'ago']],
  [9, ['september', 'sep', 'sept', 'septembre', 'septiembre', 'settembre', 'set']],
  [10, ['october', 'oct', 'oktober', 'okt', 'octobre', 'octubre', 'ottobre', 'ott']],
  [11, ['november', 'nov', 'novembre', 'noviembre']],
  [12, ['december', 'dec', 'dezember', 'dez', 'decembre', 'diciembre', 'dic', 'dicembre']],
];
for (const [n, names] of MONTH_NAMES) for (const name of names) MONTHS[fold(name)] = n;
const MONTH_ALT = Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|');

const ORD = String.raw`(?:st|nd|rd|th|er|e|eme|ème|\.)?`;
// Patterns run on folded (lower-case, accent-free) text of the same length as the original.
const RE_ISO = /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/g;
const RE_NUM = /(?<![\d./-])(\d{1,2})\s?([./-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\d]|[./-]\d)/g;
const RE_DMY_W = new RegExp(
  String.raw`(?<![\w])(\d{1,2})${ORD}\s*(?:of\s+|de\s+)?[-/ ]?\s*(${MONTH_ALT})\.?(?![a-z])\s*[-/,]?\s*(?:de\s+)?'?(\d{4}|\d{2})(?!\d)`,
  'g',
);
const RE_MDY_W = new RegExp(String.raw`(?<![\w])(${MONTH_ALT})\.?(?![a-z])\s*[-/ ]?\s*(\d{1,2})${ORD}\s*[,/-]?\s*(\d{4})(?!\d)`, 'g');

function year(y: string): number {
  const n = Number(y);
  return y.length === 2 ? (n < 70 ? 2000 + n : 1900 + n) : n;
}

function valid(y: number, m: number, d: number): boolean {
  if (y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function iso(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Letters and signs OCR reads for digits (look-alike.ts), as a character class, and the digits OCR reads for 0. */
const LETTER_DIGITS = `[\\d${[...DIGIT_FOR_LETTER.keys()].map((c) => c.replace(/[\\\]^-]/g, '\\$&')).join('')}]`;
const DATE_SHAPE = new RegExp(
  `(?<![a-z\\d])${LETTER_DIGITS}{1,2}\\s?[./-]\\s?${LETTER_DIGITS}{1,2}\\s?[./-]\\s?${LETTER_DIGITS}{2,4}(?![a-z\\d])`,
  'g',
);
const READ_FOR_ZERO = new Set(digitLookAlikes('0'));

/**
 * OCR reads 0 as O and 1 as l/I/| inside numbers (and the other look-alikes of look-alike.ts): inside a numeric date
 * shape ("O1/O2/2018", "l2.03.2018") the letters are put back as digits (same length, so offsets stay those of the
 * original text).
 */
function ocrDigits(f: string): string {
  return f.replace(DATE_SHAPE, (m) => ((m.match(/\d/g)?.length ?? 0) >= 4 ? [...m].map((c) => DIGIT_FOR_LETTER.get(c) ?? c).join('') : m));
}

/** Finds date-like strings; numeric ones keep both readings until `resolveDate`. */
export function findDates(text: string): DateMatch[] {
  const f = ocrDigits(fold(text));
  const out: DateMatch[] = [];
  const taken: [number, number][] = [];
  const overlaps = (s: number, e: number) => taken.some(([a, b]) => s < b && e > a);
  const push = (m: DateMatch) => {
    if (overlaps(m.start, m.end)) return;
    taken.push([m.start, m.end]);
    out.push(m);
  };
  /** Where a match stands and what it read, with its year. */
  const at = (m: RegExpMatchArray & { index: number }, y: number) => ({
    start: m.index,
    end: m.index + m[0].length,
    raw: text.slice(m.index, m.index + m[0].length),
    y,
  });
  for (const m of f.matchAll(RE_ISO)) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    if (valid(y, mo, d)) push({ ...at(m, y), fixed: { m: mo, d } });
  }
  for (const m of f.matchAll(RE_DMY_W)) {
    const y = year(m[3]);
    const mo = MONTHS[m[2]];
    const d = Number(m[1]);
    const base = at(m, y);
    if (mo && valid(y, mo, d)) push({ ...base, fixed: { m: mo, d } });
    else if (mo && unmisread(m[1]) !== null && valid(y, mo, unmisread(m[1]) as number))
      push({ ...base, fixed: { m: mo, d: unmisread(m[1]) as number }, repaired: true });
  }
  for (const m of f.matchAll(RE_MDY_W)) {
    const y = year(m[3]);
    const mo = MONTHS[m[1]];
    const d = Number(m[2]);
    if (mo && valid(y, mo, d)) push({ ...at(m, y), fixed: { m: mo, d } });
  }
  for (const m of f.matchAll(RE_NUM)) {
    const a = Number(m[1]);
    const b = Number(m[3]);
    const y = year(m[4]);
    const dmy = valid(y, b, a);
    const mdy = valid(y, a, b);
    const base = at(m, y);
    if (!dmy && !mdy) {
      // Day first with one misread part ("17/61/2018" → 17 Jan), only when that is the one valid reading.
      const fa = unmisread(m[1]) ?? a;
      const fb = unmisread(m[3]) ?? b;
      if ((fa !== a || fb !== b) && valid(y, fb, fa) && !valid(y, fa, fb)) push({ ...base, fixed: { m: fb, d: fa }, repaired: true });
      continue;
    }
    if (dmy && !mdy) push({ ...base, fixed: { m: b, d: a } });
    else if (mdy && !dmy) push({ ...base, fixed: { m: a, d: b } });
    else if (a === b) push({ ...base, fixed: { m: a, d: b } });
    else push({ ...base, a, b });
  }
  return out.sort((x, y) => x.start - y.start);
}

/**
 * Day/month order for a document: numeric dates with a part > 12 decide; otherwise the dot
 * separator (European), then the hint (e.g. US dollars and English → MDY).
 */
export function detectDateOrder(text: string, hint: DateOrder = 'DMY'): DateOrder {
  let dmy = 0;
  let mdy = 0;
  for (const m of fold(text).matchAll(RE_NUM)) {
    const a = Number(m[1]);
    const b = Number(m[3]);
    if (a > 12 && b <= 12) dmy += 2;
    else if (b > 12 && a <= 12) mdy += 2;
    else if (m[2] === '.') dmy += 1;
  }
  if (dmy > mdy) return 'DMY';
  if (mdy > dmy) return 'MDY';
  return hint;
}

/**
 * An issue date a person would believe: not after today (a day's grace for time zones) and not more than ten
 * years back. Without `today`, every date is plausible.
 */
export function plausibleIssueDate(isoDate: string, today?: string): boolean {
  if (!today) return true;
  const tenYearsBack = `${Number(today.slice(0, 4)) - 10}${today.slice(4)}`;
  return isoDate <= addDays(today, 1) && isoDate >= tenYearsBack;
}

/**
 * The date a match stands for. An ambiguous numeric date takes the document's order, unless that reading is
 * implausible (future, or over ten years back) and the other one is not.
 */
export function resolveDate(m: DateMatch, order: DateOrder, today?: string): string {
  if (m.fixed) return iso(m.y, m.fixed.m, m.fixed.d);
  const a = m.a as number;
  const b = m.b as number;
  const first = order === 'DMY' ? iso(m.y, b, a) : iso(m.y, a, b);
  const other = order === 'DMY' ? iso(m.y, a, b) : iso(m.y, b, a);
  return !plausibleIssueDate(first, today) && plausibleIssueDate(other, today) ? other : first;
}

/** Parses the first date in a string. */
export function parseDate(text: string, order: DateOrder = 'DMY'): string | null {
  const m = findDates(text)[0];
  return m ? resolveDate(m, order) : null;
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
