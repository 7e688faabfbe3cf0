/** Confidence per field means something: high when labelled and the arithmetic agrees, low when guessed. */
import { describe, expect, it } from 'vitest';
import { CHECK_BELOW, extractFromLayout } from '../../src/invoices/extract/read-layout.ts';
import { type Item, layoutOf } from './synth.ts';

const read = (items: Item[]) => extractFromLayout(layoutOf(items), { today: '2025-06-30' });

describe('confidence', () => {
  it('is high on every field of a labelled invoice whose sums agree', () => {
    const r = read([
      [40, 40, 'Harbour Joinery Ltd', 18],
      [40, 60, 'Unit 4, Quay Street, Bristol BS1 4DB'],
      [380, 70, 'Invoice No.'],
      [470, 70, 'INV-00731'],
      [380, 84, 'Invoice date'],
      [470, 84, '5 March 2025'],
      [380, 98, 'Due date'],
      [470, 98, '4 April 2025'],
      [40, 110, 'Bill to'],
      [40, 124, 'Acme Developments Ltd'],
      [420, 300, 'Subtotal'],
      [500, 300, '£2,100.00'],
      [420, 314, 'VAT 20%'],
      [500, 314, '£420.00'],
      [420, 330, 'Total'],
      [500, 330, '£2,520.00'],
      [40, 700, 'Harbour Joinery Ltd. Registered in England No. 08123456.', 7],
    ]);
    for (const f of ['vendor', 'invoiceNumber', 'invoiceDate', 'dueDate', 'total', 'currency', 'subtotal', 'tax'] as const) {
      expect(r.confidence[f], f).toBeGreaterThanOrEqual(CHECK_BELOW);
    }
    expect(r.confidence.total).toBeGreaterThanOrEqual(0.9);
    expect(r.confidence.subtotal).toBeGreaterThanOrEqual(0.9);
  });

  it('is low on fields that are guessed: no labels, or two totals that disagree', () => {
    const guessed = read([
      [40, 40, 'Some Shop', 12],
      [40, 120, 'Thanks! 14/05/2025'],
      [40, 200, 'Paint 12.00 $'],
    ]);
    expect(guessed.confidence.total ?? 0).toBeLessThan(CHECK_BELOW);
    expect(guessed.confidence.invoiceDate ?? 0).toBeLessThan(CHECK_BELOW);
    expect(guessed.confidence.invoiceNumber ?? 0).toBeLessThan(CHECK_BELOW);

    const rivals = read([
      [40, 40, 'Pacific Rebar Inc.', 14],
      [400, 40, 'Invoice # 7781'],
      [400, 54, 'Date 03/04/2025'],
      [300, 300, 'Total'],
      [500, 300, '6,480.00'],
      [300, 320, 'Total'],
      [500, 320, '6,840.00'],
    ]);
    expect(rivals.confidence.total ?? 0).toBeLessThan(CHECK_BELOW);
  });

  it('marks net and tax as sure only when they add up to the total', () => {
    const r = read([
      [40, 40, 'Pacific Rebar Inc.', 14],
      [400, 40, 'Invoice # 7781'],
      [400, 54, 'Date 03/04/2025'],
      [300, 300, 'Subtotal'],
      [500, 300, '6,000.00'],
      [300, 314, 'Tax'],
      [500, 314, '500.00'],
      [300, 328, 'Total'],
      [500, 328, '6,480.00'],
    ]);
    expect(r.total).toBe(6480);
    expect(r.confidence.subtotal ?? 1).toBeLessThan(CHECK_BELOW);
  });
});
