/**
 * Label/value pairing on the rebuilt layout: a label's value is the rest of its cell, a cell to its
 * right on the same row, or a cell below it in the same column. Candidates are scored by label
 * strength and distance, then checked against each other (subtotal + tax = total, due ≥ issue date).
 */
import { addDays, type DateOrder, findDates, plausibleIssueDate, resolveDate } from './dates.ts';
import { findLabels, type LabelHit, type LabelKind } from './labels.ts';
import type { Layout, Row } from './layout.ts';
import type { DecimalMark } from './numbers.ts';
import { fold } from './text.ts';

export interface Ctx {
  layout: Layout;
  hits: LabelHit[];
  mark: DecimalMark;
  order: DateOrder;
  /** "row:cell" keys of cells holding a label. */
  labelCells: Set<string>;
  /** Today (YYYY-MM-DD), for judging dates; undefined = every date plausible. */
  today?: string;
}

export interface Pick<T> {
  value: T;
  conf: number;
  row?: Row;
}

interface Slot {
  text: string;
  dist: number;
  row: Row;
  cell: number;
}

export function makeCtx(layout: Layout, mark: DecimalMark, order: DateOrder, today?: string): Ctx {
  const hits = findLabels(layout);
  return { layout, hits, mark, order, today, labelCells: new Set(hits.map((h) => `${h.row.idx}:${h.cell}`)) };
}

/**
 * Cells right of the label on a row just above or below it, less than a line apart: the label's own line when
 * the page is photographed a little askew or OCR's baselines wobble. A cell that has its own label before it
 * on that row belongs to that label.
 */
function skewedRight(ctx: Ctx, hit: LabelHit): Slot[] {
  const { row } = hit;
  const cell = row.cells[hit.cell];
  const out: Slot[] = [];
  for (let i = row.idx - 2; i <= row.idx + 2; i++) {
    const r = ctx.layout.rows[i];
    if (!r || r === row || r.page !== row.page || Math.abs(r.y - row.y) > 0.9 * Math.max(row.h, r.h)) continue;
    // A row with a figure right under the label is the next line (its value below), not this line askew.
    if (r.cells.some((c) => c.x < cell.x2 - 2 && c.x2 > cell.x && /\d/.test(c.text))) continue;
    let k = 0;
    for (let ci = 0; ci < r.cells.length; ci++) {
      if (ctx.labelCells.has(`${r.idx}:${ci}`)) break;
      if (r.cells[ci].x < cell.x2 - 2) continue;
      out.push({ text: r.cells[ci].text, dist: 0.45 + 0.05 * k++, row: r, cell: ci });
    }
  }
  return out.sort((a, b) => a.dist - b.dist);
}

/** Where a label's value may be, nearest first. */
export function slots(ctx: Ctx, hit: LabelHit): Slot[] {
  const { row } = hit;
  const cell = row.cells[hit.cell];
  const out: Slot[] = [{ text: cell.text.slice(hit.end), dist: 0, row, cell: hit.cell }];
  for (let k = hit.cell + 1; k < row.cells.length && k <= hit.cell + 4; k++) {
    out.push({ text: row.cells[k].text, dist: 0.3 + 0.1 * (k - hit.cell - 1), row, cell: k });
  }
  const rows = ctx.layout.rows;
  out.push(...skewedRight(ctx, hit));
  // The label's own extent inside its cell (cells can hold several column headers).
  const len = Math.max(1, cell.text.length);
  const x0 = cell.x + ((cell.x2 - cell.x) * hit.start) / len;
  const x1 = cell.x + ((cell.x2 - cell.x) * hit.end) / len;
  const lx = x0 - 6;
  const rx = Math.max(x1, x0 + 40) + 6;
  const mid = (x0 + x1) / 2;
  let n = 0;
  for (let i = row.idx + 1; i < rows.length && n < 3; i++) {
    const r = rows[i];
    if (r.page !== row.page || r.y - row.y > 4.5 * Math.max(row.h, r.h) * (n + 1)) break;
    n++;
    const below = r.cells
      .map((c, ci) => ({ c, ci }))
      .filter(({ c }) => c.x <= rx && c.x2 >= lx)
      .sort((a, b) => Math.abs((a.c.x + a.c.x2) / 2 - mid) - Math.abs((b.c.x + b.c.x2) / 2 - mid));
    below.forEach(({ c, ci }, k) => {
      out.push({ text: c.text, dist: 0.6 + 0.25 * (n - 1) + 0.05 * k, row: r, cell: ci });
    });
  }
  return out;
}

export function hitsOf(ctx: Ctx, kind: LabelKind): LabelHit[] {
  return ctx.hits.filter((h) => h.kind === kind);
}

// ---------- identifiers ----------

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9\-_/.]*[A-Za-z0-9]|^[0-9]/;

/** Hyphens of every kind (Stripe prints a non-breaking one, OCR an en dash) as '-'. */
const DASHES = /[\u2010-\u2015\u2212\ufe63\uff0d]/g;

/**
 * The whole identifier a label introduces: letters, digits and the - / . _ inside it ("1A2B3C4D-0007",
 * "INV/2024/001"), also when OCR or the text layer leaves a space on one side of a separator ("INV -2024-001").
 */
export function parseId(raw: string): string | null {
  const t = raw
    .replace(DASHES, '-')
    .replace(/([A-Za-z0-9])(?:\s([-/_])|([-/_])\s)(?=[A-Za-z]*\d)/g, '$1$2$3')
    .replace(/^[\s:.#\-–|°º]+/, '')
    .replace(/^\(\d{1,4}\)\s*/, '')
    .replace(/^(?:n[°º]|no\.|nr\.)\s*/i, '')
    .replace(/^[\s:#]+/, '');
  const m = ID_RE.exec(t);
  if (!m) return null;
  const tok = m[0];
  if (!/\d/.test(tok) || tok.length > 40) return null;
  const d = findDates(tok)[0];
  if (d && d.start === 0 && d.end >= tok.length - 1) return null;
  if (/^\d{1,3}(?:[.,]\d{3})*[.,]\d{2}$/.test(tok)) return null;
  if (/^\d{1,2}$/.test(tok) && !/^\s*[:#]/.test(raw)) return null;
  return tok;
}

/** A number split over two cells at a separator ("1A2B3C4D-" | "0007", "INV" | "-2024-001") read as one. */
function joinSplitId(row: Row, cell: number, text: string): string {
  const next = row.cells[cell + 1];
  if (!next) return text;
  const a = text.replace(DASHES, '-').trimEnd();
  const b = next.text.replace(DASHES, '-');
  if ((/[-/_.]$/.test(a) && /^[A-Za-z0-9]/.test(b)) || (/[A-Za-z0-9]$/.test(a) && /^[-/_][A-Za-z0-9]/.test(b))) {
    if (next.x - row.cells[cell].x2 < 3 * row.h) return a + b;
  }
  return text;
}

export function pickInvoiceNumber(ctx: Ctx): (Pick<string> & { hit: LabelHit }) | null {
  let best: (Pick<string> & { hit: LabelHit; score: number }) | null = null;
  for (const hit of hitsOf(ctx, 'invoiceNumber')) {
    for (const s of slots(ctx, hit)) {
      if (s.dist > 0 && ctx.labelCells.has(`${s.row.idx}:${s.cell}`) && s.row === hit.row) continue;
      const v = parseId(joinSplitId(s.row, s.cell, s.text));
      if (!v) continue;
      // The value must start the slot (allow separators), not sit inside prose.
      const score = hit.w - 0.1 * s.dist;
      if (!best || score > best.score + 1e-9) best = { value: v, conf: Math.min(1, score), row: s.row, hit, score };
      break;
    }
  }
  return best;
}

// ---------- dates ----------

const DATE_LEAD = /^[\s:.\-–|,]*(?:(?:le|am|on|du|vom|the|den|de|el|il|op|dated|from)\b[\s:.]*)*$/i;

function dateAtStart(text: string, order: DateOrder, today?: string): { value: string; lead: number } | null {
  const m = findDates(text)[0];
  if (!m) return null;
  const lead = text.slice(0, m.start);
  if (DATE_LEAD.test(lead)) return { value: resolveDate(m, order, today), lead: m.repaired ? 0.4 : 0 };
  // "Payment due 30 days from application date: 05/02/2025": a short qualifier ending in a colon.
  if (/^[^.;!?]{0,45}:\s*$/.test(lead)) return { value: resolveDate(m, order, today), lead: 0.15 };
  return null;
}

function pickDate(ctx: Ctx, kind: 'invoiceDate' | 'dueDate'): Pick<string> | null {
  let best: (Pick<string> & { score: number }) | null = null;
  for (const hit of hitsOf(ctx, kind)) {
    for (const s of slots(ctx, hit)) {
      const d = dateAtStart(s.text, ctx.order, ctx.today);
      if (!d) continue;
      // An issue date in the future or over ten years back loses to any plausible one.
      const implausible = kind === 'invoiceDate' && !plausibleIssueDate(d.value, ctx.today) ? 0.5 : 0;
      const score = hit.w - 0.1 * s.dist - d.lead - implausible;
      if (!best || score > best.score + 1e-9) best = { value: d.value, conf: Math.min(1, score), row: s.row, score };
      break;
    }
  }
  return best;
}

/** Words that make a date something other than the issue date. */
const OTHER_DATE =
  /\b(?:order|delivery|deliver|ship|due|period|service|liefer|leistung|bestell|auftrag|fallig|zahlbar|commande|livraison|echeance|periode|prestation|vervaldatum|levering|bestelling|valid|expir|bis|to|until)\w*[\s:.]*$/;

export function pickInvoiceDate(ctx: Ctx, numberRow: Row | undefined): Pick<string> | null {
  const picked = issueDate(ctx, numberRow);
  return picked && misreadYear(ctx, picked);
}

/**
 * An issue date whose year is years away from every other date on the document (rental out and return, due date,
 * order date — all within a year of each other) and one digit off the year they share: OCR's misread of that
 * year ("02/18/2023" among 02/03/2025, 02/17/2025 and 03/20/2025). The shared year is taken, as a guess to check.
 */
function misreadYear(ctx: Ctx, picked: Pick<string>): Pick<string> {
  const y = picked.value.slice(0, 4);
  const others = findDates(ctx.layout.text)
    .map((m) => resolveDate(m, ctx.order, ctx.today))
    .filter((v) => v !== picked.value);
  if (others.length < 2) return picked;
  const years = [...new Set(others.map((v) => v.slice(0, 4)))].sort();
  const first = Number(years[0]);
  const last = Number(years[years.length - 1]);
  if (last - first > 1 || others.some((v) => v.slice(0, 4) === y)) return picked;
  for (const shared of years) {
    const digits = [...shared].filter((ch, i) => ch !== y[i]).length;
    if (digits !== 1 || Math.abs(Number(shared) - Number(y)) < 2) continue;
    const value = `${shared}${picked.value.slice(4)}`;
    if (plausibleIssueDate(value, ctx.today)) return { ...picked, value, conf: Math.min(picked.conf, 0.4) };
  }
  return picked;
}

function issueDate(ctx: Ctx, numberRow: Row | undefined): Pick<string> | null {
  const labelled = pickDate(ctx, 'invoiceDate');
  if (labelled && labelled.conf >= 0.8) return labelled;
  const ok = (v: string) => plausibleIssueDate(v, ctx.today);
  // "Invoice 123 dated 05.03.2018", "Facture n°… du 02 Juillet 2015": a date on the number's row.
  if (numberRow) {
    const f = fold(numberRow.text);
    const m = findDates(numberRow.text).find((d) => !OTHER_DATE.test(f.slice(Math.max(0, d.start - 30), d.start)));
    const value = m ? resolveDate(m, ctx.order, ctx.today) : null;
    if (m && value && (ok(value) || !labelled)) return { value, conf: ok(value) ? 0.7 : 0.3, row: numberRow };
  }
  if (labelled && ok(labelled.value)) return labelled;
  const other = unlabelledDate(ctx);
  if (labelled && (!other || !ok(other.value))) return labelled;
  return other;
}

/** The first plausible date on the first page that no other label claims (else the first such date). */
function unlabelledDate(ctx: Ctx): Pick<string> | null {
  let fallback: Pick<string> | null = null;
  const claimed = new Set(ctx.hits.filter((h) => h.kind === 'dueDate').map((h) => h.row.idx));
  for (const r of ctx.layout.rows) {
    if (r.page !== 1 || claimed.has(r.idx)) continue;
    if (/(?:due|fallig|echeance|vervaldatum|delivery|liefer|order|bestell|commande|period|zeitraum|periode|from|to|bis)/.test(fold(r.text))) continue;
    for (const m of findDates(r.text)) {
      const value = resolveDate(m, ctx.order, ctx.today);
      // A date stamped with its time ("28-04-18 15:40") is when the sale happened.
      const stamped = /^[\s,]*\d{1,2}[:.]\d{2}(?!\d)/.test(r.text.slice(m.end));
      if (plausibleIssueDate(value, ctx.today)) return { value, conf: m.repaired ? 0.3 : stamped ? 0.65 : 0.45, row: r };
      fallback ??= { value, conf: 0.2, row: r };
    }
  }
  return fallback;
}

const TERMS_RE =
  /(?:\bnet\s*|\bnetto\s*|within\s*|innerhalb\s*(?:von\s*)?|innert\s*|binnen\s*|sous\s*|a\s*|dentro\s*de\s*|entro\s*)(\d{1,3})\s*(?:days?|tage?n?|jours?|dagen|dias|giorni)\b|\bnet\s*(\d{1,3})\b/;

const ON_RECEIPT =
  /\b(?:due\s*(?:up)?on\s*receipt|payable\s*(?:up)?on\s*receipt|upon\s*receipt|net\s*cash|sofort\s*(?:zahlbar|fallig|ohne\s*abzug)|zahlbar\s*sofort|a\s*reception|des\s*reception|bij\s*ontvangst|contado)\b/;

export function pickDueDate(ctx: Ctx, invoiceDate: string | null): Pick<string> | null {
  const labelled = pickDate(ctx, 'dueDate');
  if (labelled && (!invoiceDate || labelled.value >= invoiceDate)) return labelled;
  if (!invoiceDate) return null;
  for (const r of ctx.layout.rows) {
    if (ON_RECEIPT.test(fold(r.text))) return { value: invoiceDate, conf: 0.5, row: r };
    const m = TERMS_RE.exec(fold(r.text));
    if (!m) continue;
    const days = Number(m[1] ?? m[2]);
    if (days > 0 && days <= 180) return { value: addDays(invoiceDate, days), conf: 0.5, row: r };
  }
  return null;
}
