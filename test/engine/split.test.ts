import { describe, expect, it } from 'vitest';
import {
  checkSplit,
  groupForModal,
  MAX_MODAL_LINES,
  mergeByCostCode,
  parseAmountCents,
  type SplitRow,
  splitSummary,
  startSplit,
} from '../../src/invoices/split.ts';

const usd = (c: number) => `$${(c / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
const row = (amountCents: number | null, costCodeId: string | null = 'cc1', projectId: string | null = 'p1', description = 'x'): SplitRow => ({
  description,
  amountCents,
  projectId,
  costCodeId,
});

describe('split lines', () => {
  it('parses amounts the way people type them, to the cent', () => {
    expect(parseAmountCents('2,100.00')).toBe(210000);
    expect(parseAmountCents('$1,250')).toBe(125000);
    expect(parseAmountCents('0.1')).toBe(10);
    expect(parseAmountCents('19.99')).toBe(1999);
    for (const bad of ['', 'abc', '-5', '1.234', '1,23']) expect(parseAmountCents(bad)).toBeNull();
  });

  it('starts from the read lines, topped up to the total with tax and other charges, each with the defaults', () => {
    const rows = startSplit(
      11000,
      [
        { description: 'Studs', amount: 60 },
        { description: 'Nails', amount: 40 },
      ],
      { projectId: 'p9', costCodeId: null },
    );
    expect(rows).toEqual([
      { description: 'Studs', amountCents: 6000, projectId: 'p9', costCodeId: null },
      { description: 'Nails', amountCents: 4000, projectId: 'p9', costCodeId: null },
      { description: 'Tax and other charges', amountCents: 1000, projectId: 'p9', costCodeId: null },
    ]);
  });

  it('without usable lines (none, or more than the total) starts with the full amount and a blank row', () => {
    const d = { projectId: null, costCodeId: null };
    expect(startSplit(5000, [], d).map((r) => r.amountCents)).toEqual([5000, null]);
    expect(startSplit(5000, [{ description: 'a', amount: 80 }], d).map((r) => r.amountCents)).toEqual([5000, null]);
  });

  it('merges lines per project and cost code, keeping the total', () => {
    const merged = mergeByCostCode([row(100, 'a', 'p1', 'Studs'), row(200, 'b'), row(300, 'a', 'p1', 'Nails'), row(400, 'a', 'p2')]);
    expect(merged.map((r) => [r.costCodeId, r.projectId, r.amountCents, r.description])).toEqual([
      ['a', 'p1', 400, 'Studs · Nails'],
      ['b', 'p1', 200, 'x'],
      ['a', 'p2', 400, 'x'],
    ]);
  });

  it('a 40-line invoice is grouped to fit the modal, and still adds up', () => {
    const forty = Array.from({ length: 40 }, (_, i) => row(1000 + i, `cc${i}`));
    const g = groupForModal(forty);
    expect(g.rows).toHaveLength(MAX_MODAL_LINES);
    expect(g.rows.reduce((s, r) => s + (r.amountCents ?? 0), 0)).toBe(forty.reduce((s, r) => s + (r.amountCents ?? 0), 0));
    expect(g.note).toMatch(/40 lines.*the last 21 are grouped as line 20/);
    expect(g.rows.slice(0, 19)).toEqual(forty.slice(0, 19));
    expect(g.rows[19].description).toMatch(/^21 more lines \(x, x/);
    expect(groupForModal(forty.slice(0, 20)).note).toBeNull();
  });

  it('lines that do not add up to the cent are an error naming both sums; bad amounts are errors on their line', () => {
    expect(checkSplit([row(210000), row(125000)], 335000, usd)).toEqual({});
    expect(checkSplit([row(210000), row(124999)], 335000, usd)).toEqual({
      total: 'The lines add up to $3,349.99, not the invoice total $3,350.00 ($0.01 short).',
    });
    expect(checkSplit([row(210000), row(125100)], 335000, usd).total).toMatch(/\$1\.00 over/);
    expect(checkSplit([row(null), row(0)], 100, usd)).toEqual({
      'amount:0': expect.stringMatching(/Enter an amount/),
      'amount:1': expect.stringMatching(/more than zero/),
    });
  });

  it('summarises a split for the card, DM and App Home', () => {
    const lines = [
      { label: 'Oak St', amountCents: 210000 },
      { label: 'Elm Ave', amountCents: 125000 },
      { label: 'Pine Rd', amountCents: 9000 },
      { label: 'Main St', amountCents: 100 },
    ];
    expect(splitSummary(lines, usd)).toBe('4 lines: Oak St $2,100.00 · Elm Ave $1,250.00 · Pine Rd $90.00 · …');
    expect(splitSummary(lines.slice(0, 1), usd)).toBeNull();
  });
});
