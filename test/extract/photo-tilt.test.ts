/**
 * A photo taken at a slight angle is straightened before it is read (tesseract glues and splits the words of tilted
 * lines), and a table's ruled lines read as characters are not taken for part of the value. Pages are rendered here
 * from the project's own generated invoices.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { closeExtractor, extractInvoice } from '../../src/invoices/extract/index.ts';
import { preparePage } from '../../src/invoices/extract/image.ts';
import { cleanWord, isSpeck } from '../../src/invoices/extract/ocr.ts';
import { withPdf } from '../../src/invoices/extract/pdf.ts';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/invoices');

async function rendered(file: string, dpi: number): Promise<Buffer> {
  const r = await withPdf(readFileSync(path.join(fixtures, file)), (pdf) => pdf.render(1, dpi));
  if (!r) throw new Error(`could not render ${file}`);
  return Buffer.from(r.png);
}

/** The page as held at an angle over a dark desk (sharp turns clockwise for a positive angle). */
const tilted = (png: Buffer, deg: number) => sharp(png).rotate(deg, { background: '#3a3530' }).jpeg({ quality: 70 }).toBuffer();

afterAll(() => closeExtractor());

describe('photos taken at an angle', () => {
  it('measures the tilt of the text lines, and leaves a level page alone', async () => {
    const png = await rendered('us-rental-summit.pdf', 100);
    for (const deg of [3.5, -4.5, 1.5]) {
      const p = await preparePage(sharp(await tilted(png, deg)), { longSide: 1200 });
      expect(Math.abs(p.tilt - deg)).toBeLessThanOrEqual(0.3);
    }
    expect((await preparePage(sharp(png), { longSide: 1200 })).tilt).toBe(0);
    // Turned a quarter: the tilt is measured on the upright page.
    const sideways = await sharp(await tilted(png, 3))
      .rotate(90)
      .toBuffer();
    expect(Math.abs((await preparePage(sharp(sideways), { turn: 270, longSide: 1200 })).tilt - 3)).toBeLessThanOrEqual(0.3);
  });

  it('reads the header of a photo tilted by 4° as printed', async () => {
    const photo = await tilted(await rendered('us-lumber-cascade.pdf', 200), 4);
    const r = await extractInvoice(photo);
    if (!r.ok) throw new Error(r.message);
    expect([r.vendor, r.invoiceNumber, r.invoiceDate, r.total]).toEqual(['Cascade Lumber & Building Supply, Inc.', '204871', '2025-03-04', 4587.65]);
  });
});

describe('table rules read as characters', () => {
  it('drops | _ [ ] glued to either end of a word, never inside it', () => {
    expect(cleanWord('__530,75€|')).toBe('530,75€');
    expect(cleanWord('[Règlement')).toBe('Règlement');
    expect(cleanWord('Rem.|')).toBe('Rem.');
    expect(cleanWord('|10%|')).toBe('10%');
    for (const w of ['WELCOME_PACK_2017', 'BLR_WFLD2015', '|', '_']) expect(cleanWord(w)).toBe(w);
  });

  it('drops words of marks only (specks, rules) but keeps signs that mean something alone', () => {
    for (const w of ['‘', '.', ';', ']', '|', '__', '=', '“']) expect(isSpeck(w)).toBe(true);
    for (const w of ['€', '$', '-', '#', '%', '&', '+', 'a', '1', '.5']) expect(isSpeck(w)).toBe(false);
  });
});
