import { beforeEach, expect, it } from 'vitest';
import type { Conn } from '../../src/store/conn.ts';
import { InvoiceLinesStore } from '../../src/store/invoice-lines.ts';
import { VendorRulesStore } from '../../src/store/vendor-rules.ts';
import { forEachDialect, type MakeConn } from './dialects.ts';

let c: Conn;
const T = 'T1';
async function setup(makeConn: MakeConn) {
  c = await makeConn();
  await c.run((d) => d.insert(c.t.workspaces).values({ teamId: T }));
  await c.run((d) => d.insert(c.t.workspaces).values({ teamId: 'T2' }));
}

const coding = { txnType: 'Bill' as const, purchaseAccountId: '35', costCodeProfileId: null, memoPattern: 'Lumber' };
const cascade = { id: '56', name: 'Cascade Lumber' };

forEachDialect('vendor rules', (makeConn) => {
  beforeEach(() => setup(makeConn));

  it('learns a streak from invoices coded the same way, and starts over when the coding changes', async () => {
    const rules = new VendorRulesStore(c);
    expect((await rules.learn(T, cascade, coding)).streak).toBe(1);
    expect((await rules.learn(T, cascade, coding)).streak).toBe(2);
    expect((await rules.learn(T, cascade, coding)).streak).toBe(3);
    const changed = await rules.learn(T, cascade, { ...coding, txnType: 'Expense' });
    expect([changed.streak, changed.txnType]).toEqual([1, 'Expense']);
    expect(await rules.get('T2', '56')).toBeNull();
  });

  it('a pinned rule is never overwritten by learning; delete lets learning start again', async () => {
    const rules = new VendorRulesStore(c);
    await rules.pin(T, cascade, { ...coding, autoBook: true }, 'U_ADMIN');
    const after = await rules.learn(T, cascade, { ...coding, purchaseAccountId: '99' });
    expect([after.pinned, after.purchaseAccountId, after.autoBook, after.updatedBy]).toEqual([true, '35', true, 'U_ADMIN']);
    expect(await rules.remove(T, '56')).toBe(true);
    expect(await rules.remove(T, '56')).toBe(false);
    expect((await rules.learn(T, cascade, { ...coding, purchaseAccountId: '99' })).purchaseAccountId).toBe('99');
  });

  it('lists by name and searches word starts', async () => {
    const rules = new VendorRulesStore(c);
    for (const [id, name] of [
      ['1', 'United Rentals'],
      ['2', 'Cascade Lumber'],
      ['3', 'Home Depot'],
    ])
      await rules.learn(T, { id, name }, coding);
    expect((await rules.list(T)).map((r) => r.vendorName)).toEqual(['Cascade Lumber', 'Home Depot', 'United Rentals']);
    expect((await rules.list(T, { search: 'lum' })).map((r) => r.vendorName)).toEqual(['Cascade Lumber']);
    expect((await rules.list(T, { search: 'rent%' })).map((r) => r.vendorName)).toEqual(['United Rentals']);
  });
});

forEachDialect('invoice lines', (makeConn) => {
  beforeEach(() => setup(makeConn));

  it('keeps the lines in order and replaces them in one go; no lines means one line', async () => {
    const [inv] = await c.run((d) =>
      d
        .insert(c.t.invoices)
        .values({
          teamId: T,
          source: 'upload',
          fileName: 'a.pdf',
          mimeType: 'application/pdf',
          fileSize: 1,
          sha256: 'h',
        })
        .returning(),
    );
    const lines = new InvoiceLinesStore(c);
    const two = [
      { description: 'Studs', amountCents: 210000, projectProfileId: null, costCodeProfileId: null },
      { description: 'Sheathing', amountCents: 125000, projectProfileId: null, costCodeProfileId: null },
    ];
    await lines.replace(inv.id, two);
    expect(await lines.list(inv.id)).toEqual(two);
    await lines.replace(inv.id, [two[1]]);
    expect((await lines.list(inv.id)).map((l) => l.description)).toEqual(['Sheathing']);
    await lines.replace(inv.id, []);
    expect(await lines.list(inv.id)).toEqual([]);
  });
});
