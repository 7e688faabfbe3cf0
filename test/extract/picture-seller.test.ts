/**
 * A text PDF whose seller is printed only as a picture (a letterhead image) has that picture read by OCR for the
 * seller, while every other field keeps the text layer's exact value. Made here from the project's own invoice.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { closeExtractor, extractInvoice } from '../../src/invoices/extract/index.ts';
import { withPdf } from '../../src/invoices/extract/pdf.ts';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/invoices');
const DPI = 200;

/** The letterhead of the project's Summit invoice (name and address lines), as a PNG. */
async function letterhead(): Promise<Buffer> {
  const r = await withPdf(readFileSync(path.join(fixtures, 'us-rental-summit.pdf')), (pdf) => pdf.render(1, DPI));
  if (!r) throw new Error('could not render');
  const px = (pt: number) => Math.round((pt * DPI) / 72);
  return sharp(Buffer.from(r.png))
    .extract({ left: px(36), top: px(54), width: px(300), height: px(32) })
    .png()
    .toBuffer();
}

async function invoice(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([612, 792]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawImage(await doc.embedPng(await letterhead()), { x: 36, y: 792 - 86, width: 300, height: 32 });
  const text = (x: number, yTop: number, s: string, size = 10) => page.drawText(s, { x, y: 792 - yTop, size, font });
  text(400, 50, 'INVOICE', 16);
  text(400, 110, 'Invoice Number');
  text(490, 110, 'R-1001');
  text(400, 124, 'Invoice Date');
  text(490, 124, '02/18/2025');
  text(40, 200, 'Description');
  text(500, 200, 'Amount');
  text(40, 216, 'Skid steer, 1 week');
  text(500, 216, '1,250.00');
  text(400, 260, 'Total');
  text(500, 260, '$1,250.00');
  return Buffer.from(await doc.save());
}

afterAll(() => closeExtractor());

describe('a seller printed as a picture in a text PDF', () => {
  it('reads the seller from the picture and keeps the text layer’s fields', async () => {
    const bytes = await invoice();
    const r = await extractInvoice(bytes);
    if (!r.ok) throw new Error(r.message);
    expect(r.source).toBe('text');
    expect([r.vendor, r.invoiceNumber, r.invoiceDate, r.total]).toEqual(['Summit Equipment Rentals LLC', 'R-1001', '2025-02-18', 1250]);
  });
});
