/**
 * Makes one degraded file from one plan item: renders the invoice's page 1 (and the page with the total) and degrades
 * it as its variant says. Pure apart from reading the source PDF and, for HEIC, running `heif-enc`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { photoJpeg, photoRaster, scanJpeg, scanTiff, screenshotPng } from './degrade.ts';
import { outputName, type PlanItem } from './plan.ts';
import { rngFor } from './prng.ts';
import { pagesToShoot, renderPages } from './render.ts';
import { scanPdf } from './scan-pdf.ts';

const run = promisify(execFile);

export const invoicesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/invoices');
export const DEFAULT_SEED = 20261201;
/** Render resolution before degrading (a phone photo of a page or a 200 dpi scan). */
export const RENDER_DPI = 200;

export interface InvoiceRecord {
  file: string;
  source?: unknown;
  expectedFrom?: string;
  expected: { total?: number; [k: string]: unknown };
}

export interface Made {
  name: string;
  bytes: Buffer;
  degraded: Record<string, unknown>;
}

/** Whether `heif-enc` (Debian's libheif-examples) can be run. */
export async function haveHeifEnc(): Promise<boolean> {
  try {
    await run('heif-enc', ['--help']);
    return true;
  } catch (err) {
    // heif-enc --help exits non-zero on some versions but still prints its usage.
    return (err as { code?: unknown }).code !== 'ENOENT';
  }
}

async function heic(png: Buffer, quality: number): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'heic-'));
  try {
    await writeFile(path.join(dir, 'in.png'), png);
    await run('heif-enc', ['-q', String(quality), '--no-alpha', '-o', path.join(dir, 'out.heic'), path.join(dir, 'in.png')]);
    return await readFile(path.join(dir, 'out.heic'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function makeOne(item: PlanItem, record: InvoiceRecord, seed = DEFAULT_SEED, dir = invoicesDir): Promise<Made> {
  const name = outputName(item);
  const rng = rngFor(seed, name);
  const pdf = await readFile(path.join(dir, item.src));
  const v = item.variant;
  const shoot = await pagesToShoot(pdf, record.expected.total);
  const base = { sourcePages: shoot.pageCount, renderDpi: RENDER_DPI };
  if (v.kind === 'scan') {
    const rendered = await renderPages(pdf, shoot.pages, RENDER_DPI);
    const scans = [];
    for (const page of rendered) scans.push(await scanJpeg(page, rng, v.turn));
    const bytes = await scanPdf(
      scans.map((s) => ({ jpeg: s.bytes, width: s.width, height: s.height, dpi: RENDER_DPI })),
      `Scan ${item.src.replace(/\.pdf$/i, '')}`,
    );
    return {
      name,
      bytes,
      degraded: { ...base, kind: 'scan', pages: shoot.pages, textLayer: false, perPage: scans.map((s) => s.params) },
    };
  }
  if (shoot.pages.length > 1) throw new Error(`${item.src}: total is on page ${shoot.pages[1]}; a single image cannot show it (use a scan)`);
  const [page] = await renderPages(pdf, [1], RENDER_DPI);
  if (v.kind === 'screenshot') {
    const { bytes, params } = await screenshotPng(page, rng);
    return { name, bytes, degraded: { ...base, ...params, pages: [1] } };
  }
  if (v.kind === 'heic') {
    const { raster, params } = await photoRaster(page, rng, v.turn, false);
    const png = await raster.png({ compressionLevel: 1 }).toBuffer();
    const quality = 50;
    const bytes = await heic(png, quality);
    return { name, bytes, degraded: { ...base, ...params, jpegQuality: undefined, heicQuality: quality, pages: [1] } };
  }
  if (v.kind === 'tiff') {
    const { bytes, params } = await scanTiff(page, rng);
    return { name, bytes, degraded: { ...base, ...params, pages: [1] } };
  }
  if (v.kind === 'webp') {
    const { raster, params } = await photoRaster(page, rng, 0, false);
    const webpQuality = params.jpegQuality;
    const bytes = await raster.webp({ quality: webpQuality, effort: 4 }).toBuffer();
    return {
      name,
      bytes,
      degraded: { ...base, ...params, format: 'webp', jpegQuality: undefined, webpQuality, pages: [1] },
    };
  }
  const { bytes, params } = await photoJpeg(page, rng, v.turn, v.exif);
  return { name, bytes, degraded: { ...base, ...params, pages: [1] } };
}
