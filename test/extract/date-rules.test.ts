/**
 * Receipt and invoice dates in the printed forms, with day/month order from the document's own clues and
 * never a date in the future or over ten years back taken over a plausible one.
 */
import { describe, expect, it } from 'vitest';
import { findDates, plausibleIssueDate, resolveDate } from '../../src/invoices/extract/dates.ts';
import { extractFromLayout } from '../../src/invoices/extract/read-layout.ts';
import { type Item, layoutOf } from './synth.ts';

const receipt = (dateLine: string, extra: Item[] = []): Item[] => [
  [80, 40, 'CORNER HARDWARE', 12],
  [80, 56, 'NO 5, MAIN ROAD, 43000 KAJANG'],
  [80, 80, 'TAX INVOICE'],
  [80, 100, dateLine],
  [80, 130, 'CABLE TIE'],
  [400, 130, '6.50'],
  [80, 170, 'TOTAL'],
  [380, 170, 'RM 6.50'],
  ...extra,
];

describe('receipt dates', () => {
  it.each([
    ['Date: 12/02/18', '2018-02-12'],
    ['Date: 12-02-2018', '2018-02-12'],
    ['12.02.2018 14:05', '2018-02-12'],
    ['2018-02-12 08:30:20', '2018-02-12'],
    ['12-Feb-2018', '2018-02-12'],
    ['Wednesday, 12 February, 2018 4:18:55', '2018-02-12'],
    ['Date : O9/O3/2018', '2018-03-09'],
  ])('%s → %s (day first outside the United States)', (line, want) => {
    expect(extractFromLayout(layoutOf(receipt(line)), { today: '2018-06-01' }).invoiceDate).toBe(want);
  });

  it('reads month first on a US receipt, and any date with a day over 12 settles the order', () => {
    const us: Item[] = [
      [80, 40, 'ACE HARDWARE #1142', 12],
      [80, 56, '400 Front St, Denver, CO 80202'],
      [80, 100, 'Date: 03/04/2025'],
      [80, 170, 'TOTAL'],
      [380, 170, '$6.50'],
    ];
    expect(extractFromLayout(layoutOf(us), { today: '2025-06-01' }).invoiceDate).toBe('2025-03-04');
    // A second date on the page with a day over 12 shows the order.
    const eu = receipt('Date: 03/04/2025', [[80, 300, 'Valid until 25/04/2025']]);
    expect(extractFromLayout(layoutOf(eu), { today: '2025-06-01' }).invoiceDate).toBe('2025-04-03');
  });

  it('never takes a date in the future when the other reading is plausible', () => {
    // Day first would be 3 Nov 2025, in the future on 1 June 2025; month first (4 Mar) is plausible.
    const r = extractFromLayout(layoutOf(receipt('Date: 03/11/2025')), { today: '2025-06-01' });
    expect(r.invoiceDate).toBe('2025-03-11');
  });

  it('prefers a plausible date over one in the future or over ten years back', () => {
    const r = extractFromLayout(
      layoutOf([
        [80, 40, 'CORNER HARDWARE', 12],
        [80, 56, 'NO 5, MAIN ROAD, 43000 KAJANG'],
        [80, 80, 'Member since 14/02/2009'],
        [80, 94, 'Voucher expires 31/12/2026'],
        [80, 108, '14/05/2025 10:22'],
        [80, 170, 'TOTAL'],
        [380, 170, 'RM 6.50'],
      ]),
      { today: '2025-06-01' },
    );
    expect(r.invoiceDate).toBe('2025-05-14');
  });

  it('keeps the only date printed even if it is old (an old invoice is still an invoice)', () => {
    const r = extractFromLayout(layoutOf(receipt('Date: 14/02/2009')), { today: '2025-06-01' });
    expect(r.invoiceDate).toBe('2009-02-14');
    expect(r.confidence.invoiceDate ?? 1).toBeLessThan(0.6);
  });

  it('judges plausibility against the given today', () => {
    expect(plausibleIssueDate('2025-06-02', '2025-06-01')).toBe(true);
    expect(plausibleIssueDate('2025-06-03', '2025-06-01')).toBe(false);
    expect(plausibleIssueDate('2015-05-31', '2025-06-01')).toBe(false);
    const m = findDates('05/11/2025')[0];
    expect(resolveDate(m, 'DMY', '2025-06-01')).toBe('2025-05-11');
    expect(resolveDate(m, 'DMY', '2026-01-01')).toBe('2025-11-05');
  });

  it('trusts an unlabelled date stamped with its time more than a bare one', () => {
    const stamped = extractFromLayout(layoutOf(receipt('28-04-18 15:40 SH01 T13')), { today: '2018-06-01' });
    const bare = extractFromLayout(layoutOf(receipt('Ref 28-04-18')), { today: '2018-06-01' });
    expect([stamped.invoiceDate, bare.invoiceDate]).toEqual(['2018-04-28', '2018-04-28']);
    expect(stamped.confidence.invoiceDate).toBeGreaterThanOrEqual(0.6);
    expect(bare.confidence.invoiceDate).toBeLessThan(0.6);
  });

  it('reads an impossible day or month as OCR’s 6 for a leading 0, as a guess to check', () => {
    for (const [line, want] of [
      ['Date: 17/61/2018 4:21', '2018-01-17'],
      ['Date : 65 Jan 2017 12:41pm', '2017-01-05'],
    ]) {
      const r = extractFromLayout(layoutOf(receipt(line)), { today: '2018-06-01' });
      expect(r.invoiceDate, line).toBe(want);
      expect(r.confidence.invoiceDate ?? 1, line).toBeLessThan(0.6);
    }
    // A possible date is never "repaired", and a part that cannot be a misread 0 is left impossible.
    expect(findDates('16/06/2018')[0]).toMatchObject({ fixed: { m: 6, d: 16 } });
    expect(findDates('17/60/2018')).toEqual([]);
    expect(findDates('17/71/2018')).toEqual([]);
  });

  it('reads an issue year one digit off the year all other dates share as OCR’s misread of it, as a guess to check', () => {
    const rental = (issued: string, out: string, due: string): Item[] => [
      [60, 40, 'Summit Equipment Rentals LLC', 14],
      [60, 58, '88 Quarry Rd, Golden, CO 80401'],
      [360, 40, 'Invoice Number'],
      [470, 40, 'R-558201'],
      [360, 56, 'Invoice Date'],
      [470, 56, issued],
      [360, 72, 'Rental Out'],
      [470, 72, out],
      [360, 88, 'Payment Due'],
      [470, 88, due],
      [360, 300, 'TOTAL DUE'],
      [470, 300, '$8,362.37'],
    ];
    const misread = extractFromLayout(layoutOf(rental('02/18/2023', '02/03/2025', '03/20/2025')), { today: '2025-06-01' });
    expect(misread.invoiceDate).toBe('2025-02-18');
    expect(misread.confidence.invoiceDate).toBeLessThan(0.6);
    // An invoice at the turn of the year is not misread, nor is a date when the other dates span years themselves.
    const yearEnd = extractFromLayout(layoutOf(rental('12/28/2024', '01/03/2025', '01/27/2025')), { today: '2025-06-01' });
    expect(yearEnd.invoiceDate).toBe('2024-12-28');
    const spread = extractFromLayout(layoutOf(rental('02/18/2021', '02/03/2023', '03/20/2025')), { today: '2025-06-01' });
    expect(spread.invoiceDate).toBe('2021-02-18');
  });
});
