/** The invoice number is the whole token its label introduces. */
import { describe, expect, it } from 'vitest';
import { parseId } from '../../src/invoices/extract/fields.ts';
import { extractFromLayout } from '../../src/invoices/extract/read-layout.ts';
import { type Item, layoutOf } from './synth.ts';

const doc = (label: string, ...value: Item[]): Item[] => [
  [40, 40, 'Cloudworks Inc.', 14],
  [40, 56, '500 Market St, San Francisco, CA 94105'],
  [40, 90, label],
  ...value,
  [40, 104, 'Date of issue'],
  [160, 104, 'March 5, 2025'],
  [400, 300, 'Amount due'],
  [500, 300, '$120.00 USD'],
];

describe('invoice number = whole token', () => {
  it.each([
    ['1A2B3C4D-0007'],
    ['1A2B3C4D\u20110007'], // the non-breaking hyphen Stripe prints
    ['INV/2024/001'],
    ['RE-2024.03_17'],
    ['F–2024–0193'], // en dashes
  ])('reads %s whole', (printed) => {
    const r = extractFromLayout(layoutOf(doc('Invoice number', [160, 90, printed])));
    expect(r.invoiceNumber).toBe(printed.replace(/[\u2011–]/g, '-'));
  });

  it('reads a number split over two cells at its hyphen, or spaced on one side of it by OCR', () => {
    expect(extractFromLayout(layoutOf(doc('Invoice number', [160, 90, '1A2B3C4D-'], [212, 90, '0007']))).invoiceNumber).toBe('1A2B3C4D-0007');
    expect(extractFromLayout(layoutOf(doc('Invoice No.', [160, 90, 'INV'], [180, 90, '-2024-001']))).invoiceNumber).toBe('INV-2024-001');
    expect(parseId(': INV -2024-001')).toBe('INV-2024-001');
    expect(parseId('# 2024/ 118')).toBe('2024/118');
  });

  it('stops at the end of the token, not at prose after it', () => {
    expect(parseId('SE-5521 - Panel upgrade')).toBe('SE-5521');
    expect(parseId('INV-88 dated 05.03.2018')).toBe('INV-88');
  });
});

describe('a label OCR read with its first letters lost', () => {
  it('is still the invoice number label when the rest is read and it opens its cell', () => {
    const doc = (label: string) =>
      extractFromLayout(
        layoutOf([
          [40, 46, 'RENTAL INVOICE', 18],
          [370, 46, label],
          [465, 46, 'R-558201'],
          [370, 59, 'Contract'],
          [465, 59, 'CN-77120'],
          [370, 72, 'Invoice Date'],
          [465, 72, '02/18/2025'],
          [40, 300, 'Total'],
          [465, 300, '$8,362.37'],
        ]),
      ).invoiceNumber;
    expect(doc('voice Number')).toBe('R-558201');
    expect(doc('nvoice No.')).toBe('R-558201');
    // Inside a longer word it is another word ("Choice", "Zeichnung"), not a clipped label.
    expect(doc('Choice Number')).not.toBe('R-558201');
  });
});
