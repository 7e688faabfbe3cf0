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

/**
 * Grayscale, scaled so its longest side is about OCR_LONG_SIDE (small screenshots are enlarged,
 * phone photos reduced), contrast stretched, optionally turned by a quarter-turn multiple.
 */
export async function preparePage(img: Sharp, opts: { longSide?: number; turn?: 0 | 90 | 180 | 270 } = {}): Promise<PreparedPage> {
  const flat = await img.clone().flatten({ background: '#ffffff' }).grayscale().raw().toBuffer({ resolveWithObject: true });
  const { width, height, channels } = flat.info;
  const long = opts.longSide ?? OCR_LONG_SIDE;
  const factor = long / Math.max(width, height);
  // sharp rotates before it resizes: the target size is that of the turned page.
  const sideways = opts.turn === 90 || opts.turn === 270;
  let p = sharp(flat.data, { raw: { width, height, channels } });
  if (opts.turn) p = p.rotate(opts.turn);
  if (Math.abs(factor - 1) > 0.05) p = p.resize({ width: Math.max(1, Math.round((sideways ? height : width) * factor)), kernel: 'lanczos3' });
  const { lo, hi } = channels === 1 ? levels(flat.data) : { lo: 0, hi: 255 };
  if (hi - lo > 24 && (lo > 8 || hi < 247)) p = p.linear(255 / (hi - lo), (-255 * lo) / (hi - lo));
  const out = await p.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  niceImageThreads();
  // Binary PGM: what tesseract's Leptonica reads fastest (no PNG encode/decode of ~10 MP).
  const header = Buffer.from(`P5\n${out.info.width} ${out.info.height}\n255\n`, 'latin1');
  return { png: Buffer.concat([header, out.data]), width: out.info.width, height: out.info.height };
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
  return { png: Buffer.concat([header, out.data]), width: out.info.width, height: out.info.height };
}

/** A PNG (e.g. a rendered PDF page) as a sharp pipeline. */
export function fromPng(png: Uint8Array): Sharp {
  return sharp(png, { limitInputPixels: MAX_INPUT_PIXELS });
}
