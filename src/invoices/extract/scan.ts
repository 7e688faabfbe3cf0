/**
 * Reading pages that have no usable text layer (photos, screenshots, scans): each page is turned
 * upright, OCR'd, and its words become `TextItem`s in page units, so that the same row/cell
 * reconstruction (layout.ts) and the same field rules (read-layout.ts) read them as they read a PDF's
 * text layer.
 */
import type { Sharp } from 'sharp';
import { preparePage } from './image.ts';
import { OCR_LANGS, type OcrResult, recognize } from './ocr.ts';
import type { PageText } from './pdf.ts';

/** One page to read: its pixels and, for rendered PDF pages, its width in PDF points (loaded when read). */
export interface ScanPage {
  num: number;
  load: () => Promise<{ image: Sharp; pointsWide?: number } | null>;
}

export interface ScanBudget {
  /** Epoch ms after which no further page is started. */
  deadline: number;
  onProgress?: (p: { page: number; pages: number }) => void;
}

export interface ScanResult {
  pages: PageText[];
  text: string;
  /** Pages that were not read because the time budget ran out. */
  skipped: number;
  /** Pages that could not be decoded or drawn. */
  failed: number;
  /** Mean word confidence over the pages read (0..100). */
  confidence: number;
}

type Turn = 0 | 90 | 180 | 270;

/** An upright pass this confident needs no other orientation tried. */
const UPRIGHT_CONFIDENCE = 60;
/** Fewer words than this (3+ characters) say nothing about orientation. */
const MIN_ORIENTATION_WORDS = 4;
/** Images of unknown physical size: their longest side is taken as an A4 page's height in points. */
const UNKNOWN_LONG_SIDE_PT = 842;

function score(r: OcrResult): number {
  const real = r.words.filter((w) => /[\p{L}\p{N}]{2,}/u.test(w.str)).length;
  return real < 3 ? r.confidence * 0.3 : r.confidence * Math.min(1, 0.6 + real / 50);
}

/** Text lines run across the page: tesseract reads sideways text too, but its word boxes are then taller than wide. */
const upright = (r: OcrResult) => r.horizontal >= 0.5;

/**
 * OCR of one page, turned upright. Tesseract's cost follows the amount of text, not the pixels, so a
 * low-resolution probe costs about as much as a real pass: the page is read as it is first, and that
 * reading is kept when its lines run across the page with good confidence (most scans and
 * screenshots). Otherwise the other candidates are read — upside down when the lines already run
 * across, else the two sideways turns — and the best-confidence reading wins.
 */
async function readUpright(image: Sharp): Promise<{ ocr: OcrResult; width: number; height: number }> {
  const read = async (turn: Turn) => {
    const prepared = await preparePage(image, { turn });
    return { ocr: await recognize(prepared.png, OCR_LANGS), width: prepared.width, height: prepared.height };
  };
  const first = await read(0);
  if (first.ocr.longWords < MIN_ORIENTATION_WORDS) return first;
  if (upright(first.ocr) && first.ocr.confidence >= UPRIGHT_CONFIDENCE) return first;
  let best = { page: first, s: upright(first.ocr) ? score(first.ocr) : 0 };
  for (const turn of upright(first.ocr) ? ([180] as const) : ([90, 270] as const)) {
    const page = await read(turn);
    const s = upright(page.ocr) ? score(page.ocr) : 0;
    if (s > best.s) best = { page, s };
  }
  return best.page;
}

/** OCR of one page → positioned words in page units (PDF points). */
export async function readPage(num: number, page: { image: Sharp; pointsWide?: number }): Promise<{ text: PageText; ocr: OcrResult }> {
  const { ocr, width, height } = await readUpright(page.image);
  const unit = page.pointsWide ? page.pointsWide / width : UNKNOWN_LONG_SIDE_PT / Math.max(width, height);
  // Undo a slight tilt (a hand-held photo): words of one printed row then share a baseline, however far apart.
  const t = Math.abs(ocr.skew) > 0.002 && Math.abs(ocr.skew) < 0.2 ? Math.atan(ocr.skew) : 0;
  const [cos, sin] = [Math.cos(t), Math.sin(t)];
  const items = ocr.words.map((w) => {
    const x = w.x * cos + w.y * sin;
    const y = -w.x * sin + w.y * cos;
    return { str: w.str, x: x * unit, y: y * unit, w: w.w * unit, h: w.h * unit };
  });
  return { text: { num, width: width * unit, height: height * unit, items }, ocr };
}

/** Reads pages in order until they are done or the budget's deadline has passed. */
export async function readScan(pages: ScanPage[], budget: ScanBudget, total = pages.length): Promise<ScanResult> {
  const out: PageText[] = [];
  const texts: string[] = [];
  let conf = 0;
  let failed = 0;
  let done = 0;
  for (const page of pages) {
    if (done > 0 && Date.now() > budget.deadline) break;
    done++;
    const loaded = await page.load().catch(() => null);
    const read = loaded ? await readPage(page.num, loaded).catch(() => null) : null;
    if (read) {
      out.push(read.text);
      texts.push(read.ocr.text.trim());
      conf += read.ocr.confidence;
    } else failed++;
    budget.onProgress?.({ page: done, pages: total });
  }
  return {
    pages: out,
    text: texts.join('\n\n'),
    skipped: pages.length - done,
    failed,
    confidence: out.length ? conf / out.length : 0,
  };
}
