/**
 * Builds positioned text (as pdf.js would report it) from a compact description, so layouts in
 * many languages can be tested without PDF files. Each entry: [x, y, text, size?]; y from the top.
 */
import { buildLayout, type Layout } from '../../src/invoices/extract/layout.ts';
import type { PageText } from '../../src/invoices/extract/pdf.ts';

export type Item = [number, number, string, number?];

export function page(items: Item[], num = 1): PageText {
  return {
    num,
    width: 612,
    height: 792,
    items: items.map(([x, y, str, h = 10]) => ({ str, x, y, w: str.length * h * 0.5, h })),
  };
}

export function layoutOf(...pages: Item[][]): Layout {
  return buildLayout(pages.map((p, i) => page(p, i + 1)));
}
