/**
 * Reading pages that have no usable text layer (photos, screenshots, scans): each page is turned
 * upright, OCR'd, and its words become `TextItem`s in page units, so that the same row/cell
 * reconstruction (layout.ts) and the same field rules (read-layout.ts) read them as they read a PDF's
 * text layer.
 */
import type { Sharp } from 'sharp';
import { preparePage } from './image.ts';
import { OCR_LANGS, type OcrMode, type OcrResult, recognize } from './ocr.ts';
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
  /** How each page read was turned upright and deskewed (a second pass reads it the same way). */
  reads: PageRead[];
}

type Turn = 0 | 90 | 180 | 270;

export interface PageRead {
  num: number;
  turn: Turn;
  /** The tilt undone in word coordinates (radians). */
  tilt: number;
  /** The tilt of the page's ink lines, measured on its pixels (degrees). */
  measuredDeg: number;
  /** Whether the pixels were turned back by that tilt before reading. */
  straight: boolean;
}

/** How a page already read is read again: `sparse` finds what layout analysis dropped; `straight` deskews it first. */
export type Again = 'sparse' | 'straight';

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
async function readUpright(image: Sharp): Promise<Turned> {
  const read = (turn: Turn) => readTurned(image, turn, 'auto');
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

interface Turned {
  ocr: OcrResult;
  width: number;
  height: number;
  turn: Turn;
  measuredDeg: number;
  straight: boolean;
}

async function readTurned(image: Sharp, turn: Turn, mode: OcrMode, straighten = false): Promise<Turned> {
  const prepared = await preparePage(image, { turn, straighten });
  const ocr = await recognize(prepared.png, OCR_LANGS, mode);
  return { ocr, width: prepared.width, height: prepared.height, turn, measuredDeg: prepared.tilt, straight: prepared.straightened };
}

/**
 * OCR of one page → positioned words in page units (PDF points). `again`: a page already read, read once more at the
 * same turn — `sparse`: a second pass, its pixels prepared as the first pass's were and its words turned by the same
 * tilt, so that they fall where the first pass put them; `straight`: its pixels turned back by their measured tilt.
 */
export async function readPage(
  num: number,
  page: { image: Sharp; pointsWide?: number },
  again?: PageRead,
  how: Again = 'sparse',
): Promise<{ text: PageText; ocr: OcrResult; read: PageRead }> {
  const read = !again
    ? await readUpright(page.image)
    : how === 'straight'
      ? await readTurned(page.image, again.turn, 'auto', true)
      : await readTurned(page.image, again.turn, 'sparse', again.straight);
  const { ocr, width, height, turn } = read;
  const unit = page.pointsWide ? page.pointsWide / width : UNKNOWN_LONG_SIDE_PT / Math.max(width, height);
  // Undo a slight tilt (a hand-held photo): words of one printed row then share a baseline, however far apart.
  const t = again && how === 'sparse' ? again.tilt : Math.abs(ocr.skew) > 0.002 && Math.abs(ocr.skew) < 0.2 ? Math.atan(ocr.skew) : 0;
  const [cos, sin] = [Math.cos(t), Math.sin(t)];
  const items = ocr.words.map((w) => {
    const x = w.x * cos + w.y * sin;
    const y = -w.x * sin + w.y * cos;
    return { str: w.str, x: x * unit, y: y * unit, w: w.w * unit, h: w.h * unit, conf: w.conf };
  });
  return {
    text: { num, width: width * unit, height: height * unit, items },
    ocr,
    read: { num, turn, tilt: t, measuredDeg: read.measuredDeg, straight: read.straight },
  };
}

/**
 * Reads pages in order until they are done or the budget's deadline has passed. `again`: reads of the pages to read
 * once more (`how`: sparse or straightened; no progress is reported: the card already showed it).
 */
export async function readScan(
  pages: ScanPage[],
  budget: ScanBudget,
  total = pages.length,
  again?: PageRead[],
  how: Again = 'sparse',
): Promise<ScanResult> {
  const out: PageText[] = [];
  const texts: string[] = [];
  const reads: PageRead[] = [];
  let conf = 0;
  let failed = 0;
  let done = 0;
  for (const page of pages) {
    const before = again?.find((r) => r.num === page.num);
    if (again && !before) continue;
    if ((done > 0 || again) && Date.now() > budget.deadline) break;
    done++;
    const loaded = await page.load().catch(() => null);
    const read = loaded ? await readPage(page.num, loaded, before, how).catch(() => null) : null;
    if (read) {
      out.push(read.text);
      texts.push(read.ocr.text.trim());
      reads.push(read.read);
      conf += read.ocr.confidence;
    } else failed++;
    if (!again) budget.onProgress?.({ page: done, pages: total });
  }
  return {
    pages: out,
    text: texts.join('\n\n'),
    skipped: pages.length - done,
    failed,
    confidence: out.length ? conf / out.length : 0,
    reads,
  };
}

type Box = { x0: number; x1: number; y0: number; y1: number };
/** A word's box from its baseline and line height (page units). */
const boxOf = (i: { x: number; y: number; w: number; h: number }): Box => ({ x0: i.x, x1: i.x + i.w, y0: i.y - 0.8 * i.h, y1: i.y + 0.2 * i.h });

/**
 * The first pass's words plus the second pass's words where the first found none (a word whose box is more than a
 * fifth covered by a first-pass word is the same word read twice, and is left out).
 */
export function mergePages(first: PageText[], second: PageText[]): PageText[] {
  return first.map((p) => {
    const extra = second.find((q) => q.num === p.num);
    if (!extra) return p;
    const have = p.items.map(boxOf);
    const added = extra.items.filter((it) => {
      const b = boxOf(it);
      const area = Math.max(1e-6, (b.x1 - b.x0) * (b.y1 - b.y0));
      return !have.some((h) => {
        const ox = Math.min(h.x1, b.x1) - Math.max(h.x0, b.x0);
        const oy = Math.min(h.y1, b.y1) - Math.max(h.y0, b.y0);
        return ox > 0 && oy > 0 && (ox * oy) / area > 0.2;
      });
    });
    return added.length ? { ...p, items: [...p.items, ...added] } : p;
  });
}
