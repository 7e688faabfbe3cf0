/**
 * Rebuilds reading structure from positioned text: items on one baseline form a row, runs of items
 * separated by small gaps form a cell. Rows keep page coordinates so that labels can be paired with
 * values to their right or below them, whatever order the PDF's content stream used.
 */
import type { PageText } from './pdf.ts';

export interface Cell {
  text: string;
  x: number;
  x2: number;
  y: number;
  h: number;
}

export interface Row {
  page: number;
  /** Index of the row in the whole document. */
  idx: number;
  y: number;
  h: number;
  cells: Cell[];
  text: string;
  pageHeight: number;
}

export interface Layout {
  rows: Row[];
  /** All rows' text, one row per line, cells separated by a tab. */
  text: string;
  pages: number;
}

export function buildLayout(pages: PageText[]): Layout {
  const rows: Row[] = [];
  for (const p of pages) {
    const items = p.items
      .filter((it) => it.str.trim() !== '')
      .map((it) => ({ ...it, str: it.str.replace(/\s+/g, ' ') }))
      .sort((a, b) => a.y - b.y || a.x - b.x);
    // Cluster into rows by baseline.
    const groups: (typeof items)[] = [];
    for (const it of items) {
      const g = groups[groups.length - 1];
      if (g) {
        const gy = g[0].y;
        const tol = Math.max(1.5, 0.45 * Math.min(g[0].h, it.h));
        if (Math.abs(it.y - gy) <= tol) {
          g.push(it);
          continue;
        }
      }
      groups.push([it]);
    }
    for (const g of groups) {
      g.sort((a, b) => a.x - b.x);
      const cells: Cell[] = [];
      let cur: Cell | null = null;
      for (const it of g) {
        // Some fonts report no widths: estimate from the font size.
        const w = it.w > 0 ? it.w : it.str.length * it.h * 0.5;
        const x2 = it.x + w;
        if (cur) {
          const gap = it.x - cur.x2;
          const h = Math.max(cur.h, it.h);
          if (gap < 0.9 * h && gap > -0.5 * h) {
            const needSpace = gap > 0.12 * h && !cur.text.endsWith(' ') && !it.str.startsWith(' ');
            cur.text += (needSpace ? ' ' : '') + it.str;
            cur.x2 = Math.max(cur.x2, x2);
            cur.h = h;
            continue;
          }
          cells.push(cur);
        }
        cur = { text: it.str, x: it.x, x2, y: it.y, h: it.h };
      }
      if (cur) cells.push(cur);
      for (const c of cells) c.text = c.text.trim();
      const nonEmpty = cells.filter((c) => c.text !== '');
      if (!nonEmpty.length) continue;
      rows.push({
        page: p.num,
        idx: rows.length,
        y: g[0].y,
        h: Math.max(...g.map((i) => i.h)),
        cells: nonEmpty,
        text: nonEmpty.map((c) => c.text).join('\t'),
        pageHeight: p.height,
      });
    }
  }
  return { rows, text: rows.map((r) => r.text).join('\n'), pages: pages.length };
}
