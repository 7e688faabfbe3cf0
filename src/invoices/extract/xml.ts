/**
 * Structured e-invoices embedded in PDFs: Factur-X / ZUGFeRD 2.x / XRechnung (UN/CEFACT CII),
 * ZUGFeRD 1.0 (CrossIndustryDocument) and UBL 2.1 Invoice / CreditNote. Values are taken as written.
 */
import { XMLParser } from 'fast-xml-parser';
import { findDates, resolveDate } from './dates.ts';
import { stripBinaryObjects } from './embedded.ts';
import { MAX_XML_BYTES } from './guard.ts';
import type { ExtractedLine } from './types.ts';

export interface XmlInvoice {
  vendor: string | null;
  invoiceNumber: string | null;
  invoiceDate: string | null;
  dueDate: string | null;
  total: number | null;
  currency: string | null;
  subtotal: number | null;
  tax: number | null;
  amountDue: number | null;
  lines: ExtractedLine[];
  documentType: 'invoice' | 'credit_note';
}

/** UNTDID 1001 codes for credit notes (381 credit note, 396 factored credit note, 261/262/296/308/532 related). */
const CREDIT_CODES = new Set(['81', '83', '261', '262', '296', '308', '381', '396', '420', '458', '532']);

type Node = unknown;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
});

/** Attachment names that carry the invoice itself (not, e.g., a time sheet attached as XML). */
export function isInvoiceXmlName(name: string): boolean {
  return /(factur-?x|zugferd|xrechnung|order-x|ubl|invoice|rechnung|facture|cii)[^/]*\.xml$/i.test(name) || /\.xml$/i.test(name);
}

function arr(n: Node): Node[] {
  if (n === undefined || n === null) return [];
  return Array.isArray(n) ? n : [n];
}

function child(n: Node, ...path: string[]): Node {
  let cur: Node = n;
  for (const p of path) {
    if (cur === undefined || cur === null) return undefined;
    if (Array.isArray(cur)) cur = cur[0];
    cur = (cur as Record<string, Node>)[p];
  }
  return cur;
}

function text(n: Node): string | null {
  if (n === undefined || n === null) return null;
  if (Array.isArray(n)) return text(n[0]);
  if (typeof n === 'string' || typeof n === 'number') return String(n).trim() || null;
  if (typeof n === 'object') return text((n as Record<string, Node>)['#text']);
  return null;
}

function attr(n: Node, name: string): string | null {
  if (n && typeof n === 'object' && !Array.isArray(n)) {
    const v = (n as Record<string, Node>)[`@_${name}`];
    return v === undefined ? null : String(v);
  }
  return null;
}

function num(n: Node): number | null {
  const t = text(n);
  if (t === null) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/** Amount in the invoice currency when the element repeats for a tax currency (BT-110/BT-111). */
function amountIn(n: Node, currency: string | null): number | null {
  const list = arr(n);
  if (!list.length) return null;
  const match = list.find((x) => currency && attr(x, 'currencyID') === currency) ?? list.find((x) => attr(x, 'currencyID') === null) ?? list[0];
  return num(match);
}

/** CII dates: format 102 (YYYYMMDD), sometimes ISO. */
function ciiDate(n: Node): string | null {
  const holder = child(n, 'DateTimeString') ?? n;
  const t = text(holder);
  if (!t) return null;
  const digits = t.replace(/\D/g, '');
  if (/^\d{8}$/.test(digits)) return `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
  return isoDate(t);
}

function isoDate(t: string | null): string | null {
  if (!t) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(t.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/** Due date stated in payment-terms prose: the net date, else the first "by/bis/avant le" date. */
export function dueFromTerms(terms: string | null): string | null {
  if (!terms) return null;
  const dates = findDates(terms);
  const lead = (d: { start: number }) => terms.slice(Math.max(0, d.start - 24), d.start).toLowerCase();
  const net = dates.find((d) =>
    /(?:netto|net|zahlbar|payable|due|fällig|faellig|échéance|echeance)\b[^,;]*?(?:bis|by|until|on|am|le|avant le|:)?\s*(?:zum\s*)?$/.test(lead(d)),
  );
  const any = net ?? dates.find((d) => /(?:bis|by|until|avant le|due)\s*(?:zum\s*)?$/.test(lead(d)));
  return any ? resolveDate(any, 'DMY') : null;
}

function parseCii(root: Node): XmlInvoice {
  // 2.x: ExchangedDocument / SupplyChainTradeTransaction; 1.0: HeaderExchangedDocument / SpecifiedSupplyChainTradeTransaction.
  const doc = child(root, 'ExchangedDocument') ?? child(root, 'HeaderExchangedDocument');
  const tx = child(root, 'SupplyChainTradeTransaction') ?? child(root, 'SpecifiedSupplyChainTradeTransaction');
  const agreement = child(tx, 'ApplicableHeaderTradeAgreement') ?? child(tx, 'ApplicableSupplyChainTradeAgreement');
  const settlement = child(tx, 'ApplicableHeaderTradeSettlement') ?? child(tx, 'ApplicableSupplyChainTradeSettlement');
  const currency = text(child(settlement, 'InvoiceCurrencyCode'));
  const sums = child(settlement, 'SpecifiedTradeSettlementHeaderMonetarySummation') ?? child(settlement, 'SpecifiedTradeSettlementMonetarySummation');
  let dueDate: string | null = null;
  for (const t of arr(child(settlement, 'SpecifiedTradePaymentTerms'))) {
    dueDate = ciiDate(child(t, 'DueDateDateTime'));
    if (dueDate) break;
  }
  if (!dueDate) {
    // Terms only in words: "Zahlbar innerhalb 30 Tagen netto bis 04.04.2018, 3% Skonto … bis 15.03.2018".
    for (const t of arr(child(settlement, 'SpecifiedTradePaymentTerms'))) {
      dueDate = dueFromTerms(text(child(t, 'Description')));
      if (dueDate) break;
    }
  }
  const lines: ExtractedLine[] = [];
  const items = arr(child(tx, 'IncludedSupplyChainTradeLineItem'));
  for (const it of items) {
    const product = child(it, 'SpecifiedTradeProduct');
    const delivery = child(it, 'SpecifiedLineTradeDelivery') ?? child(it, 'SpecifiedSupplyChainTradeDelivery');
    const lineAgreement = child(it, 'SpecifiedLineTradeAgreement') ?? child(it, 'SpecifiedSupplyChainTradeAgreement');
    const lineSettlement = child(it, 'SpecifiedLineTradeSettlement') ?? child(it, 'SpecifiedSupplyChainTradeSettlement');
    const amount = amountIn(
      child(lineSettlement, 'SpecifiedTradeSettlementLineMonetarySummation', 'LineTotalAmount') ??
        child(lineSettlement, 'SpecifiedTradeSettlementMonetarySummation', 'LineTotalAmount'),
      currency,
    );
    if (amount === null) continue;
    const line: ExtractedLine = {
      description: text(child(product, 'Name')) ?? text(child(product, 'Description')) ?? '',
      amount,
    };
    const qty = num(child(delivery, 'BilledQuantity'));
    if (qty !== null) line.quantity = qty;
    const price = child(lineAgreement, 'NetPriceProductTradePrice');
    const charge = amountIn(child(price, 'ChargeAmount'), currency);
    if (charge !== null) {
      const basis = num(child(price, 'BasisQuantity'));
      line.unitPrice = basis && basis !== 1 ? charge / basis : charge;
    }
    lines.push(line);
  }
  const seller = child(agreement, 'SellerTradeParty');
  return {
    vendor: text(child(seller, 'Name')) ?? text(child(seller, 'SpecifiedLegalOrganization', 'TradingBusinessName')),
    invoiceNumber: text(child(doc, 'ID')),
    documentType: CREDIT_CODES.has(text(child(doc, 'TypeCode')) ?? '') ? 'credit_note' : 'invoice',
    invoiceDate: ciiDate(child(doc, 'IssueDateTime')),
    dueDate,
    total: amountIn(child(sums, 'GrandTotalAmount'), currency),
    currency,
    subtotal: amountIn(child(sums, 'TaxBasisTotalAmount'), currency),
    tax: amountIn(child(sums, 'TaxTotalAmount'), currency),
    amountDue: amountIn(child(sums, 'DuePayableAmount'), currency),
    lines,
  };
}

function parseUbl(root: Node, credit: boolean): XmlInvoice {
  const currency = text(child(root, 'DocumentCurrencyCode'));
  const party = child(root, 'AccountingSupplierParty', 'Party');
  const totals = child(root, 'LegalMonetaryTotal');
  let tax: number | null = null;
  for (const t of arr(child(root, 'TaxTotal'))) {
    const amt = child(t, 'TaxAmount');
    if (!currency || attr(Array.isArray(amt) ? amt[0] : amt, 'currencyID') === currency || tax === null) tax = amountIn(amt, currency);
  }
  const lines: ExtractedLine[] = [];
  for (const it of arr(child(root, credit ? 'CreditNoteLine' : 'InvoiceLine'))) {
    const amount = num(child(it, 'LineExtensionAmount'));
    if (amount === null) continue;
    const line: ExtractedLine = {
      description: text(child(it, 'Item', 'Name')) ?? text(child(it, 'Item', 'Description')) ?? '',
      amount,
    };
    const qty = num(child(it, credit ? 'CreditedQuantity' : 'InvoicedQuantity'));
    if (qty !== null) line.quantity = qty;
    const price = num(child(it, 'Price', 'PriceAmount'));
    if (price !== null) {
      const basis = num(child(it, 'Price', 'BaseQuantity'));
      const perUnit = qty !== null && Math.abs(qty * price - amount) < 0.011;
      line.unitPrice = basis && basis !== 1 && !perUnit ? price / basis : price;
    }
    // Section headings and notes come through as empty lines.
    if (amount === 0 && !qty && !price) continue;
    lines.push(line);
  }
  return {
    vendor:
      text(child(party, 'PartyName', 'Name')) ??
      text(child(party, 'PartyLegalEntity', 'RegistrationName')) ??
      text(child(party, 'PartyIdentification', 'ID')),
    invoiceNumber: text(child(root, 'ID')),
    documentType: credit || CREDIT_CODES.has(text(child(root, 'InvoiceTypeCode')) ?? '') ? 'credit_note' : 'invoice',
    invoiceDate: isoDate(text(child(root, 'IssueDate'))),
    dueDate: isoDate(text(child(root, 'DueDate'))) ?? isoDate(text(child(root, 'PaymentMeans', 'PaymentDueDate'))),
    total: num(child(totals, 'TaxInclusiveAmount')) ?? num(child(totals, 'PayableAmount')),
    currency,
    subtotal: num(child(totals, 'TaxExclusiveAmount')),
    tax,
    amountDue: num(child(totals, 'PayableAmount')),
    lines,
  };
}

/** Parses an embedded invoice XML; null when it is not a recognised invoice or lacks its basics. */
export function parseInvoiceXml(xml: string | Uint8Array): XmlInvoice | null {
  let doc: Record<string, Node>;
  if (xml.length > MAX_XML_BYTES) return null;
  try {
    const s = typeof xml === 'string' ? xml : stripBinaryObjects(xml).toString('utf8');
    doc = parser.parse(s) as Record<string, Node>;
  } catch {
    return null;
  }
  let out: XmlInvoice | null = null;
  if (doc.CrossIndustryInvoice) out = parseCii(doc.CrossIndustryInvoice);
  else if (doc.CrossIndustryDocument) out = parseCii(doc.CrossIndustryDocument);
  else if (doc.Invoice) out = parseUbl(doc.Invoice, false);
  else if (doc.CreditNote) out = parseUbl(doc.CreditNote, true);
  if (!out) return null;
  if (!out.invoiceNumber || out.total === null) return null;
  if (out.total < 0) out.documentType = 'credit_note';
  if (out.currency && !/^[A-Z]{3}$/.test(out.currency)) out.currency = null;
  return out;
}
