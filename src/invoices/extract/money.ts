/**
 * The total: a labelled grand total (Total, Amount due, Brutto, Total TTC, Rounded total, …) that agrees with
 * the document's own arithmetic where it shows any — net + tax (+ rounding) = gross, the sum of the lines,
 * due = total − paid, tendered − change = total. Registration, phone, tax-id, IBAN, postcode and order numbers
 * are never amounts. Confidence says which of these held.
 */
import { currencyFromCountries, currencyIn, dominantCurrency, ISO_CODES } from './currency.ts';
import { findDates } from './dates.ts';
import { type Ctx, hitsOf, type Pick, slots } from './fields.ts';
import type { LabelHit, LabelKind } from './labels.ts';
import type { Row } from './layout.ts';
import { findAmounts, isIdentifier, round2 } from './numbers.ts';
import { fold } from './text.ts';

interface AmountCand {
  value: number;
  w: number;
  dist: number;
  row: Row;
  kind: LabelKind;
  /** Text from the label to the value, for currency detection. */
  span: string;
  /** Not the amount printed by its label but the one the arithmetic says OCR misread (a person should check it). */
  misread?: boolean;
}

export interface Money {
  total: Pick<number> | null;
  subtotal: number | null;
  tax: number | null;
  amountDue: number | null;
  currency: Pick<string> | null;
  /** Net + tax (+ rounding) = the chosen total. */
  netTaxChecked: boolean;
}

const near = (a: number, b: number) => Math.abs(a - b) < 0.015;

function maskDates(text: string): string {
  let out = text;
  for (const d of findDates(text)) out = out.slice(0, d.start) + ' '.repeat(d.end - d.start) + out.slice(d.end);
  return out;
}

/** A currency sign or ISO code (or "RM") right by an amount. */
function moneyMark(around: string): boolean {
  if (/[€$£₹¥]|Rs|RM/.test(around)) return true;
  return [...around.matchAll(/\b[A-Z]{3}\b/g)].some((m) => ISO_CODES.has(m[0]));
}

/** The amounts of a text, identifiers (registration, phone, postcode, …) and dates left out. */
export function amountsIn(text: string, ctx: Ctx): { value: number; cents: boolean; money: boolean; base: boolean }[] {
  const t = maskDates(text);
  return findAmounts(t, ctx.mark)
    .filter((a) => !isIdentifier(t, a.start, a.end))
    .map((a) => ({
      value: a.value,
      cents: a.cents,
      money: moneyMark(t.slice(Math.max(0, a.start - 4), a.end + 4)),
      base: BASE_BEFORE.test(fold(t.slice(Math.max(0, a.start - 12), a.start))),
    }));
}

/** Words that introduce the amount a tax is computed from. */
const BASE_BEFORE = /\b(?:on|of|auf|sur|von|from|base|basis)\s*(?:[€$£]|[a-z]{3})?\s*$/;

/** A label cell right of the total that qualifies it ("Total | Incl. | GST@6% | RM 2.70") rather than starting another field. */
const QUALIFIES = /\b(?:incl\w*|inkl\w*|inclusive|including|with|ttc|mit)\b/;

/**
 * The amounts a label may stand for: the one on its own line; else the two nearest off its line (a skewed photo
 * can put the value a little above or below), for the document's arithmetic to choose between.
 */
function amountsAfter(ctx: Ctx, hit: LabelHit, pick: 'max' | 'last'): { value: number; dist: number; row: Row; span: string }[] {
  const gather = (parts: { text: string }[]) => {
    // "Tax 15% on $ 112.90": the amount after "on" is the base the tax is computed from, not the tax.
    const all = parts.flatMap((p) => amountsIn(p.text, ctx).filter((a) => hit.kind !== 'tax' || !a.base));
    if (!all.length) return null;
    const strong = all.filter((a) => a.cents || a.money);
    const pool = strong.length ? strong : all;
    const chosen = pick === 'max' ? pool.reduce((m, a) => (Math.abs(a.value) > Math.abs(m.value) ? a : m)) : pool[pool.length - 1];
    return { value: chosen.value, span: parts.map((p) => ` ${p.text}`).join('') };
  };
  const { row } = hit;
  const cell = row.cells[hit.cell];
  // Same row: the rest of the label's cell, then cells to the right until another label.
  const same: { text: string }[] = [{ text: cell.text.slice(hit.end) }];
  let phrase = cell.text;
  for (let k = hit.cell + 1; k < row.cells.length; k++) {
    phrase += ` ${row.cells[k].text}`;
    if (
      ctx.labelCells.has(`${row.idx}:${k}`) &&
      !(hit.kind === 'total' && QUALIFIES.test(fold(phrase)) && !amountsIn(same.map((p) => p.text).join(' '), ctx).length)
    )
      break;
    same.push({ text: row.cells[k].text });
  }
  const onRow = gather(same);
  if (onRow) return [{ value: onRow.value, dist: 0, row, span: cell.text + onRow.span }];
  const out: { value: number; dist: number; row: Row; span: string }[] = [];
  for (const s of slots(ctx, hit)) {
    if (s.row === row) continue;
    if (ctx.labelCells.has(`${s.row.idx}:${s.cell}`)) continue;
    const g = gather([s]);
    if (g && !out.some((o) => o.row === s.row)) out.push({ value: g.value, dist: s.dist, row: s.row, span: cell.text + g.span });
    if (out.length === 2) break;
  }
  return out;
}

function candidates(ctx: Ctx, kind: LabelKind, pick: 'max' | 'last'): AmountCand[] {
  const out: AmountCand[] = [];
  for (const hit of hitsOf(ctx, kind)) {
    for (const a of amountsAfter(ctx, hit, pick)) out.push({ ...a, w: hit.w, kind, row: a.row });
  }
  return out;
}

/** Rows of a tax summary/analysis table: their "Total" is a column sum, not the grand total. */
function summaryRows(ctx: Ctx): Set<number> {
  const out = new Set<number>();
  const rows = ctx.layout.rows;
  for (const r of rows) {
    if (!/\b(?:summary|analysis|zusammenfassung|ubersicht|aufstellung|recapitulatif|ventilation|riepilogo|resumen)\b/.test(fold(r.text))) continue;
    for (let i = r.idx + 1; i < rows.length && i <= r.idx + 6 && rows[i].page === r.page; i++) out.add(i);
  }
  return out;
}

interface Checks {
  subs: AmountCand[];
  taxes: AmountCand[];
  roundings: AmountCand[];
  paid: AmountCand[];
  dues: AmountCand[];
  tenders: AmountCand[];
  changes: AmountCand[];
  /** Tax amounts printed with their rate. */
  rated: { rate: number; value: number }[];
  linesSum: number | null;
}

/** Which of the document's sums a total candidate satisfies; the net and tax that make it up. */
function arithmetic(v: number, k: Checks): { agrees: number; sub: number | null; tax: number | null } {
  let agrees = 0;
  let sub: number | null = null;
  let tax: number | null = null;
  const rounds = [0, ...k.roundings.map((r) => r.value)];
  outer: for (const s of k.subs) {
    for (const t of k.taxes) {
      if (Math.abs(t.value) >= Math.abs(v) || near(t.value, s.value)) continue;
      if (rounds.some((r) => near(round2(s.value + t.value + r), v))) {
        sub = s.value;
        tax = t.value;
        agrees += 1;
        break outer;
      }
    }
  }
  // Tax-inclusive prices: net + rounding = total, or sum of the lines.
  if (sub === null && k.subs.some((s) => rounds.some((r) => r !== 0 && near(round2(s.value + r), v)))) agrees += 1;
  if (k.linesSum !== null && v !== 0 && (near(k.linesSum, v) || (tax !== null && near(round2(k.linesSum + tax), v)))) agrees += 1;
  if (k.paid.some((p) => p.value !== 0 && k.dues.some((d) => near(round2(v - Math.abs(p.value)), d.value)))) agrees += 1;
  if (k.tenders.some((t) => k.changes.some((c) => Math.abs(t.value) >= v - 0.005 && near(round2(Math.abs(t.value) - c.value), v)))) agrees += 1;
  if (k.rated.some((t) => t.value < v && Math.abs(round2((v * t.rate) / (100 + t.rate)) - t.value) <= 0.011)) agrees += 1;
  return { agrees, sub, tax };
}

/** Amounts on tax lines that print their rate ("GST 6% included in total RM 3.01"): that rate's share of the gross. */
function ratedTaxes(ctx: Ctx): { rate: number; value: number }[] {
  const out: { rate: number; value: number }[] = [];
  for (const row of ctx.layout.rows) {
    const m = /(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s*%/.exec(row.text);
    const rate = m ? Number(m[1].replace(',', '.')) : 0;
    if (!rate || !/\b(?:tax|vat|gst|hst|mwst|ust|tva|btw|iva)\b/.test(fold(row.text))) continue;
    for (const a of amountsIn(row.text, ctx)) if (a.value > 0) out.push({ rate, value: a.value });
  }
  return out;
}

/** Two amounts whose printed forms differ in one digit (OCR's misread of one of them). */
function oneDigitApart(a: number, b: number): boolean {
  const [x, y] = [a.toFixed(2), b.toFixed(2)];
  return x.length === y.length && [...x].filter((ch, i) => ch !== y[i]).length === 1;
}

/**
 * Tendered − change one digit away from a labelled total: the total may be misread. It is offered as a weaker
 * candidate, so that it wins only when the document's other arithmetic (tax at its rate, net + tax, lines) agrees.
 */
function tenderReadings(pool: AmountCand[], k: Checks): AmountCand[] {
  const out: AmountCand[] = [];
  for (const t of k.tenders) {
    for (const c of k.changes) {
      const v = round2(Math.abs(t.value) - c.value);
      if (v <= 0 || c.value < 0) continue;
      const misread = pool.find((p) => p.kind === 'total' && oneDigitApart(p.value, v));
      if (misread && !pool.some((p) => near(p.value, v))) out.push({ ...misread, value: v, w: misread.w - 0.35, misread: true });
    }
  }
  return out;
}

export function pickMoney(ctx: Ctx, linesSum: number | null = null): Money {
  const totals = candidates(ctx, 'total', 'max');
  const dues = candidates(ctx, 'amountDue', 'max');
  const checks: Checks = {
    subs: candidates(ctx, 'subtotal', 'last'),
    taxes: candidates(ctx, 'tax', 'last'),
    roundings: candidates(ctx, 'rounding', 'last'),
    paid: candidates(ctx, 'paid', 'last'),
    dues,
    tenders: candidates(ctx, 'tender', 'last'),
    changes: candidates(ctx, 'change', 'last'),
    rated: ratedTaxes(ctx),
    linesSum,
  };
  const summary = summaryRows(ctx);
  const pool = [...totals, ...dues.map((d) => ({ ...d, w: d.w * 0.75 }))];
  // "Rounding  RM 52.10" right by a total of 52.08: the line is the rounded total (its amount is no adjustment).
  for (const r of checks.roundings) {
    if (Math.abs(r.value) >= 1 && pool.some((c) => Math.abs(c.value - r.value) <= 0.1 && !near(c.value, r.value)))
      pool.push({ ...r, kind: 'total', w: 0.85 });
  }
  pool.push(...tenderReadings(pool, checks));
  // No total label at all: the subtotal is the total (a receipt without tax lines), checked like any other.
  if (!pool.length) pool.push(...checks.subs.map((c) => ({ ...c, kind: 'total' as const, w: 0.6 })));
  let best: { c: AmountCand; score: number; sub: number | null; tax: number | null; agrees: number } | null = null;
  const scored: { c: AmountCand; score: number }[] = [];
  for (const c of pool) {
    let score = c.w - 0.1 * c.dist;
    const a = arithmetic(c.value, checks);
    score += Math.min(0.45, 0.3 * a.agrees);
    if (a.sub === null && checks.subs.some((s) => near(s.value, c.value)) && !checks.taxes.some((t) => Math.abs(t.value) > 0.005)) score += 0.1;
    const agree = pool.filter((o) => o !== c && near(o.value, c.value)).length;
    score += Math.min(0.15, 0.05 * agree);
    if (summary.has(c.row.idx) && c.w <= 0.8) score -= 0.25;
    if (c.value === 0) score -= 0.3;
    scored.push({ c, score });
    if (!best || score > best.score + 1e-9 || (Math.abs(score - best.score) < 1e-9 && c.row.idx > best.c.row.idx))
      best = { c, score, sub: a.sub, tax: a.tax, agrees: a.agrees };
  }
  const money: Money = {
    total: null,
    subtotal: null,
    tax: null,
    amountDue: null,
    currency: null,
    netTaxChecked: false,
  };
  if (best) {
    const b = best;
    // Confidence: labelled (stronger for a specific label), more when the arithmetic agrees, less with a close rival.
    const rival = scored.some((o) => !near(o.c.value, b.c.value) && o.score > b.score - 0.1);
    const conf = 0.45 + 0.3 * b.c.w - 0.1 * b.c.dist + (b.agrees ? 0.25 : 0) - (rival ? 0.25 : 0);
    money.total = { value: b.c.value, conf: Math.max(0.1, Math.min(b.c.misread ? 0.5 : 1, conf)), row: b.c.row };
    money.subtotal = b.sub;
    money.tax = b.tax;
    money.netTaxChecked = b.sub !== null && b.tax !== null;
    const cur = currencyIn(b.c.span) ?? currencyIn(b.c.row.text);
    if (cur) money.currency = { value: cur, conf: 0.95 };
  } else {
    money.total = paidByTender(checks) ?? unlabelledTotal(ctx);
  }
  fillNetAndTax(money, checks);
  if (!money.currency) {
    const dom = dominantCurrency(ctx.layout.text);
    if (dom) money.currency = { value: dom, conf: 0.8 };
    else {
      const byCountry = currencyFromCountries(ctx.layout.text);
      if (byCountry) money.currency = { value: byCountry, conf: 0.4 };
    }
  }
  if (dues.length) money.amountDue = dues.reduce((b, d) => (d.w - 0.1 * d.dist > b.w - 0.1 * b.dist ? d : b)).value;
  return money;
}

/** No total label: what was tendered less the change given ("CASH 10.00 / CHANGE 6.30" → 3.70). */
function paidByTender(k: Checks): Pick<number> | null {
  for (const t of k.tenders) {
    for (const c of k.changes) {
      const v = round2(Math.abs(t.value) - c.value);
      if (c.value >= 0 && v > 0) return { value: v, conf: 0.45, row: t.row };
    }
  }
  return null;
}

/** No total label: the largest amount printed with a currency sign, outside payment (cash/change) lines. */
function unlabelledTotal(ctx: Ctx): Pick<number> | null {
  const tenderRows = new Set(ctx.hits.filter((h) => h.kind === 'tender' || h.kind === 'change').map((h) => h.row.idx));
  let max: number | null = null;
  for (const r of ctx.layout.rows) {
    if (tenderRows.has(r.idx)) continue;
    for (const a of amountsIn(r.text, ctx)) if (a.money && (max === null || a.value > max)) max = a.value;
  }
  return max === null ? null : { value: max, conf: 0.3 };
}

function fillNetAndTax(money: Money, k: Checks): void {
  const total = money.total;
  if (money.subtotal === null && k.subs.length) money.subtotal = k.subs[k.subs.length - 1].value;
  if (money.tax === null && k.taxes.length && total && money.subtotal !== null) {
    const t = k.taxes.find((x) => near(round2((money.subtotal as number) + x.value), total.value));
    if (t) money.tax = t.value;
  }
  if (money.tax === null && k.taxes.length && total) {
    // One tax amount, smaller than the total: take it even if other charges sit between.
    const vals = [...new Set(k.taxes.map((t) => t.value))].filter((v) => Math.abs(v) < Math.abs(total.value));
    if (vals.length === 1) money.tax = vals[0];
  }
}
