/**
 * The degraded photo/scan fixtures (test/fixtures/photos, made by scripts/make-photos.ts): the generator is
 * deterministic, and the committed files are what expected.json says they are. No OCR here.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PDFParse } from 'pdf-parse';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED, type InvoiceRecord, invoicesDir, makeOne } from '../../scripts/photos/make.ts';
import { outputName, PLAN, type PlanItem } from '../../scripts/photos/plan.ts';
import { longScan, photosDir } from '../../scripts/photos/scan-pdf.ts';

interface PhotoRecord {
  file: string;
  derivedFrom: string;
  expected: Record<string, unknown>;
  degraded: { kind: string; turn?: number; exifOrientation?: number | null; pages: number[] };
}

const photos = JSON.parse(readFileSync(path.join(photosDir, 'expected.json'), 'utf8')) as Record<string, PhotoRecord>;
const invoices = JSON.parse(readFileSync(path.join(invoicesDir, 'expected.json'), 'utf8')) as Record<string, InvoiceRecord>;
// heic-decode ships no types (CommonJS): typed here for the one call this test makes.
const decodeHeic = createRequire(import.meta.url)('heic-decode') as (o: { buffer: Buffer }) => Promise<{ width: number; height: number }>;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const committed = (name: string) => readFileSync(path.join(photosDir, name));

async function pdfText(bytes: Buffer): Promise<{ pages: number; letters: number }> {
  const p = new PDFParse({ data: new Uint8Array(bytes), verbosity: 0 });
  try {
    const t = await p.getText({ pageJoiner: '' });
    return { pages: t.total, letters: (t.text.match(/\p{L}/gu) ?? []).length };
  } finally {
    await p.destroy();
  }
}

/** Grey thumbnail pixels, to compare two encodings of the same picture. */
async function thumb(b: Buffer): Promise<Buffer> {
  return sharp(b).grayscale().resize(200, 260, { fit: 'fill' }).raw().toBuffer();
}

describe('make-photos generator', () => {
  const item = PLAN.find((p) => p.variant.kind === 'photo' && p.variant.turn === 90) as PlanItem;

  it('gives the same bytes for the same seed, other bytes for another seed, and the picture that is committed', async () => {
    const rec = invoices[item.src];
    const a = await makeOne(item, rec, DEFAULT_SEED);
    const b = await makeOne(item, rec, DEFAULT_SEED);
    expect(sha(a.bytes)).toBe(sha(b.bytes));
    expect(a.degraded).toEqual(b.degraded);
    const other = await makeOne(item, rec, DEFAULT_SEED + 1);
    expect(sha(other.bytes)).not.toBe(sha(a.bytes));
    expect(other.degraded).not.toEqual(a.degraded);

    // The committed file is this generator's output (same size; pixels equal up to codec/SIMD differences elsewhere).
    const name = outputName(item);
    expect(a.name).toBe(name);
    expect(photos[name].degraded).toEqual(JSON.parse(JSON.stringify(a.degraded)));
    const [m1, m2] = await Promise.all([sharp(a.bytes).metadata(), sharp(committed(name)).metadata()]);
    expect([m1.width, m1.height]).toEqual([m2.width, m2.height]);
    const [t1, t2] = await Promise.all([thumb(a.bytes), thumb(committed(name))]);
    let diff = 0;
    for (let i = 0; i < t1.length; i++) diff += Math.abs(t1[i] - t2[i]);
    expect(diff / t1.length).toBeLessThan(2);
  });

  it('builds a long scan with no text layer at run time', async () => {
    const pdf = await longScan(20);
    const t = await pdfText(pdf);
    expect(t.pages).toBe(20);
    expect(t.letters).toBe(0);
  });
});

describe('committed photo fixtures', () => {
  const files = readdirSync(photosDir).filter((f) => f !== 'expected.json' && f !== 'NOTICE');

  it('has one expected.json record per file, copied from the invoice it was made from', () => {
    expect(files.sort()).toEqual(Object.keys(photos).sort());
    expect(files.length).toBeGreaterThanOrEqual(20);
    for (const [name, rec] of Object.entries(photos)) {
      expect(rec.file).toBe(name);
      expect(invoices[rec.derivedFrom], name).toBeDefined();
      expect(rec.expected, name).toEqual(invoices[rec.derivedFrom].expected);
    }
    const bytes = files.reduce((n, f) => n + statSync(path.join(photosDir, f)).size, 0);
    expect(bytes).toBeLessThan(10 * 1024 * 1024);
  });

  it('covers JPEG photos (upright, 90°, 180°, 270°, EXIF-rotated), PNG screenshots, HEIC, WebP, a TIFF scan and scanned PDFs', () => {
    const kinds = Object.keys(photos).map((f) => path.extname(f));
    for (const ext of ['.jpg', '.png', '.heic', '.webp', '.tif', '.pdf']) expect(kinds).toContain(ext);
    const turns = Object.values(photos)
      .filter((r) => r.degraded.kind === 'photo')
      .map((r) => (r.degraded.exifOrientation ? 'exif' : r.degraded.turn));
    for (const t of [0, 90, 180, 270, 'exif']) expect(turns).toContain(t);
  });

  it('stores each image the way its record says: format, and sideways when turned 90°/270°', async () => {
    for (const [name, rec] of Object.entries(photos)) {
      const b = committed(name);
      if (name.endsWith('.pdf')) {
        expect(b.subarray(0, 5).toString('latin1'), name).toBe('%PDF-');
        const t = await pdfText(b);
        expect(t.pages, name).toBe(rec.degraded.pages.length);
        expect(t.letters, `${name} has a text layer`).toBe(0);
        continue;
      }
      if (name.endsWith('.heic')) {
        expect(b.subarray(4, 12).toString('latin1'), name).toBe('ftypheic');
        const img = await decodeHeic({ buffer: b });
        expect(img.height, name).toBeGreaterThan(img.width);
        continue;
      }
      const m = await sharp(b).metadata();
      const format = { '.png': 'png', '.jpg': 'jpeg', '.webp': 'webp', '.tif': 'tiff' }[path.extname(name)];
      expect(m.format, name).toBe(format);
      const sideways = rec.degraded.turn === 90 || rec.degraded.turn === 270 || rec.degraded.exifOrientation === 6;
      expect((m.width ?? 0) > (m.height ?? 0), name).toBe(sideways);
      expect(m.orientation ?? 1, name).toBe(rec.degraded.exifOrientation ?? 1);
    }
  });
});
