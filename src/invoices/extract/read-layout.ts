/**
 * The field rules applied to a rebuilt layout (rows and cells, from a text layer or from OCR words):
 * vendor, number, dates, amounts, currency, document type and line items.
 */
import { type DateOrder, detectDateOrder } from './dates.ts';
import { currencyFromCountries, dominantCurrency } from './currency.ts';
import { makeCtx, pickDueDate, pickInvoiceDate, pickInvoiceNumber, pickMoney } from './fields.ts';
import type { Extraction } from './index.ts';
import type { Layout } from './layout.ts';
import { extractLines } from './lines.ts';
import { detectDecimalMark } from './numbers.ts';
import type { Field } from './types.ts';
import { fold } from './text.ts';
import { pickVendor } from './vendor.ts';

const CREDIT_TITLE =
  /\b(?:credit\s*(?:note|memo)|gutschrift|rechnungskorrektur|stornorechnung|avoir|facture\s*d.avoir|creditnota|creditfactuur|nota\s*de\s*credito|factura\s*rectificativa|nota\s*di\s*credito)\b/;

/** Field extraction from an already rebuilt layout (exported for tests). */
export function extractFromLayout(layout: Layout, _opts: { ownCompanyNames?: string[] } = {}): Omit<Extraction, 'pages'> {
  const mark = detectDecimalMark(layout.text);
  const cur = dominantCurrency(layout.text) ?? currencyFromCountries(layout.text);
  const hint: DateOrder = cur === 'USD' || (cur === null && /\b(?:invoice|bill to|due date)\b/i.test(layout.text)) ? 'MDY' : 'DMY';
  const order = detectDateOrder(layout.text, hint);
  const ctx = makeCtx(layout, mark, order);
  const num = pickInvoiceNumber(ctx);
  const date = pickInvoiceDate(ctx, num?.hit.row);
  const due = pickDueDate(ctx, date?.value ?? null);
  const money = pickMoney(ctx);
  const vendor = pickVendor(layout);
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
  confidence.subtotal = money.subtotal === null ? 0 : 0.7;
  confidence.tax = money.tax === null ? 0 : 0.7;
  // The document's title (top of page 1) says whether it is a credit note.
  const title = layout.rows.filter((r) => r.page === 1 && r.y < r.pageHeight * 0.4).map((r) => fold(r.text)).join('\n');
  const documentType = CREDIT_TITLE.test(title) || (money.total?.value ?? 0) < 0 ? 'credit_note' : 'invoice';
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
    lines: extractLines(
      layout,
      mark,
      new Set(ctx.hits.filter((h) => h.kind === 'total' || h.kind === 'subtotal' || h.kind === 'tax' || h.kind === 'amountDue').map((h) => h.row.idx)),
    ),
    confidence,
    source: 'text',
  };
}

