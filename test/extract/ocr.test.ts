/**
 * Photos, screenshots and scans: OCR'd words go through the same layout and field rules as a PDF's
 * text layer. Images are made here from the project's own fixture PDFs (rendered, rotated,
 * re-encoded). OCR costs CPU: few, small pages.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { closeExtractor, type Extraction, extractInvoice, usableTextLayer } from '../../src/invoices/extract/index.ts';
import { imageKind } from '../../src/invoices/extract/image.ts';
import { localLangPath, OCR_LANGS } from '../../src/invoices/extract/ocr.ts';
import { type PageText, withPdf } from '../../src/invoices/extract/pdf.ts';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/invoices');

/** Page 1 of a fixture PDF as pixels (what a screenshot or a scan of it holds). */
async function rendered(file: string, dpi: number): Promise<Buffer> {
  const r = await withPdf(readFileSync(path.join(fixtures, file)), (pdf) => pdf.render(1, dpi));
  if (!r) throw new Error(`could not render ${file}`);
  return Buffer.from(r.png);
}

/** An image-only PDF (a scanner's output): each page one JPEG, no text layer. */
async function scannedPdf(jpeg: Buffer, pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const img = await doc.embedJpg(jpeg);
  for (let i = 0; i < pages; i++) doc.addPage([612, 792]).drawImage(img, { x: 0, y: 0, width: 612, height: 792 });
  return Buffer.from(await doc.save());
}

function ok(r: Awaited<ReturnType<typeof extractInvoice>>): Extraction {
  if (!r.ok) throw new Error(`unreadable: ${r.reason} ${r.message}`);
  return r;
}

afterAll(() => closeExtractor());

describe('images and scans are read by OCR', () => {
  it('a phone photo turned 90° (JPEG) reads the vendor, number, date and total', async () => {
    const photo = await sharp(await rendered('us-rental-bigsky.pdf', 200))
      .rotate(90)
      .jpeg({ quality: 70 })
      .toBuffer();
    const r = ok(await extractInvoice(photo));
    expect(r).toMatchObject({
      source: 'ocr',
      vendor: 'Big Sky Aerial & Lift, Inc.',
      invoiceNumber: '00041977',
      invoiceDate: '2025-11-07',
      total: 4720,
      currency: 'USD',
    });
    expect(r.ocrText).toMatch(/Balance Due/);
  }, 120_000);

  it('an upside-down PNG of a French invoice reads its fields', async () => {
    const png = await sharp(await rendered('factur-x-Facture_FR_BASICWL.pdf', 150))
      .rotate(180)
      .png()
      .toBuffer();
    const r = ok(await extractInvoice(png));
    expect(r).toMatchObject({
      source: 'ocr',
      invoiceNumber: 'FA-2017-0010',
      invoiceDate: '2017-11-13',
      total: 671.15,
      currency: 'EUR',
    });
    expect(r.vendor).toMatch(/Au bon moulin/);
  }, 120_000);

  it('a scanned PDF (pages are images) is rendered and OCR’d, with progress per page; past the page budget it is too_long with the fields read', async () => {
    const jpeg = await sharp(await rendered('us-lumber-cascade.pdf', 150))
      .jpeg({ quality: 75 })
      .toBuffer();
    const scan = await scannedPdf(jpeg, 2);
    const progress: Array<{ page: number; pages: number }> = [];
    const r = ok(await extractInvoice(scan, { onProgress: (p) => progress.push(p) }));
    // (A trailing period is within OCR's noise: vendor matching ignores punctuation.)
    expect(r).toMatchObject({
      source: 'ocr',
      pages: 2,
      vendor: expect.stringMatching(/^Cascade Lumber & Building Supply, Inc\.?$/),
      invoiceNumber: '204871',
      total: 4587.65,
    });
    expect(progress).toEqual([
      { page: 1, pages: 2 },
      { page: 2, pages: 2 },
    ]);

    const cut = await extractInvoice(scan, { budget: { maxPages: 1, maxSeconds: 60 } });
    expect(cut).toMatchObject({
      ok: false,
      reason: 'too_long',
      message: 'This file is too long to read automatically — please fill it in.',
    });
    expect(!cut.ok && cut.partial).toMatchObject({ invoiceNumber: '204871', total: 4587.65, pages: 2 });
  }, 180_000);

  // The degraded-photo fixtures (scripts/photos, branch photos) include iPhone HEIC files: decoded by heic-decode.
  const heic = path.resolve(import.meta.dirname, '../fixtures/photos/factur-x-Facture_DOM_BASICWL.photo.heic');
  it.skipIf(!existsSync(heic))(
    'a HEIC phone photo (tilted, uneven light) reads its number, date and total',
    async () => {
      const r = ok(await extractInvoice(readFileSync(heic)));
      expect(r).toMatchObject({
        source: 'ocr',
        invoiceNumber: 'FA-2017-0009',
        invoiceDate: '2017-11-05',
        total: 530.75,
        currency: 'EUR',
      });
    },
    120_000,
  );

  it('an image with no text (a photo of a wall) → no_text with a clear message', async () => {
    const wall = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#b8a48c' } })
      .composite([
        {
          input: Buffer.from('<svg width="1200" height="900"><rect x="100" y="80" width="500" height="300" fill="#8a7660"/></svg>'),
        },
      ])
      .jpeg({ quality: 80 })
      .toBuffer();
    expect(await extractInvoice(wall)).toMatchObject({
      ok: false,
      reason: 'no_text',
      message: expect.stringMatching(/couldn’t find any text in this image/),
    });
  }, 60_000);
});

describe('file kinds and text layers', () => {
  it('recognises images by their bytes, not their names', async () => {
    const px = sharp({ create: { width: 16, height: 16, channels: 3, background: '#fff' } });
    expect(imageKind(await px.clone().jpeg().toBuffer())).toBe('jpeg');
    expect(imageKind(await px.clone().png().toBuffer())).toBe('png');
    expect(imageKind(await px.clone().webp().toBuffer())).toBe('webp');
    expect(imageKind(await px.clone().tiff().toBuffer())).toBe('tiff');
    expect(imageKind(Buffer.from('0000001c6674797068656963000000006d69663168656963', 'hex'))).toBe('heic');
    expect(imageKind(Buffer.from('%PDF-1.7\n%âãÏÓ\n'))).toBeNull();
  });

  it('a damaged image gets the "can’t open" message, not a crash', async () => {
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    expect(await extractInvoice(png.subarray(0, 40))).toMatchObject({ ok: false, reason: 'not_pdf' });
  });

  it('a text layer that is missing, too thin or mostly symbols is not used', () => {
    const page = (strs: string[]): PageText => ({
      num: 1,
      width: 612,
      height: 792,
      items: strs.map((str, i) => ({ str, x: 50, y: 50 + 14 * i, w: 100, h: 10 })),
    });
    expect(usableTextLayer([page(['Invoice 4711', 'Total 119.00 EUR', 'ACME Tools GmbH, Hauptstr. 1, 10115 Berlin'])])).toBe(true);
    expect(usableTextLayer([page([])])).toBe(false);
    expect(usableTextLayer([page(['1'])])).toBe(false);
    expect(
      usableTextLayer([page(['\uE001\uE002\uE003\uE004 \uE005\uE006\uE007', '#$%&*@!~^ ()[]{}<>|', '\uE010\uE011\uE012\uE013\uE014\uE015'])]),
    ).toBe(false);
  });

  it('trained data comes from the local @tesseract.js-data packages (nothing downloaded)', () => {
    const dir = localLangPath(OCR_LANGS);
    expect(path.isAbsolute(dir)).toBe(true);
    for (const lang of OCR_LANGS) {
      const target = realpathSync(path.join(dir, `${lang}.traineddata.gz`));
      expect(target).toMatch(new RegExp(`node_modules/@tesseract\\.js-data/${lang}/`));
    }
  });
});
