import { describe, expect, it } from 'vitest';
import { buildLayout } from '../../src/invoices/extract/layout.ts';
import type { PageText } from '../../src/invoices/extract/pdf.ts';
import { extractFromLayout } from '../../src/invoices/extract/read-layout.ts';
import { mergePages } from '../../src/invoices/extract/scan.ts';

/**
 * A second, sparse OCR pass fills in the words the first pass's page layout analysis dropped (a column of figures),
 * without doubling the words both passes read.
 */

const w = (str: string, x: number, y: number, width = str.length * 5) => ({ str, x, y, w: width, h: 10 });
const page = (items: PageText['items']): PageText => ({ num: 1, width: 612, height: 792, items });

// The first pass: the labels of the totals, but not the figures right of them.
const first = page([
  w('Cascade', 50, 60),
  w('Lumber', 92, 60),
  w('Supply', 128, 60),
  w('Invoice', 400, 80),
  w('#', 440, 80),
  w('204871', 500, 80),
  w('Subtotal', 380, 300),
  w('Sales', 380, 315),
  w('Tax', 410, 315),
  w('Total', 380, 330),
]);
// The sparse pass: the same words (boxes a little off, split differently) plus the figures.
const second = page([
  w('Cascade', 51, 61),
  w('Lumber', 93, 60),
  w('Invoice #', 401, 80),
  w('204871', 501, 81),
  w('Subtotal', 381, 300),
  w('4,081.80', 500, 300),
  w('Sales', 381, 315),
  w('Tax', 411, 315),
  w('412.26', 505, 315),
  w('Total', 381, 331),
  w('$4,494.06', 495, 330),
]);

describe('merging a second OCR pass into the first', () => {
  it('adds only the words the first pass did not read', () => {
    const [merged] = mergePages([first], [second]);
    const strs = merged.items.map((i) => i.str);
    expect(strs.filter((s) => s === 'Cascade')).toHaveLength(1);
    expect(strs.filter((s) => s.startsWith('Invoice'))).toEqual(['Invoice']);
    expect(strs).toEqual(expect.arrayContaining(['4,081.80', '412.26', '$4,494.06']));
    expect(merged.items).toHaveLength(first.items.length + 3);
  });

  it('gives the totals back to the field rules: the total is read and checked by net + tax', () => {
    const before = extractFromLayout(buildLayout([first]));
    expect(before.total).toBeNull();
    const after = extractFromLayout(buildLayout(mergePages([first], [second])));
    expect(after.total).toBe(4494.06);
    expect(after.invoiceNumber).toBe('204871');
    expect(after.confidence.total).toBeGreaterThanOrEqual(0.8);
  });

  it('leaves a page the second pass did not read as it was', () => {
    const other = { ...second, num: 2 };
    expect(mergePages([first], [other])[0]).toBe(first);
  });
});
