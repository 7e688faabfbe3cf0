/**
 * The only module that touches pdf-parse (and, through the document it loads, pdf.js).
 *
 * Everything else in the extractor works on the plain structures returned here: positioned text
 * items per page, embedded file attachments and the page count.
 */
import { PDFParse } from 'pdf-parse';

/** One run of text as pdf.js reports it, in page coordinates with y growing downwards. */
export interface TextItem {
  str: string;
  x: number;
  /** Baseline, measured from the top of the page. */
  y: number;
  w: number;
  /** Font size (glyph height) in page units. */
  h: number;
  /** OCR'd words only: tesseract's confidence in the word, 0..100. */
  conf?: number;
}

export interface PageText {
  num: number;
  width: number;
  height: number;
  items: TextItem[];
}

export interface Attachment {
  name: string;
  data: Uint8Array;
}

export type PdfFailure = 'encrypted' | 'corrupt';

export class PdfError extends Error {
  constructor(
    readonly reason: PdfFailure,
    message: string,
  ) {
    super(message);
    this.name = 'PdfError';
  }
}

/* Minimal structural view of the pdf.js objects we use (pdf-parse keeps its document private). */
interface PdfJsTextItem {
  str?: string;
  transform?: number[];
  width?: number;
  height?: number;
}
interface PdfJsViewport {
  width: number;
  height: number;
  convertToViewportPoint(x: number, y: number): number[];
}
interface PdfJsPage {
  getViewport(o: { scale: number }): PdfJsViewport;
  getTextContent(o?: Record<string, unknown>): Promise<{ items: PdfJsTextItem[] }>;
  cleanup(): void;
}
interface PdfJsDocument {
  numPages: number;
  getPage(n: number): Promise<PdfJsPage>;
  getAttachments(): Promise<Record<string, { filename?: string; rawFilename?: string; content?: Uint8Array }> | null>;
  getMetadata(): Promise<{ info?: Record<string, unknown> }>;
}

export interface OpenPdf {
  readonly pages: number;
  attachments(): Promise<Attachment[]>;
  /**
   * Positioned text of at most `maxPages` pages: all of them for short documents, otherwise the
   * first and last ones (header and totals). Pages whose text cannot be read are skipped.
   */
  pageTexts(maxPages?: number): Promise<PageText[]>;
  info(): Promise<Record<string, unknown>>;
  /**
   * Page `n` rendered as a PNG at `dpi`, or smaller so that its longest side is at most `longSide` pixels, with the
   * page's width in points; null when it cannot be drawn.
   */
  render(n: number, dpi: number, longSide?: number): Promise<{ png: Uint8Array; pointsWide: number } | null>;
}

function classify(err: unknown): PdfError {
  const name = (err as { name?: string } | null)?.name ?? '';
  const msg = String((err as { message?: string } | null)?.message ?? err);
  if (name === 'PasswordException' || /password/i.test(msg)) {
    return new PdfError('encrypted', msg);
  }
  return new PdfError('corrupt', msg);
}

/**
 * Opens the PDF, runs `fn`, and always destroys the parser. The caller's bytes are copied first:
 * pdf.js transfers (detaches) the array it is given.
 */
export async function withPdf<T>(bytes: Buffer, fn: (pdf: OpenPdf) => Promise<T>): Promise<T> {
  const parser = new PDFParse({ data: Buffer.from(bytes), verbosity: 0, stopAtErrors: false });
  try {
    let pages: number;
    try {
      // Parsing an empty page selection loads the document (and its page count) without extracting text.
      pages = (await parser.getText({ partial: [0] })).total;
    } catch (err) {
      throw classify(err);
    }
    const doc = (parser as unknown as { doc?: PdfJsDocument }).doc;
    if (!doc) throw new PdfError('corrupt', 'document did not load');
    const open: OpenPdf = {
      pages,
      async attachments() {
        const raw = await doc.getAttachments().catch(() => null);
        if (!raw) return [];
        return Object.entries(raw)
          .filter(([, v]) => v?.content instanceof Uint8Array)
          .map(([k, v]) => ({ name: v.filename ?? v.rawFilename ?? k, data: v.content as Uint8Array }));
      },
      async pageTexts(maxPages = Infinity) {
        const out: PageText[] = [];
        const head = Math.ceil(maxPages / 2);
        const wanted = Array.from({ length: pages }, (_, i) => i + 1).filter((n) => pages <= maxPages || n <= head || n > pages - (maxPages - head));
        for (const n of wanted) {
          let page: PdfJsPage;
          try {
            page = await doc.getPage(n);
          } catch {
            continue;
          }
          try {
            const vp = page.getViewport({ scale: 1 });
            const tc = await page.getTextContent();
            const items: TextItem[] = [];
            for (const it of tc.items) {
              if (typeof it.str !== 'string' || !it.transform) continue;
              if (it.str.trim() === '') continue;
              const t = it.transform;
              const [x, y] = vp.convertToViewportPoint(t[4], t[5]);
              const h = Math.hypot(t[2], t[3]) || it.height || 10;
              items.push({ str: it.str, x, y, w: it.width ?? 0, h });
            }
            out.push({ num: n, width: vp.width, height: vp.height, items });
          } catch {
            // An unreadable page (broken font or content stream): use the others.
          } finally {
            page.cleanup();
          }
        }
        return out;
      },
      async info() {
        const m = await doc.getMetadata().catch(() => ({ info: {} }));
        return (m.info ?? {}) as Record<string, unknown>;
      },
      async render(n, dpi, longSide = Infinity) {
        try {
          const vp = (await doc.getPage(n)).getViewport({ scale: 1 });
          const scale = Math.min(dpi / 72, longSide / Math.max(vp.width, vp.height, 1));
          const shot = (await parser.getScreenshot({ partial: [n], scale, imageDataUrl: false, imageBuffer: true })).pages[0];
          if (!shot?.data?.length) return null;
          return { png: shot.data, pointsWide: shot.width / (shot.scale || scale) };
        } catch {
          return null;
        }
      },
    };
    return await fn(open);
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}

/** Bare pdf-parse text extraction: the baseline the benchmark compares against. */
export async function bareText(bytes: Buffer): Promise<string> {
  const parser = new PDFParse({ data: Buffer.from(bytes), verbosity: 0 });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}
