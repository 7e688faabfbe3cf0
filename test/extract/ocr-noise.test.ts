/** The same rules read OCR's typical confusions: O/0 and l/1 in numbers, digits in names, glued currencies. */
import { describe, expect, it } from 'vitest';
import { findAmounts, ocrNumberDigits } from '../../src/invoices/extract/numbers.ts';
import { cleanWord } from '../../src/invoices/extract/ocr.ts';
import { extractFromLayout } from '../../src/invoices/extract/read-layout.ts';
import { layoutOf } from './synth.ts';

describe('OCR noise', () => {
  it.each([
    ['RM1O.50', 10.5],
    ['l2.00', 12],
    ['3.O0', 3],
    ['1,2O0.00', 1200],
    ['EUR12,00', 12],
  ])('reads %s as %s', (raw, want) => {
    expect(findAmounts(`Total ${raw}`, raw.includes(',0') && !raw.includes('.') ? ',' : '.').map((a) => a.value)).toEqual([want]);
  });

  it('leaves letters in words alone', () => {
    for (const t of ['No. 5', 'Oil 3.00', 'Colour 10.50', 'Bill of Lading']) expect(ocrNumberDigits(t)).toBe(t);
    expect(findAmounts('INV2023.50 ABC12.00').map((a) => a.value)).toEqual([]);
  });

  it('reads a receipt with OCR confusions in the name, the total and the date', () => {
    const r = extractFromLayout(
      layoutOf([
        [80, 40, 'C0RNER HARDWARE', 12],
        [80, 56, 'NO 5, MAIN ROAD, 43000 KAJANG'],
        [80, 72, 'TAX INVOICE'],
        [80, 90, 'Date: l4/O3/2025'],
        [80, 130, 'CABLE TIE'],
        [380, 130, '6.5O'],
        [80, 170, 'TOTAL'],
        [380, 170, 'RM6.5O'],
      ]),
      { today: '2025-06-30' },
    );
    expect([r.vendor, r.invoiceDate, r.total]).toEqual(['CORNER HARDWARE', '2025-03-14', 6.5]);
  });
});

describe('OCR gaps and specks in amounts and dates', () => {
  it('joins cents OCR split off after the decimal mark, in the document’s own mark only', () => {
    expect(findAmounts('TOTAL 238. 87').map((a) => a.value)).toEqual([238.87]);
    expect(findAmounts('Bruttosumme 529, 87', ',').map((a) => a.value)).toEqual([529.87]);
    // A numbered list item, and the other mark, are not amounts to join.
    expect(findAmounts('1. 25 bags').map((a) => a.value)).toEqual([1, 25]);
    expect(findAmounts('Berlin 10115, 12 Stück', '.').map((a) => a.value)).not.toContain(10115.12);
  });

  it('reads the total of a photographed receipt whose figures have a gap after the point', () => {
    const r = extractFromLayout(
      layoutOf([
        [80, 40, 'TRI-COUNTY RENTAL & SUPPLY', 12],
        [80, 60, 'INVOICE: 7731-0042'],
        [80, 72, 'DATE: 09/12/25'],
        [214, 312, 'SUBTOTAL'],
        [310, 312, '220. 92'],
        [214, 323, 'TAX 8.125%'],
        [316, 323, '17. 95'],
        [214, 334, 'TOTAL'],
        [310, 334, '238. 87'],
      ]),
    );
    expect(r.total).toBe(238.87);
    expect(r.confidence.total).toBeGreaterThanOrEqual(0.8);
  });

  it('drops a speck read as punctuation before a date, and nothing else', () => {
    expect(cleanWord('.05.03.2018')).toBe('05.03.2018');
    expect(cleanWord("'12/03/25")).toBe('12/03/25');
    for (const w of ['.50', '.5.00', 'No.5', '05.03.2018', '...']) expect(cleanWord(w)).toBe(w);
  });
});
