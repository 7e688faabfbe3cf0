/**
 * Layouts the extractor has not been tuned on: invoices in French, German, English (UK/US/AU),
 * Spanish, Dutch, Italian and Swiss German, with labels beside or above values, merged header
 * cells, several date and number conventions, written as positioned text (see synth.ts).
 */
import { describe, expect, it } from 'vitest';
import { extractFromLayout } from '../../src/invoices/extract/index.ts';
import { cases, expected } from './layouts-cases.ts';
import { layoutOf } from './synth.ts';

describe('unseen layouts and languages', () => {
  it.each(Object.keys(cases))('%s', (name) => {
    const r = extractFromLayout(layoutOf(cases[name]));
    const [vendor, invoiceNumber, invoiceDate, dueDate, total, currency] = expected[name];
    expect({
      vendor: r.vendor,
      invoiceNumber: r.invoiceNumber,
      invoiceDate: r.invoiceDate,
      dueDate: r.dueDate,
      total: r.total,
      currency: r.currency,
    }).toEqual({
      vendor,
      invoiceNumber,
      invoiceDate,
      dueDate,
      total,
      currency,
    });
  });

  it('finds subtotal and tax that add up to the total', () => {
    const r = extractFromLayout(layoutOf(cases.de));
    expect([r.subtotal, r.tax]).toEqual([3400, 646]);
    const fr = extractFromLayout(layoutOf(cases.fr));
    expect([fr.subtotal, fr.tax]).toEqual([1250, 250]);
  });

  it('pairs labels with values whatever order the text comes in', () => {
    const shuffled = [...cases.us_stacked].reverse();
    const r = extractFromLayout(layoutOf(shuffled));
    expect([r.invoiceNumber, r.invoiceDate, r.dueDate, r.total]).toEqual(['10442', '2025-01-05', '2025-02-04', 18400]);
  });

  it('does not take the bill-to company for the vendor', () => {
    for (const name of ['uk', 'es', 'us_stacked', 'dmy_written']) {
      const r = extractFromLayout(layoutOf(cases[name]));
      expect(r.vendor).not.toMatch(/Acme|Promociones|Ridgeline|Harbour Homes/);
    }
  });

  it('reads line items with quantity × unit price', () => {
    const r = extractFromLayout(layoutOf(cases.de));
    expect(r.lines).toEqual([{ description: 'Heizungswartung', quantity: 4, unitPrice: 850, amount: 3400 }]);
  });

  it('gives low confidence when a field is guessed', () => {
    const r = extractFromLayout(
      layoutOf([
        [40, 40, 'Some Shop', 12],
        [40, 200, 'Thanks for your order! 12.00 $'],
      ]),
    );
    expect(r.invoiceNumber).toBeNull();
    expect(r.confidence.invoiceNumber).toBe(0);
    expect(r.confidence.total ?? 0).toBeLessThan(0.5);
  });
});
