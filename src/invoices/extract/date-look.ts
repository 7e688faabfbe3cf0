/**
 * A second look at an OCR'd issue date when the first reading is doubtful, as a careful bookkeeper squints at a
 * smudged date: the words of the date were read with low confidence, or OCR broke the date into pieces. The date's
 * line is cut out of the page and read again alone, twice (at the page's reading scale and at the scan's own), and the
 * date is changed only when both looks agree on another plausible date — a single re-reading is no more right than
 * the first. A date changed so is marked for a person to check.
 */
import { type DateOrder, detectDateOrder, findDates, plausibleIssueDate, resolveDate } from './dates.ts';
import { cropPage, type PreparedPage, preparePage } from './image.ts';
import { buildLayout, type Layout, type Row } from './layout.ts';
import { OCR_LANGS, recognize } from './ocr.ts';
import type { PageText, TextItem } from './pdf.ts';
import type { ScanPage, ScanResult } from './scan.ts';
import type { Field } from './types.ts';

/** A date word OCR is less sure of than this (0..100) is worth a second look. */
export const DOUBTFUL_WORD = 90;
/** Confidence of a date the second look changed: a person should check it (below CHECK_BELOW). */
export const CHANGED_CONF = 0.5;

export interface DateSpot {
  page: number;
  /** The date's line in page units (after the page was turned and its tilt undone): the row it is printed on. */
  box: { x0: number; y0: number; x1: number; y1: number };
  /** The OCR words that make up the date. */
  words: TextItem[];
}

/** The document's day/month order, as the field rules decide it (US dollars read month first). */
export function documentOrder(layout: Layout, currency: string | null): DateOrder {
  return detectDateOrder(layout.text, currency === 'USD' ? 'MDY' : 'DMY');
}

/** Words of a row of the layout: those on its baseline (within half its height) between its first and last cell. */
function wordsOf(page: PageText, row: Row, x0: number, x1: number): TextItem[] {
  return page.items.filter((it) => Math.abs(it.y - row.y) <= row.h * 0.6 && it.x + it.w > x0 - 0.5 && it.x < x1 + 0.5);
}

/** Where the document prints `date` (the first row, first cell that reads as it), with the words that make it. */
export function findDateSpot(layout: Layout, pages: PageText[], date: string, order: DateOrder, today?: string): DateSpot | null {
  for (const row of layout.rows) {
    for (const cell of row.cells) {
      const m = findDates(cell.text).find((d) => resolveDate(d, order, today) === date);
      if (!m) continue;
      const page = pages.find((p) => p.num === row.page);
      if (!page) return null;
      // The cell's share of its width the date takes (cells of OCR'd text are runs of words).
      const span = Math.max(1, cell.text.length);
      const x0 = cell.x + ((cell.x2 - cell.x) * m.start) / span;
      const x1 = cell.x + ((cell.x2 - cell.x) * m.end) / span;
      const words = wordsOf(page, row, x0, x1).filter((w) => /\d/.test(w.str));
      if (!words.length) return null;
      const h = Math.max(...words.map((w) => w.h));
      const box = {
        x0: Math.min(row.cells[0].x, ...words.map((w) => w.x)),
        x1: Math.max(row.cells[row.cells.length - 1].x2, ...words.map((w) => w.x + w.w)),
        // Words' boxes from their baseline and line height, as the layout takes them (scan.ts).
        y0: Math.min(...words.map((w) => w.y)) - 0.85 * h,
        y1: Math.max(...words.map((w) => w.y)) + 0.25 * h,
      };
      return { page: row.page, box, words };
    }
  }
  return null;
}

/** A date reading worth a second look: a word of it read with low confidence, or the date broken into pieces. */
export function doubtful(spot: DateSpot): boolean {
  return spot.words.length > 1 || spot.words.some((w) => (w.conf ?? 100) < DOUBTFUL_WORD);
}

/**
 * The box of the date's line in the prepared page's pixels: page units back to pixels (`unit` page units a pixel),
 * the tilt the reading undid put back, with a margin of white around it.
 */
export function pixelBox(spot: DateSpot, page: { width: number; height: number }, unit: number, tilt: number) {
  const [cos, sin] = [Math.cos(tilt), Math.sin(tilt)];
  const h = (spot.box.y1 - spot.box.y0) / 1.1;
  const corners = [
    [spot.box.x0 - h, spot.box.y0 - 0.2 * h],
    [spot.box.x1 + h, spot.box.y0 - 0.2 * h],
    [spot.box.x0 - h, spot.box.y1 + 0.1 * h],
    [spot.box.x1 + h, spot.box.y1 + 0.1 * h],
  ].map(([x, y]) => [(x * cos - y * sin) / unit, (x * sin + y * cos) / unit]);
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  const left = Math.max(0, Math.min(...xs));
  const top = Math.max(0, Math.min(...ys));
  return { left, top, width: Math.min(page.width, Math.max(...xs)) - left, height: Math.min(page.height, Math.max(...ys)) - top };
}

/** The one date a re-read line holds, a plausible one first (null when it holds none, or several that differ). */
export function dateOfLine(text: string, order: DateOrder, today?: string): string | null {
  const found = [...new Set(findDates(text).map((d) => resolveDate(d, order, today)))];
  const plausible = found.filter((d) => plausibleIssueDate(d, today));
  const pick = plausible.length ? plausible : found;
  return pick.length === 1 ? pick[0] : null;
}

/**
 * The second look's verdict, look after look: a look that reads the first date again confirms it (kept); two looks
 * that agree on another date, before any reads the first one, overrule it (changed) — unless it is implausible and the
 * first one is not. `open` while neither has happened.
 */
export function verdict(first: string, looks: (string | null)[], today?: string): { v: 'changed' | 'kept' | 'open'; date?: string } {
  const seen = new Set<string>();
  for (const d of looks) {
    if (d === first) return { v: 'kept' };
    if (!d) continue;
    if (seen.has(d)) return plausibleIssueDate(first, today) && !plausibleIssueDate(d, today) ? { v: 'kept' } : { v: 'changed', date: d };
    seen.add(d);
  }
  return { v: 'open' };
}

/** Re-readings of a doubtful date at most. */
const LOOKS = 3;

export interface SecondLook {
  /** The page, prepared as the first reading saw it. */
  prepared: PreparedPage;
  /** The same page prepared at the scan's own size (null when that is the reading size); made when first needed. */
  native: () => Promise<PreparedPage | null>;
  /** Page units per prepared pixel, and the tilt the first reading undid (radians). */
  unit: number;
  tilt: number;
  /** Reads one cut-out line. */
  readLine: (img: PreparedPage) => Promise<string>;
}

type Box = ReturnType<typeof pixelBox>;

/**
 * The re-readings of the date's line: at the reading scale, then from the scan's own pixels (not resampled), as is
 * and enlarged; a page drawn at the reading scale is read at 1.5× and 0.75× instead. Stops once `settled` (most
 * doubtful dates are confirmed by the first look, and the scan's own pixels are never prepared).
 */
export async function lookAgain(spot: DateSpot, s: SecondLook, settled: (texts: string[]) => boolean): Promise<string[]> {
  const box = pixelBox(spot, s.prepared, s.unit, s.tilt);
  const out: string[] = [];
  const look = async (page: PreparedPage, b: Box, scale: number) => {
    out.push(await s.readLine(await cropPage(page, b, scale)));
    return settled(out) || out.length >= LOOKS;
  };
  if (await look(s.prepared, box, 1)) return out;
  const native = await s.native();
  if (!native) {
    if (!(await look(s.prepared, box, 1.5))) await look(s.prepared, box, 0.75);
    return out;
  }
  const k = native.width / s.prepared.width;
  const nativeBox = { left: box.left * k, top: box.top * k, width: box.width * k, height: box.height * k };
  if (!(await look(native, nativeBox, 1))) await look(native, nativeBox, 2);
  return out;
}

interface DateFields {
  invoiceDate: string | null;
  dueDate: string | null;
  currency: string | null;
  confidence: Partial<Record<Field, number>>;
}

/**
 * A date the first pass lost and the sparse pass read (a pen mark across the date, read as a word, keeps the sparse
 * pass's reading out of the merge): the sparse reading's date, for a person to check.
 */
export function lostDate<F extends DateFields>(best: F, sparse: DateFields): F {
  if (best.invoiceDate || !sparse.invoiceDate) return best;
  const conf = Math.min(sparse.confidence.invoiceDate ?? 0, CHANGED_CONF);
  return { ...best, invoiceDate: sparse.invoiceDate, confidence: { ...best.confidence, invoiceDate: conf } };
}

/** The first reading's fields with the issue date a second look changed (or as they were). */
export async function secondLookAtDate<F extends DateFields>(
  pages: ScanPage[],
  scan: ScanResult,
  fields: F,
  o: { deadline: number; today?: string },
): Promise<F> {
  const first = fields.invoiceDate;
  if (!first || Date.now() > o.deadline) return fields;
  const layout = buildLayout(scan.pages);
  const order = documentOrder(layout, fields.currency);
  const today = o.today ?? new Date().toISOString().slice(0, 10);
  const spot = findDateSpot(layout, scan.pages, first, order, today);
  if (!spot || !doubtful(spot)) return fields;
  const page = pages.find((p) => p.num === spot.page);
  const read = scan.reads.find((r) => r.num === spot.page);
  const text = scan.pages.find((p) => p.num === spot.page);
  const loaded = page && read && text ? await page.load().catch(() => null) : null;
  if (!loaded || !read || !text) return fields;
  const prepared = await preparePage(loaded.image, { turn: read.turn, straighten: read.straight });
  const meta = await loaded.image.metadata();
  // The scan's own size: a page enlarged (or reduced) by more than a sixth for reading is also read as scanned.
  const long = Math.max(meta.width ?? 0, meta.height ?? 0);
  const enlarged = Math.abs(long / Math.max(prepared.width, prepared.height) - 1) > 0.15;
  const native = async () => (enlarged ? preparePage(loaded.image, { turn: read.turn, straighten: read.straight, longSide: long }) : null);
  const dateOf = (t: string) => dateOfLine(t, order, today);
  const looks = await lookAgain(
    spot,
    {
      prepared,
      unit: text.width / prepared.width,
      tilt: read.tilt,
      native,
      readLine: async (img) => (await recognize(img.png, OCR_LANGS, 'line')).text,
    },
    (texts) => verdict(first, texts.map(dateOf), today).v !== 'open',
  );
  const agreed = verdict(first, looks.map(dateOf), today).date;
  if (!agreed) return fields;
  return {
    ...fields,
    invoiceDate: agreed,
    dueDate: fields.dueDate === first ? agreed : fields.dueDate,
    confidence: { ...fields.confidence, invoiceDate: Math.min(fields.confidence.invoiceDate ?? 0, CHANGED_CONF) },
  };
}
