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

/** Side, in pixels, of the quick pass that decides which way up a page is. */
const PROBE_LONG_SIDE = 1100;
/** A quick upright pass this confident needs no other orientation tried. */
const UPRIGHT_CONFIDENCE = 60;
/** Fewer words than this (3+ characters) say nothing about orientation. */
const MIN_ORIENTATION_WORDS = 4;
/** Images of unknown physical size: their longest side is taken as an A4 page's height in points. */
const UNKNOWN_LONG_SIDE_PT = 842;

function score(r: OcrResult): number {
  const real = r.words.filter((w) => /[\p{L}\p{N}]{2,}/u.test(w.str)).length;
  return real < 3 ? r.confidence * 0.3 : r.confidence * Math.min(1, 0.6 + real / 50);
}

/**
 * The quarter turn that makes the page upright, from low-resolution passes. Tesseract also reads
 * text running up or down the image, but then its word boxes are taller than wide: that tells
 * sideways from upright/upside-down, and the confidence of the two candidates decides between them.
 */
export async function uprightTurn(image: Sharp): Promise<Turn> {
  const probe = async (turn: Turn) => recognize((await preparePage(image, { longSide: PROBE_LONG_SIDE, turn })).png, OCR_LANGS);
  const first = await probe(0);
  // Too little text to tell (a blank page, a photo of a wall): read it as it is.
  if (first.longWords < MIN_ORIENTATION_WORDS) return 0;
  const horizontal = first.horizontal >= 0.5;
  if (horizontal && first.confidence >= UPRIGHT_CONFIDENCE) return 0;
  const candidates: Turn[] = horizontal ? [180] : [90, 270];
  let best: { turn: Turn; s: number } = { turn: 0, s: horizontal ? score(first) : 0 };
  for (const turn of candidates) {
    const r = await probe(turn);
    const s = r.horizontal >= 0.5 ? score(r) : 0;
    if (s > best.s) best = { turn, s };
  }
  return best.turn;
}

/** OCR of one page → positioned words in page units (PDF points). */
export async function readPage(num: number, page: { image: Sharp; pointsWide?: number }): Promise<{ text: PageText; ocr: OcrResult }> {
  const turn = await uprightTurn(page.image);
  const prepared = await preparePage(page.image, { turn });
  const ocr = await recognize(prepared.png, OCR_LANGS);
  const unit = page.pointsWide ? page.pointsWide / prepared.width : UNKNOWN_LONG_SIDE_PT / Math.max(prepared.width, prepared.height);
  const items = ocr.words.map((w) => ({ str: w.str, x: w.x * unit, y: w.y * unit, w: w.w * unit, h: w.h * unit }));
  return { text: { num, width: prepared.width * unit, height: prepared.height * unit, items }, ocr };
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
  return { pages: out, text: texts.join('\n\n'), skipped: pages.length - done, failed, confidence: out.length ? conf / out.length : 0 };
}
