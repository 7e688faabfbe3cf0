/** Line items wherever the document has them: item tables, and receipts without a table header. */
import { describe, expect, it } from 'vitest';
import { extractFromLayout } from '../../src/invoices/extract/read-layout.ts';
import { type Item, layoutOf } from './synth.ts';

const receipt = (items: Item[], total: string): Item[] => [
  [80, 40, 'CORNER HARDWARE', 12],
  [80, 56, 'NO 5, MAIN ROAD, 43000 KAJANG'],
  [80, 72, '-TAX INVOICE-'],
  [80, 90, 'Date: 14/03/2025'],
  [80, 104, 'Cashier: AMIRA'],
  ...items,
  [80, 300, 'Total'],
  [130, 300, 'Incl.'],
  [170, 300, 'GST@6%'],
  [380, 300, total],
  [80, 316, 'CASH'],
  [380, 316, 'RM 50.00'],
];

describe('line items', () => {
  it('reads receipt items printed as a name line and a "qty X price  amount" line, with tax codes after', () => {
    const r = extractFromLayout(
      layoutOf(
        receipt(
          [
            [80, 130, 'PVC PIPE 2" CLASS D', 9],
            [80, 144, '9556111988559'],
            [200, 144, '2 X 10.00'],
            [380, 144, '20.00'],
            [420, 144, 'SR'],
            [80, 160, 'CABLE TIE 8" 100PCS', 9],
            [80, 174, '9072351'],
            [200, 174, '1 X 6.50'],
            [380, 174, '6.50'],
            [420, 174, 'SR'],
          ],
          'RM 26.50',
        ),
      ),
      { today: '2025-06-30' },
    );
    expect(r.total).toBe(26.5);
    expect(r.lines).toEqual([
      { description: 'PVC PIPE 2" CLASS D', quantity: 2, unitPrice: 10, amount: 20 },
      { description: 'CABLE TIE 8" 100PCS', quantity: 1, unitPrice: 6.5, amount: 6.5 },
    ]);
  });

  it('reads items with the name and amount on one row', () => {
    const r = extractFromLayout(
      layoutOf(
        receipt(
          [
            [80, 130, 'Spritzer Water 1.5L'],
            [380, 130, '3.70'],
            [80, 146, 'Bread Roll'],
            [250, 146, '2 @ 1.50'],
            [380, 146, '3.00'],
          ],
          'RM 6.70',
        ),
      ),
      { today: '2025-06-30' },
    );
    expect(r.lines).toEqual([
      { description: 'Spritzer Water 1.5L', amount: 3.7 },
      { description: 'Bread Roll', quantity: 2, unitPrice: 1.5, amount: 3 },
    ]);
  });

  it('offers no lines when the numbers it found do not add up to the total', () => {
    const r = extractFromLayout(
      layoutOf(
        receipt(
          [
            [80, 130, 'Spritzer Water 1.5L'],
            [380, 130, '3.70'],
            [80, 146, 'Bread Roll'],
            [380, 146, '3.00'],
          ],
          'RM 9.90',
        ),
      ),
      { today: '2025-06-30' },
    );
    expect(r.total).toBe(9.9);
    expect(r.lines).toEqual([]);
  });
});
