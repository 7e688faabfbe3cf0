/**
 * The field rules applied to a rebuilt layout (rows and cells, from a text layer or from OCR words):
 * vendor, number, dates, amounts, currency, document type and line items.
 */
import { type DateOrder, detectDateOrder } from './dates.ts';
import { currencyFromCountries, dominantCurrency } from './currency.ts';
import { type Ctx, makeCtx, pickDueDate, pickInvoiceDate, pickInvoiceNumber } from './fields.ts';
import { type Money, pickMoney } from './money.ts';
import type { Extraction } from './index.ts';
import type { Layout } from './layout.ts';
import { extractLines, extractLooseLines } from './lines.ts';
import { detectDecimalMark, round2 } from './numbers.ts';
import type { ExtractedLine, Field } from './types.ts';
import { fold } from './text.ts';
import { pickVendor } from './vendor.ts';

// Anchored at the start of a cell: a title ("Credit Memo No: CM-2231"), not a line that mentions a credit note.
const CREDIT_TITLE =
  /^[\W\d]*(?:tax\s+|commercial\s+)?(?:credit\s*(?:note|memo)|gutschrift|rechnungskorrektur|stornorechnung|avoir|facture\s*d.avoir|note\s*de\s*credit|creditnota|creditfactuur|nota\s*de\s*credito|factura\s*rectificativa|nota\s*di\s*credito)\b/;

const STOP_KINDS = new Set(['total', 'subtotal', 'tax', 'amountDue', 'rounding', 'paid', 'tender', 'change']);

/**
 * Items of a document without a table header, between its header (number/date rows) and its first totals row,
 * kept only when they add up to the total or the net amount (so stray numbers are not offered as lines).
 */
function looseLines(ctx: Ctx, stopRows: number[], headerRows: (number | undefined)[], money: Money): ExtractedLine[] {
  const to = Math.min(...stopRows);
  if (!Number.isFinite(to)) return [];
  const from = Math.max(-1, ...headerRows.filter((i): i is number => i !== undefined && i < to));
  const lines = extractLooseLines(ctx.layout, ctx.mark, from, to);
  if (!lines.length) return [];
  const sum = round2(lines.reduce((s, l) => s + l.amount, 0));
  const total = money.total?.value;
  const targets = [total, money.subtotal, total !== undefined && money.tax !== null ? round2(total - money.tax) : null];
  return targets.some((t) => t !== null && t !== undefined && Math.abs(t - sum) < 0.015) ? lines : [];
}

/** Fields whose confidence is below this are marked for a person to check (thread card, review modal). */
export const CHECK_BELOW = 0.6;

export interface ReadOptions {
  /** The workspace's own company names (QBO CompanyName/LegalName, Slack team name): never the vendor. */
  ownCompanyNames?: string[];
  /** Today's date (YYYY-MM-DD), for judging whether a date is plausible; defaults to the clock. */
  today?: string;
}

/** Field extraction from an already rebuilt layout (exported for tests). */
export function extractFromLayout(layout: Layout, opts: ReadOptions = {}): Omit<Extraction, 'pages'> {
  const own = (opts.ownCompanyNames ?? []).filter((n) => n && n.trim().length >= 2);
  const mark = detectDecimalMark(layout.text);
  const cur = dominantCurrency(layout.text) ?? currencyFromCountries(layout.text);
  // Month first is the United States' order; the rest of the world writes the day first.
  const hint: DateOrder = cur === 'USD' ? 'MDY' : 'DMY';
  const order = detectDateOrder(layout.text, hint);
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const ctx = makeCtx(layout, mark, order, today);
  const num = pickInvoiceNumber(ctx);
  const date = pickInvoiceDate(ctx, num?.hit.row);
  const due = pickDueDate(ctx, date?.value ?? null);
  const stopRows = ctx.hits.filter((h) => STOP_KINDS.has(h.kind)).map((h) => h.row.idx);
  let lines = extractLines(layout, mark, new Set(stopRows));
  const money = pickMoney(ctx, lines.length ? round2(lines.reduce((s, l) => s + l.amount, 0)) : null);
  if (!lines.length) lines = looseLines(ctx, stopRows, [num?.row?.idx, date?.row?.idx], money);
  const vendor = pickVendor(layout, own);
  const confidence: Partial<Record<Field, number>> = {};
  const set = (f: Field, v: { conf: number } | null) => {
    confidence[f] = v ? Math.round(v.conf * 100) / 100 : 0;
  };
  set('vendor', vendor);
  set('invoiceNumber', num);
  set('invoiceDate', date);
  set('dueDate', due);
  set('total', money.total);
  set('currency', money.currency);
  // Net and tax: sure when they add up to the total, a guess otherwise.
  confidence.subtotal = money.subtotal === null ? 0 : money.netTaxChecked ? 0.95 : 0.5;
  confidence.tax = money.tax === null ? 0 : money.netTaxChecked ? 0.95 : 0.5;
  // The document's title (top of page 1) says whether it is a credit note.
  const top = layout.rows.filter((r) => r.page === 1 && r.y < r.pageHeight * 0.4);
  const titled = top.some((r) => r.cells.some((c) => CREDIT_TITLE.test(fold(c.text))));
  const documentType = titled || (money.total?.value ?? 0) < 0 ? 'credit_note' : 'invoice';
  return {
    ok: true,
    documentType,
    vendor: vendor?.value ?? null,
    vendorAlternatives: vendor?.alternatives ?? [],
    invoiceNumber: num?.value ?? null,
    invoiceDate: date?.value ?? null,
    dueDate: due?.value ?? null,
    total: money.total?.value ?? null,
    currency: money.currency?.value ?? null,
    subtotal: money.subtotal,
    tax: money.tax,
    amountDue: money.amountDue ?? money.total?.value ?? null,
    lines,
    confidence,
    source: 'text',
  };
}
