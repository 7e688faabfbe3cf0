/**
 * Invoice field extraction from PDF or image bytes, template-free.
 *
 * 1. Factur-X / ZUGFeRD / XRechnung / UBL attachment → values taken exactly from the XML.
 * 2. Otherwise the text layer: rows and cells rebuilt from positions (layout.ts), labels found with a
 *    multilingual lexicon (labels.ts) and paired with values right of / below them (fields.ts),
 *    vendor from seller/legal/header evidence (vendor.ts), line items from the item table (lines.ts).
 * 3. Images (JPEG, PNG, WebP, TIFF, HEIC) and PDFs without a usable text layer: pages are OCR'd
 *    (scan.ts) and the words, with their boxes, go through the same layout and rules as 2.
 */
import { lostDate, secondLookAtDate } from './date-look.ts';
import { rawEmbeddedXml } from './embedded.ts';
import { BombError, checkFlateStreams } from './guard.ts';
import { buildLayout } from './layout.ts';
import { CHECK_BELOW, extractFromLayout } from './read-layout.ts';
import { fromPng, ImageError, imageKind, OCR_LONG_SIDE, openImage } from './image.ts';
import { type OpenPdf, type PageText, PdfError, withPdf } from './pdf.ts';
import { mergePages, readScan, type ScanPage, type ScanResult } from './scan.ts';
import type { ExtractedLine, Field } from './types.ts';
import { isInvoiceXmlName, parseInvoiceXml, type XmlInvoice } from './xml.ts';
import { unreadable } from './unreadable.ts';

export type { ExtractedLine, Field } from './types.ts';
export { closeOcr as closeExtractor } from './ocr.ts';
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
  source: 'xml' | 'text' | 'ocr';
  pages: number;
  /** The OCR'd text, page after page (source 'ocr' only), to keep with the invoice. */
  ocrText?: string;
  /** Credit notes / credit memos (booked as vendor credits rather than bills). */
  documentType?: 'invoice' | 'credit_note';
  /** Other names the seller goes by in the document (brand, web/e-mail domain), best first; for vendor matching. */
  vendorAlternatives?: string[];
}

export interface Unreadable {
  ok: false;
  /**
   * `not_pdf`: neither a PDF nor an image we can open. `too_long`: past the page/time budget (the
   * fields read so far are in `partial`). `unsafe`: reading it crashed or exhausted its worker.
   */
  reason: 'not_pdf' | 'encrypted' | 'no_text' | 'too_large' | 'corrupt' | 'too_long' | 'unsafe';
  message: string /* plain words for a Slack user */;
  /** What was read before the budget ran out (`too_long`). */
  partial?: Extraction;
}

/** Pages and seconds one file may take (OCR is seconds a page). */
export interface ReadBudget {
  maxPages: number;
  maxSeconds: number;
}

export interface ExtractOptions {
  maxBytes?: number;
  /** Ignore embedded XML and read the text layer (used to measure the text path). */
  textOnly?: boolean;
  /** Pages of text to read at most (invoices put their header on page 1, totals on the last pages). */
  maxPages?: number;
  /** The workspace's own company names: never the vendor (passed to the field rules). */
  ownCompanyNames?: string[];
  /** Budget for OCR (default 20 pages, 120 s). */
  budget?: ReadBudget;
  /** Called after each OCR'd page. */
  onProgress?: (p: { page: number; pages: number }) => void;
}

const DEFAULT_BUDGET: ReadBudget = { maxPages: 20, maxSeconds: 120 };
/** Rendering resolution for PDF pages without a usable text layer. */
const RENDER_DPI = 300;

const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

export { unreadable } from './unreadable.ts';

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

async function fromPdf(
  pdf: OpenPdf,
  bytes: Uint8Array,
  opts: ExtractOptions,
  raw: Uint8Array[],
  hasEmbedded: boolean,
): Promise<Extraction | Unreadable> {
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
  if (!usableTextLayer(pages)) return fromScannedPdf(pdf, opts);
  const read = extractFromLayout(buildLayout(pages), { ownCompanyNames: opts.ownCompanyNames });
  const unsure = read.vendor === null || (read.confidence.vendor ?? 0) < CHECK_BELOW;
  const withSeller = unsure && hasImages(bytes) ? await sellerFromPicture(pdf, pages, read, opts) : read;
  return { ...withSeller, pages: pdf.pages };
}

/** Whether a PDF holds image XObjects (their dictionaries are never inside compressed object streams). */
function hasImages(bytes: Uint8Array): boolean {
  return /\/Subtype\s*\/Image\b/.test(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'));
}

/**
 * A text PDF whose text names no seller (or only one the card would ask to check) may print it as a picture (a letterhead or logo image): page 1
 * is read by OCR, its words are added where the text layer has none, and the seller found there is taken when surer. Every other field
 * stays as the exact text layer gave it.
 */
async function sellerFromPicture(pdf: OpenPdf, pages: PageText[], read: Fields, opts: ExtractOptions): Promise<Fields> {
  const first = pages.find((p) => p.num === 1);
  if (!first) return read;
  const page: ScanPage = {
    num: 1,
    load: async () => {
      const r = await pdf.render(1, RENDER_DPI, OCR_LONG_SIDE);
      return r ? { image: fromPng(r.png), pointsWide: r.pointsWide } : null;
    },
  };
  const budget = opts.budget ?? DEFAULT_BUDGET;
  const scan = await readScan([page], { deadline: Date.now() + budget.maxSeconds * 1000 }).catch(() => null);
  if (!scan?.pages.length) return read;
  const merged = extractFromLayout(buildLayout(mergePages(pages, scan.pages)), { ownCompanyNames: opts.ownCompanyNames });
  if (merged.vendor === null || (merged.confidence.vendor ?? 0) <= (read.confidence.vendor ?? 0)) return read;
  return {
    ...read,
    vendor: merged.vendor,
    vendorAlternatives: merged.vendorAlternatives,
    confidence: { ...read.confidence, vendor: merged.confidence.vendor },
  };
}

/**
 * A text layer worth reading: enough characters per page, and mostly letters and digits (glyphs
 * drawn as outlines or fonts without a Unicode map yield nothing, or symbols and private-use codes).
 */
export function usableTextLayer(pages: PageText[]): boolean {
  const text = pages.map((p) => p.items.map((i) => i.str).join(' ')).join('\n');
  const visible = text.replace(/\s+/g, '');
  if (visible.length < 20 || visible.length < 40 * Math.max(1, pages.length) * 0.5) return false;
  const letters = (visible.match(/\p{L}/gu) ?? []).length;
  const alnum = letters + (visible.match(/\p{N}/gu) ?? []).length;
  return letters / visible.length >= 0.3 && alnum / visible.length >= 0.6;
}

/** Which pages to read when only `max` may be: the first ones (header) and the last ones (totals). */
function pickPages(total: number, max: number): number[] {
  const head = Math.ceil(max / 2);
  return Array.from({ length: total }, (_, i) => i + 1).filter((n) => total <= max || n <= head || n > total - (max - head));
}

/** A total this sure was confirmed by the document's arithmetic (net + tax, the lines, due = total − paid). */
const CHECKED_TOTAL = 0.8;

type Fields = ReturnType<typeof extractFromLayout>;
/** How sure a reading is of what the card shows first: the total counts double. */
const sureness = (f: Fields) =>
  2 * (f.confidence.total ?? 0) + (f.confidence.vendor ?? 0) + (f.confidence.invoiceNumber ?? 0) + (f.confidence.invoiceDate ?? 0);

/**
 * A second, sparse OCR pass when the first reading's total is missing or not confirmed by the arithmetic (page layout
 * analysis can drop a column of figures), or when it found no issue date: its words are added where the first pass
 * found none, and the merged reading is kept when it is at least as sure. A date the first pass lost (a pen mark
 * across it read as a word) is the one the sparse pass reads there, to be checked.
 */
async function secondPass(pages: ScanPage[], scan: ScanResult, fields: Fields, opts: ExtractOptions, deadline: number): Promise<Fields> {
  if (((fields.confidence.total ?? 0) >= CHECKED_TOTAL && fields.invoiceDate) || Date.now() > deadline) return fields;
  const again = await readScan(pages, { deadline }, pages.length, scan.reads);
  if (!again.pages.length) return fields;
  const read = (p: ScanResult['pages']) => extractFromLayout(buildLayout(p), { ownCompanyNames: opts.ownCompanyNames });
  const merged = read(mergePages(scan.pages, again.pages));
  const best = sureness(merged) >= sureness(fields) ? merged : fields;
  return best.invoiceDate ? best : lostDate(best, read(again.pages));
}

/** Pages tilted by this much (degrees) may read better straightened; tesseract reads smaller tilts as they are. */
const STRAIGHTEN_DEG = 2;
/** A reading this sure (of 5: total counted twice, vendor, number, date) with fewer glued words than GLUED_WORDS is
 *  not read again straightened. */
const SURE_READING = 4.5;
const GLUED_WORDS = 2;
/** What a glued word costs a reading, in sureness (of 5). */
const GLUED_COST = 0.02;

/**
 * A photo taken at an angle: pages tilted by STRAIGHTEN_DEG or more are read once more, turned back by their tilt,
 * and that reading is kept when it is surer (straightening un-glues the words of tilted lines, but blurs small print,
 * so neither reading is always the better).
 */
async function straightPass(pages: ScanPage[], scan: ScanResult, fields: Fields, opts: ExtractOptions, deadline: number) {
  const kept = { scan, fields };
  const tilted = scan.reads.filter((r) => Math.abs(r.measuredDeg) >= STRAIGHTEN_DEG);
  const before = gluedWords(buildLayout(scan.pages).text);
  if (!tilted.length || (sureness(fields) >= SURE_READING && before < GLUED_WORDS) || Date.now() > deadline) return kept;
  const again = await readScan(pages, { deadline }, pages.length, tilted, 'straight');
  if (!again.pages.length) return kept;
  const swap = <T extends { num: number }>(xs: T[], ys: T[]) => xs.map((x) => ys.find((y) => y.num === x.num) ?? x);
  const straight: ScanResult = {
    ...scan,
    pages: swap(scan.pages, again.pages),
    reads: swap(scan.reads, again.reads),
    text: again.pages.length === scan.pages.length ? again.text : scan.text,
  };
  const layout = buildLayout(straight.pages);
  const read = extractFromLayout(layout, { ownCompanyNames: opts.ownCompanyNames });
  // Each glued word is a word misread: it counts against its reading.
  const gain = sureness(read) - sureness(fields) + GLUED_COST * (before - gluedWords(layout.text));
  return gain > 0 ? { scan: straight, fields: read } : kept;
}

/**
 * Words glued in the reading ("CascadeLumber", "AubonmoulinSARL": two lower-case letters then a capital inside one
 * word): a tilted line's box is taller than its print, so the gaps between its words look too small to be spaces.
 */
function gluedWords(text: string): number {
  return (text.match(/\p{Ll}{2}\p{Lu}/gu) ?? []).length;
}

/** Words of OCR'd pages → the same layout and rules as a text layer; the budget decides `too_long`. */
async function fromScan(pages: ScanPage[], total: number, opts: ExtractOptions, image: boolean): Promise<Extraction | Unreadable> {
  const budget = opts.budget ?? DEFAULT_BUDGET;
  const deadline = Date.now() + budget.maxSeconds * 1000;
  const scan = await readScan(pages, { deadline, onProgress: opts.onProgress }, total);
  const words = scan.pages.reduce((n, p) => n + p.items.length, 0);
  const cut = scan.skipped > 0 || total > pages.length;
  if (words === 0 && scan.failed === pages.length) return unreadable(image ? 'not_pdf' : 'corrupt');
  if (words === 0 && !cut) return unreadable('no_text', { image });
  const first = extractFromLayout(buildLayout(scan.pages), { ownCompanyNames: opts.ownCompanyNames });
  const chosen = cut ? { scan, fields: first } : await straightPass(pages, scan, first, opts, deadline);
  const fields = cut
    ? first
    : await secondLookAtDate(pages, chosen.scan, await secondPass(pages, chosen.scan, chosen.fields, opts, deadline), { deadline });
  const read: Extraction = { ...fields, source: 'ocr', pages: total, ocrText: chosen.scan.text };
  return cut ? unreadable('too_long', { partial: read }) : read;
}

async function fromScannedPdf(pdf: OpenPdf, opts: ExtractOptions): Promise<Extraction | Unreadable> {
  const budget = opts.budget ?? DEFAULT_BUDGET;
  const pages: ScanPage[] = [];
  const wanted = pickPages(pdf.pages, budget.maxPages);
  // Render lazily, one page at a time (a 300 DPI page is ~8 MP).
  for (const num of wanted) {
    pages.push({
      num,
      load: async () => {
        // Drawn at the size OCR reads (about 300 DPI for A4/Letter), so it need not be scaled again.
        const r = await pdf.render(num, RENDER_DPI, OCR_LONG_SIDE);
        return r ? { image: fromPng(r.png), pointsWide: r.pointsWide } : null;
      },
    });
  }
  return fromScan(pages, pdf.pages, opts, false);
}

async function fromImage(bytes: Buffer, kind: NonNullable<ReturnType<typeof imageKind>>, opts: ExtractOptions): Promise<Extraction | Unreadable> {
  let images: Awaited<ReturnType<typeof openImage>>;
  try {
    images = await openImage(bytes, kind);
  } catch (err) {
    if (err instanceof ImageError) return unreadable('not_pdf');
    throw err;
  }
  const budget = opts.budget ?? DEFAULT_BUDGET;
  const wanted = pickPages(images.length, budget.maxPages);
  return fromScan(
    wanted.map((num) => ({ num, load: async () => ({ image: images[num - 1] }) })),
    images.length,
    opts,
    true,
  );
}

export async function extractInvoice(bytes: Buffer, opts: ExtractOptions = {}): Promise<Extraction | Unreadable> {
  try {
    if (!bytes || !(bytes instanceof Uint8Array) || bytes.length === 0) return unreadable('not_pdf');
    if (bytes.length > (opts.maxBytes ?? DEFAULT_MAX_BYTES)) return unreadable('too_large');
    const kind = imageKind(bytes);
    if (kind) return await fromImage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), kind, opts);
    if (!isPdf(bytes)) return unreadable('not_pdf');
    checkFlateStreams(bytes);
    const raw = opts.textOnly ? [] : rawEmbeddedXml(bytes);
    const hasEmbedded = bytes.includes('/EmbeddedFiles') || bytes.includes('/EmbeddedFile') || bytes.includes('/ObjStm');
    return await withPdf(Buffer.from(bytes), (pdf) => fromPdf(pdf, bytes, opts, raw, hasEmbedded));
  } catch (err) {
    if (err instanceof PdfError) return unreadable(err.reason);
    if (err instanceof BombError) return unreadable('unsafe');
    return unreadable('corrupt');
  }
}
