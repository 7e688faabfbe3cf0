/**
 * The only module that touches sharp and heic-decode: recognising image files by their magic bytes,
 * decoding them (HEIC through heic-decode, everything else through sharp) and preparing pages for
 * OCR — EXIF orientation, grayscale, scaling to about 300 DPI, contrast, rotation by quarter turns.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { getPriority, setPriority } from 'node:os';
import sharp, { type Sharp } from 'sharp';

export type ImageKind = 'jpeg' | 'png' | 'webp' | 'tiff' | 'heic';

const require = createRequire(import.meta.url);
type HeicDecode = (o: { buffer: Uint8Array }) => Promise<{ width: number; height: number; data: Uint8ClampedArray }>;

/** The image format from the first bytes (never from the file name); null when not an image we read. */
export function imageKind(bytes: Uint8Array): ImageKind | null {
  if (bytes.length < 12) return null;
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 32));
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  const tiffHead = b.toString('latin1', 0, 4);
  if (tiffHead === 'II*\0' || tiffHead === 'MM\0*') return 'tiff';
  if (b.toString('latin1', 4, 8) === 'ftyp') {
    const brand = b.toString('latin1', 8, 12);
    if (/^(heic|heix|hevc|hevx|heim|heis|mif1|msf1)$/.test(brand)) return 'heic';
  }
  return null;
}

export class ImageError extends Error {
  override name = 'ImageError';
}

/** Pixels of a page, ready for OCR: a grayscale image file (binary PGM) plus its size. */
export interface PreparedPage {
  png: Buffer;
  width: number;
  height: number;
  /** The tilt measured on the page, degrees (0: level). */
  tilt: number;
  /** Whether the page was turned back by that tilt (`straighten`). */
  straightened: boolean;
}

/** Longest side, in pixels, a page is read at: about 300 DPI for A4/Letter. */
export const OCR_LONG_SIDE = 3000;
/** Images larger than this (pixels) are refused before decoding (decompression bombs). */
const MAX_INPUT_PIXELS = 100_000_000;

/** An image as sharp pipelines, one per page (multi-page TIFF), EXIF orientation applied. */
export async function openImage(bytes: Buffer, kind: ImageKind): Promise<Sharp[]> {
  try {
    if (kind === 'heic') {
      const decode = require('heic-decode') as HeicDecode;
      const img = await decode({ buffer: bytes });
      if (img.width * img.height > MAX_INPUT_PIXELS) throw new ImageError('image too large');
      const raw = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength);
      return [sharp(raw, { raw: { width: img.width, height: img.height, channels: 4 } })];
    }
    const meta = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
    const pages = kind === 'tiff' ? Math.max(1, meta.pages ?? 1) : 1;
    return Array.from({ length: pages }, (_, page) => sharp(bytes, { page, limitInputPixels: MAX_INPUT_PIXELS }).rotate());
  } catch (err) {
    if (err instanceof ImageError) throw err;
    throw new ImageError(String((err as Error)?.message ?? err));
  }
}

/**
 * Levels for a contrast stretch: the darkest ink (0.05th percentile) to black, the paper (the
 * 99.5th percentile) to white. Percentile-based normalisation of the whole image does not work on
 * documents: most of a page is paper, so a 1% "dark" point is paper noise (JPEG ringing) that
 * would be stretched to black.
 */
function levels(gray: Buffer): { lo: number; hi: number } {
  const hist = new Uint32Array(256);
  const step = gray.length > 4_000_000 ? 3 : 1;
  let n = 0;
  for (let i = 0; i < gray.length; i += step) {
    hist[gray[i]]++;
    n++;
  }
  const at = (q: number) => {
    let acc = 0;
    for (let v = 0; v < 256; v++) {
      acc += hist[v];
      if (acc >= q * n) return v;
    }
    return 255;
  };
  return { lo: at(0.0005), hi: at(0.995) };
}

/** Tilts (degrees) tried when straightening a photo, and the sample width its text lines are measured at. */
const MAX_TILT_DEG = 8;
const TILT_STEP_DEG = 0.2;
const TILT_SAMPLE_WIDTH = 800;

/**
 * The tilt of a page's text lines in degrees (positive: lines fall to the right), by projection profile: ink pixels
 * (darker than their surroundings, so a dark table or background around the page does not count) are summed along
 * lines of each candidate slope, and the slope whose sums are the most peaked (ink on the lines, paper between them)
 * wins. 0 when no slope is clearly better than level.
 */
export function textTilt(gray: Uint8Array, background: Uint8Array, width: number, height: number): number {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (gray[i] + 24 < background[i]) {
        xs.push(x - width / 2);
        ys.push(y);
      }
    }
  }
  if (xs.length < 200) return 0;
  const span = Math.ceil(height + width * Math.tan((MAX_TILT_DEG * Math.PI) / 180)) + 2;
  const hist = new Float64Array(2 * span);
  const peakedness = (deg: number) => {
    const t = Math.tan((deg * Math.PI) / 180);
    hist.fill(0);
    for (let k = 0; k < xs.length; k++) hist[Math.round(ys[k] - xs[k] * t) + span]++;
    let s = 0;
    for (let b = 0; b < hist.length; b++) s += hist[b] * hist[b];
    return s;
  };
  const level = peakedness(0);
  let best = { deg: 0, s: level };
  for (let deg = -MAX_TILT_DEG; deg <= MAX_TILT_DEG + 1e-9; deg += TILT_STEP_DEG) {
    const s = peakedness(deg);
    if (s > best.s) best = { deg, s };
  }
  // Below a third of a degree, or barely better than level: leave the page as it is.
  return Math.abs(best.deg) < 0.3 || best.s < level * 1.05 ? 0 : Math.round(best.deg * 10) / 10;
}

/** The tilt of a grayscale page (raw, one channel) once turned by `turn`, measured on a small copy. */
async function measureTilt(gray: Buffer, width: number, height: number, turn: number): Promise<number> {
  let small = sharp(gray, { raw: { width, height, channels: 1 } });
  if (turn) small = small.rotate(turn);
  const s = await small
    .resize({ width: TILT_SAMPLE_WIDTH, height: TILT_SAMPLE_WIDTH, fit: 'inside' })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const bg = await sharp(s.data, { raw: { width: s.info.width, height: s.info.height, channels: 1 } })
    .blur(12)
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  return textTilt(s.data, bg, s.info.width, s.info.height);
}

/** Width and height of a w × h image turned by `deg` (its bounding box). */
function turnedSize(w: number, h: number, deg: number): { w: number; h: number } {
  const a = (deg * Math.PI) / 180;
  const [c, s] = [Math.abs(Math.cos(a)), Math.abs(Math.sin(a))];
  return { w: w * c + h * s, h: w * s + h * c };
}

/**
 * Grayscale, turned by a quarter-turn multiple and, with `straighten`, turned back by its measured tilt (tesseract
 * glues and splits the words of lines tilted by a few degrees; straightening also blurs a little, so the caller
 * decides), scaled so its longest side is about OCR_LONG_SIDE (small screenshots are
 * enlarged, phone photos reduced), contrast stretched.
 */
export async function preparePage(
  img: Sharp,
  opts: { longSide?: number; turn?: 0 | 90 | 180 | 270; straighten?: boolean } = {},
): Promise<PreparedPage> {
  const flat = await img.clone().flatten({ background: '#ffffff' }).grayscale().raw().toBuffer({ resolveWithObject: true });
  const { width, height, channels } = flat.info;
  const long = opts.longSide ?? OCR_LONG_SIDE;
  const turn = opts.turn ?? 0;
  const tilt = channels === 1 ? await measureTilt(flat.data, width, height, turn) : 0;
  const undo = opts.straighten ? tilt : 0;
  // The longest side of the turned page is the one that is OCR_LONG_SIDE long.
  const size = turnedSize(width, height, turn + undo);
  const factor = long / Math.max(size.w, size.h);
  let p = sharp(flat.data, { raw: { width, height, channels } });
  // Scaled first, then turned: a small photo turned before it is enlarged comes out blurred.
  if (Math.abs(factor - 1) > 0.05) p = p.resize({ width: Math.max(1, Math.round(width * factor)), kernel: 'lanczos3' });
  if (turn || undo) p = p.rotate(turn - undo, { background: '#ffffff' });
  const { lo, hi } = channels === 1 ? levels(flat.data) : { lo: 0, hi: 255 };
  if (hi - lo > 24 && (lo > 8 || hi < 247)) p = p.linear(255 / (hi - lo), (-255 * lo) / (hi - lo));
  const out = await p.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  niceImageThreads();
  // Binary PGM: what tesseract's Leptonica reads fastest (no PNG encode/decode of ~10 MP).
  const header = Buffer.from(`P5\n${out.info.width} ${out.info.height}\n255\n`, 'latin1');
  return { png: Buffer.concat([header, out.data]), width: out.info.width, height: out.info.height, tilt, straightened: undo !== 0 };
}

/**
 * libvips starts its worker threads from libuv's pool (threads the main thread started, at the main thread's
 * priority), so they do not inherit a reading thread's lower priority: after each page they are given the calling
 * thread's nice value too (Linux, found by name; elsewhere nothing happens).
 */
function niceImageThreads(): void {
  try {
    const nice = getPriority();
    if (nice <= 0) return;
    for (const t of readdirSync('/proc/self/task')) {
      if (readFileSync(`/proc/self/task/${t}/comm`, 'latin1').startsWith('libvips') && getPriority(Number(t)) < nice) setPriority(Number(t), nice);
    }
  } catch {
    /* not Linux, or not allowed */
  }
}

/**
 * A box of a prepared page (pixels, clamped to the page), scaled by `scale` and framed in white, ready for OCR:
 * one line read again alone (a second look at a doubtful field).
 */
export async function cropPage(
  page: PreparedPage,
  box: { left: number; top: number; width: number; height: number },
  scale = 1,
): Promise<PreparedPage> {
  const left = Math.max(0, Math.min(page.width - 1, Math.round(box.left)));
  const top = Math.max(0, Math.min(page.height - 1, Math.round(box.top)));
  const width = Math.max(1, Math.min(page.width - left, Math.round(box.width)));
  const height = Math.max(1, Math.min(page.height - top, Math.round(box.height)));
  const raw = page.png.subarray(page.png.length - page.width * page.height);
  let p = sharp(raw, { raw: { width: page.width, height: page.height, channels: 1 } }).extract({ left, top, width, height });
  if (Math.abs(scale - 1) > 0.05) p = p.resize({ width: Math.max(1, Math.round(width * scale)), kernel: 'lanczos3' });
  const pad = Math.round(12 * Math.max(1, scale));
  const out = await p
    .extend({ top: pad, bottom: pad, left: pad, right: pad, background: '#ffffff' })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const header = Buffer.from(`P5\n${out.info.width} ${out.info.height}\n255\n`, 'latin1');
  return { png: Buffer.concat([header, out.data]), width: out.info.width, height: out.info.height, tilt: 0, straightened: false };
}

/** A PNG (e.g. a rendered PDF page) as a sharp pipeline. */
export function fromPng(png: Uint8Array): Sharp {
  return sharp(png, { limitInputPixels: MAX_INPUT_PIXELS });
}
