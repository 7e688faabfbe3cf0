/**
 * The total is the labelled grand total that agrees with the document's arithmetic; identifiers
 * (registration, phone, tax id, IBAN, postcode, order numbers) are never amounts.
 */
import { describe, expect, it } from 'vitest';
import { CHECK_BELOW, extractFromLayout } from '../../src/invoices/extract/read-layout.ts';
import { findAmounts, isIdentifier } from '../../src/invoices/extract/numbers.ts';
import { type Item, layoutOf } from './synth.ts';

const read = (items: Item[]) => extractFromLayout(layoutOf(items), { today: '2025-06-30' });

describe('total = labelled grand total checked by arithmetic', () => {
  it('never takes a registry number, phone or tax id for the total (net + tax = gross decides)', () => {
    const r = read([
      [60, 130, 'Holzbau Weber · Dorfstr. 2 · 79100 Freiburg', 7],
      [60, 240, 'Rechnung Nr. 2024-77', 14],
      [350, 260, 'Datum: 03.04.2024'],
      [350, 400, 'Netto'],
      [500, 400, '1.000,00'],
      [350, 414, 'USt 19%'],
      [500, 414, '190,00'],
      [350, 430, 'Brutto'],
      [500, 430, '1.190,00'],
      [60, 760, 'Amtsgericht Freiburg HRB 712345 · Steuernr. 12/345/67890 · Tel. 0761 123456 · USt-IdNr. DE 811 234 567', 6],
    ]);
    expect([r.total, r.subtotal, r.tax]).toEqual([1190, 1000, 190]);
    expect(r.confidence.total).toBeGreaterThanOrEqual(0.9);
  });

  it('prefers the total that net + tax add up to over a bigger labelled figure', () => {
    const r = read([
      [40, 40, 'Pacific Rebar Inc.', 14],
      [400, 40, 'Invoice # 7781'],
      [400, 54, 'Date 03/04/2025'],
      [300, 300, 'Contract total'],
      [500, 300, '48,000.00'],
      [300, 320, 'Subtotal'],
      [500, 320, '6,000.00'],
      [300, 334, 'Sales tax'],
      [500, 334, '480.00'],
      [300, 348, 'Total'],
      [500, 348, '6,480.00'],
      [300, 362, 'Total amount'],
      [500, 362, '6,840.00'],
    ]);
    expect(r.total).toBe(6480);
    expect([r.subtotal, r.tax]).toEqual([6000, 480]);
  });

  it('checks the amount due against total − paid', () => {
    const r = read([
      [40, 40, 'Blue Ridge Lumber LLC', 14],
      [400, 40, 'Invoice 5521'],
      [400, 54, 'Date 05/02/2025'],
      [300, 300, 'Total'],
      [500, 300, '$2,000.00'],
      [300, 314, 'Deposit paid'],
      [500, 314, '$500.00'],
      [300, 328, 'Balance due'],
      [500, 328, '$1,500.00'],
    ]);
    expect([r.total, r.amountDue]).toEqual([2000, 1500]);
    expect(r.confidence.total).toBeGreaterThanOrEqual(0.9);
  });

  it('reads a receipt: total incl. tax split over cells, checked by cash − change, not the tax summary', () => {
    const r = read([
      [80, 40, 'CORNER HARDWARE', 12],
      [80, 56, 'NO 5, MAIN ROAD, 43000 KAJANG'],
      [80, 80, 'TAX INVOICE'],
      [80, 100, 'Date: 14/03/2025'],
      [80, 130, 'PVC PIPE 2"'],
      [300, 130, '2 X 10.00'],
      [400, 130, '20.00'],
      [80, 146, 'CABLE TIE'],
      [300, 146, '1 X 6.50'],
      [400, 146, '6.50'],
      [80, 170, 'Total'],
      [130, 170, 'Incl.'],
      [170, 170, 'GST@6%'],
      [380, 170, 'RM 26.50'],
      [80, 186, 'CASH'],
      [380, 186, 'RM 50.00'],
      [80, 200, 'CHANGE'],
      [380, 200, 'RM 23.50'],
      [80, 230, 'GST Summary'],
      [200, 230, 'Amount'],
      [300, 230, 'Tax'],
      [80, 246, 'SR @ 6%'],
      [200, 246, '25.00'],
      [300, 246, '1.50'],
      [80, 262, 'Total'],
      [200, 262, '25.00'],
      [300, 262, '1.50'],
      [80, 300, 'TEL: 03-8736 1234'],
    ]);
    expect(r.total).toBe(26.5);
    expect(r.currency).toBe('MYR');
    expect(r.confidence.total).toBeGreaterThanOrEqual(0.9);
  });

  it('takes the rounded total when net + tax + rounding make it', () => {
    const r = read([
      [80, 40, 'KEDAI BESI AMAN', 12],
      [80, 56, 'LOT 3, JALAN BESAR, 43800 DENGKIL'],
      [80, 100, 'Date: 02/05/2025'],
      [80, 200, 'Total Sales (Excluding GST)'],
      [400, 200, '106.10'],
      [80, 214, 'Total GST'],
      [400, 214, '6.37'],
      [80, 228, 'Rounding'],
      [400, 228, '-0.02'],
      [80, 242, 'Total Sales (Inclusive of GST)'],
      [400, 242, '112.45'],
      [80, 256, 'CASH'],
      [400, 256, '120.00'],
      [80, 270, 'Change'],
      [400, 270, '7.55'],
    ]);
    expect([r.total, r.subtotal, r.tax]).toEqual([112.45, 106.1, 6.37]);
  });

  it('without a total label, does not take a postcode, a phone number or a payment line', () => {
    const r = read([
      [80, 40, 'Harbour Cafe', 12],
      [80, 56, '12 Quay St, 43300 Seri Kembangan'],
      [80, 70, 'Tel 03 8945 1200'],
      [80, 120, 'Nasi lemak'],
      [300, 120, 'RM 5.50'],
      [80, 134, 'Teh tarik'],
      [300, 134, 'RM 2.00'],
      [80, 160, 'CASH'],
      [300, 160, 'RM 50.00'],
    ]);
    expect(r.total).toBe(5.5);
    expect(r.confidence.total ?? 0).toBeLessThan(CHECK_BELOW);
  });

  it('knows identifiers by the word before them and postcodes by the city after', () => {
    const t = 'HRB 712345 · Tel. 0761 123456 · PO 88231 · 79100 Freiburg · WA 98109 · SARL au capital de 8000 € · Total 2500 EUR';
    const ids = findAmounts(t)
      .filter((a) => isIdentifier(t, a.start, a.end))
      .map((a) => a.value);
    expect(ids).toEqual([712345, 761, 123456, 88231, 79100, 98109, 8000]);
    expect(
      findAmounts(t)
        .filter((a) => !isIdentifier(t, a.start, a.end))
        .map((a) => a.value),
    ).toEqual([2500]);
  });

  it('takes tendered − change, or the subtotal it confirms, when a receipt prints no total line', () => {
    const head: Item[] = [
      [80, 40, 'HARBOUR CAFE', 12],
      [80, 56, 'NO 12, QUAY ST, 43300 SERI KEMBANGAN'],
      [80, 80, 'Date: 14/03/2025'],
    ];
    const noTotal = read([
      ...head,
      [80, 120, 'Nasi lemak'],
      [300, 120, '5.50'],
      [80, 150, 'CASH'],
      [300, 150, '-10.00'],
      [80, 164, 'CHANGE'],
      [300, 164, '4.50'],
    ]);
    expect(noTotal.total).toBe(5.5);
    const subOnly = read([
      ...head,
      [80, 120, 'SUBTOTAL'],
      [300, 120, '28.70'],
      [80, 136, 'RM CASH'],
      [300, 136, '100.00'],
      [80, 150, 'CHANGE'],
      [300, 150, '71.30'],
    ]);
    expect(subOnly.total).toBe(28.7);
    expect(subOnly.confidence.total).toBeGreaterThanOrEqual(CHECK_BELOW);
  });

  it('takes the rounded figure printed on a rounding line when it is the amount paid', () => {
    const r = read([
      [80, 40, 'SPEED MART', 12],
      [80, 56, 'LOT 5, JALAN ANGSA, 41150 KLANG'],
      [80, 80, 'Date: 01-11-17'],
      [80, 200, 'Total Sales (Inclusive GST) RM'],
      [400, 200, '52.08'],
      [80, 214, 'Rounding RM'],
      [400, 214, '52.10'],
      [80, 228, 'CASH RM'],
      [400, 228, '60.00'],
      [80, 242, 'CHANGE RM'],
      [400, 242, '7.90'],
    ]);
    expect(r.total).toBe(52.1);
  });

  it('pairs labels with values a little above or below their line (a skewed photo), letting the sums decide', () => {
    // The page is turned a degree or two: each value sits about half a line off its label's baseline.
    const r = read([
      [40, 40, 'Azure Interior', 14],
      [40, 56, '4557 De Silva St, Fremont CA 94538'],
      [300, 200, 'Subtotal'],
      [480, 196, '$262.90'],
      [300, 216, 'Tax 15% on $ 112.90'],
      [480, 212, '$16.94'],
      [300, 232, 'Total'],
      [40, 237, 'Please use the following communication for your'],
      [480, 237, '$279.84'],
    ]);
    expect([r.total, r.subtotal, r.tax]).toEqual([279.84, 262.9, 16.94]);
  });

  it('never takes the base a tax is computed on for the tax', () => {
    const r = read([
      [40, 40, 'Azure Interior', 14],
      [300, 200, 'Subtotal'],
      [480, 200, '$262.90'],
      [300, 216, 'Tax 15% on $ 112.90'],
      [480, 216, '$16.94'],
      [300, 232, 'Total'],
      [480, 232, '$279.84'],
    ]);
    expect([r.total, r.tax]).toEqual([279.84, 16.94]);
  });
});
