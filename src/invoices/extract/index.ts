/**
 * Invoice field extraction from PDF bytes, template-free.
 *
 * 1. Factur-X / ZUGFeRD / XRechnung / UBL attachment → values taken exactly from the XML.
 * 2. Otherwise the text layer: rows and cells rebuilt from positions (layout.ts), labels found with a
 *    multilingual lexicon (labels.ts) and paired with values right of / below them (fields.ts),
 *    vendor from seller/legal/header evidence (vendor.ts), line items from the item table (lines.ts).
 */
import { rawEmbeddedXml } from './embedded.ts';
import { buildLayout } from './layout.ts';
import { extractFromLayout } from './read-layout.ts';
import { type OpenPdf, PdfError, withPdf } from './pdf.ts';
import type { ExtractedLine, Field } from './types.ts';
import { isInvoiceXmlName, parseInvoiceXml, type XmlInvoice } from './xml.ts';

export type { ExtractedLine, Field } from './types.ts';
export { extractFromLayout } from './read-layout.ts';

export interface Extraction {
  ok: true;
  vendor: string | null;
  invoiceNumber: string | null;
  invoiceDate: string | null /* YYYY-MM-DD */;
  dueDate: string | null;
  total: number | null;
  currency: string | null /* ISO 4217 */;
  subtotal?: number | null;
  tax?: number | null;
  amountDue?: number | null;
  lines: ExtractedLine[];
  confidence: Partial<Record<Field, number>> /* 0..1 */;
  source: 'xml' | 'text';
  pages: number;
  /** Credit notes / credit memos (booked as vendor credits rather than bills). */
  documentType?: 'invoice' | 'credit_note';
  /** Other names the seller goes by in the document (brand, web/e-mail domain), best first; for vendor matching. */
  vendorAlternatives?: string[];
}

export interface Unreadable {
  ok: false;
  reason: 'not_pdf' | 'encrypted' | 'no_text' | 'too_large' | 'corrupt';
  message: string /* plain words for a Slack user */;
}

export interface ExtractOptions {
  maxBytes?: number;
  /** Ignore embedded XML and read the text layer (used to measure the text path). */
  textOnly?: boolean;
  /** Pages of text to read at most (invoices put their header on page 1, totals on the last pages). */
  maxPages?: number;
}

const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

const MESSAGES: Record<Unreadable['reason'], string> = {
  not_pdf: "This file isn't a PDF, so I can't read the invoice from it.",
  encrypted: 'This PDF is password-protected, so I can’t read it. Please share a copy without a password.',
  no_text: 'This PDF has no text layer (it looks like a scan or photo), so I couldn’t read any fields. Please fill them in.',
  too_large: 'This PDF is too large for me to read automatically.',
  corrupt: 'This PDF looks damaged and I couldn’t open it.',
};

function unreadable(reason: Unreadable['reason'], detail?: string): Unreadable {
  return { ok: false, reason, message: detail ? `${MESSAGES[reason]}` : MESSAGES[reason] };
}

/** "%PDF-" within the first KiB (some generators put junk before the header). */
export function isPdf(bytes: Buffer): boolean {
  if (!(bytes instanceof Uint8Array)) return false;
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024));
  return head.indexOf('%PDF-') >= 0;
}

function fromXml(x: XmlInvoice, pages: number): Extraction {
  const c = (v: unknown) => (v === null || v === undefined ? 0 : 1);
  return {
    ok: true,
    vendor: x.vendor,
    invoiceNumber: x.invoiceNumber,
    invoiceDate: x.invoiceDate,
    dueDate: x.dueDate,
    total: x.total,
    currency: x.currency,
    subtotal: x.subtotal,
    tax: x.tax,
    amountDue: x.amountDue,
    lines: x.lines,
    confidence: {
      vendor: c(x.vendor),
      invoiceNumber: c(x.invoiceNumber),
      invoiceDate: c(x.invoiceDate),
      dueDate: c(x.dueDate),
      total: c(x.total),
      currency: c(x.currency),
      subtotal: c(x.subtotal),
      tax: c(x.tax),
    },
    source: 'xml',
    pages,
    documentType: x.documentType,
  };
}

async function fromPdf(pdf: OpenPdf, opts: ExtractOptions, raw: Uint8Array[], hasEmbedded: boolean): Promise<Extraction | Unreadable> {
  if (!opts.textOnly) {
    for (const data of raw) {
      const x = parseInvoiceXml(data);
      if (x) return fromXml(x, pdf.pages);
    }
    const atts = (hasEmbedded ? await pdf.attachments() : []).filter((a) => isInvoiceXmlName(a.name));
    // Prefer the standard names, then any other XML.
    atts.sort((a, b) => Number(/factur|zugferd|xrechnung|ubl/i.test(b.name)) - Number(/factur|zugferd|xrechnung|ubl/i.test(a.name)));
    for (const a of atts) {
      const x = parseInvoiceXml(a.data);
      if (x) return fromXml(x, pdf.pages);
    }
  }
  const pages = await pdf.pageTexts(opts.maxPages ?? 8);
  const chars = pages.reduce((n, p) => n + p.items.reduce((m, i) => m + i.str.trim().length, 0), 0);
  if (chars < 20) return unreadable('no_text');
  const layout = buildLayout(pages);
  return { ...extractFromLayout(layout), pages: pdf.pages };
}

export async function extractInvoice(bytes: Buffer, opts: ExtractOptions = {}): Promise<Extraction | Unreadable> {
  try {
    if (!bytes || !(bytes instanceof Uint8Array) || bytes.length === 0) return unreadable('not_pdf');
    if (bytes.length > (opts.maxBytes ?? DEFAULT_MAX_BYTES)) return unreadable('too_large');
    if (!isPdf(bytes)) return unreadable('not_pdf');
    const raw = opts.textOnly ? [] : rawEmbeddedXml(bytes);
    const hasEmbedded = bytes.includes('/EmbeddedFiles') || bytes.includes('/EmbeddedFile') || bytes.includes('/ObjStm');
    return await withPdf(Buffer.from(bytes), (pdf) => fromPdf(pdf, opts, raw, hasEmbedded));
  } catch (err) {
    if (err instanceof PdfError) return unreadable(err.reason);
    return unreadable('corrupt');
  }
}
