// Split lines, vendor credits and credits applied at payment: the bodies QBO receives, each checked against the
// emulator's copy of Intuit's schema (an unknown field or a second line detail would be QBO's 2010).
import { describe, expect, it } from 'vitest';
import { checkObject } from '../../emulators/qbo/schema.ts';
import '../../emulators/qbo/vendor-credit.ts';
import { MappingError, type MappingInput, toBill, toBillPayment, toPurchase, toVendorCredit, transactionUrl } from '../../src/qbo/mapping.ts';

const base: MappingInput = {
  type: 'Bill',
  amountCents: 335000,
  vendor: { id: '56', name: 'Cascade Lumber' },
  purchaseAccount: { id: '35', name: 'Operating Checking', type: 'Bank' },
  defaultExpenseAccount: { id: '80', name: 'Job Materials' },
  invoiceNumber: 'CL-1182',
  invoiceDate: '2026-11-02',
  lines: [
    {
      amountCents: 210000,
      description: 'Framing lumber',
      project: { customerId: '24', name: 'Oak St' },
      costCode: { entity: 'Item', id: '11', name: '06-100 Framing' },
    },
    {
      amountCents: 125000,
      description: 'Sheathing',
      project: { customerId: '25', name: 'Elm Ave' },
      costCode: { entity: 'Account', id: '90', name: 'Job Materials' },
    },
  ],
};

describe('split lines → QBO lines', () => {
  it('a Bill gets one Line per split, each with its own CustomerRef, ItemRef/AccountRef, description and amount', () => {
    const bill = toBill(base) as any;
    checkObject('Bill', bill);
    expect(bill.Line).toEqual([
      {
        Amount: 2100,
        Description: 'Framing lumber',
        DetailType: 'ItemBasedExpenseLineDetail',
        ItemBasedExpenseLineDetail: {
          ItemRef: { value: '11', name: '06-100 Framing' },
          Qty: 1,
          UnitPrice: 2100,
          CustomerRef: { value: '24', name: 'Oak St' },
        },
      },
      {
        Amount: 1250,
        Description: 'Sheathing',
        DetailType: 'AccountBasedExpenseLineDetail',
        AccountBasedExpenseLineDetail: { AccountRef: { value: '90', name: 'Job Materials' }, CustomerRef: { value: '25', name: 'Elm Ave' } },
      },
    ]);
    expect(bill).not.toHaveProperty('TotalAmt');
  });

  it('a Purchase gets the same lines', () => {
    const p = toPurchase({ ...base, type: 'Expense' }) as any;
    checkObject('Purchase', p);
    expect(p.Line.map((l: any) => l.Amount)).toEqual([2100, 1250]);
  });

  it('lines that do not add up to the total to the cent are refused on the lines field', () => {
    const off = { ...base, lines: [{ ...base.lines![0] }, { ...base.lines![1], amountCents: 124999 }] };
    expect(() => toBill(off)).toThrow(MappingError);
    try {
      toBill(off);
    } catch (e) {
      expect((e as MappingError).field).toBe('lines');
      expect((e as Error).message).toMatch(/3349\.99.*3350\.00/);
    }
  });

  it('a zero or negative line names that line', () => {
    const bad = {
      ...base,
      lines: [
        { ...base.lines![0], amountCents: 335000 },
        { ...base.lines![1], amountCents: 0 },
      ],
    };
    expect(() => toBill(bad)).toThrow(expect.objectContaining({ field: 'lines.1.amount' }));
  });

  it('keeps 40 odd-cent lines exact', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ amountCents: 1001 + i * 7, costCode: null }));
    const total = many.reduce((s, l) => s + l.amountCents, 0);
    const bill = toBill({ ...base, amountCents: total, lines: many }) as any;
    checkObject('Bill', bill);
    expect(bill.Line.reduce((s: number, l: any) => s + Math.round(l.Amount * 100), 0)).toBe(total);
  });
});

describe('credit note → VendorCredit', () => {
  it('has the vendor, number, date and the split lines, and passes the VendorCredit schema (no DueDate)', () => {
    const vc = toVendorCredit({ ...base, dueDate: '2026-12-01' }) as any;
    checkObject('VendorCredit', vc);
    expect(vc.VendorRef).toEqual({ value: '56', name: 'Cascade Lumber' });
    expect(vc.DocNumber).toBe('CL-1182');
    expect(vc).not.toHaveProperty('DueDate');
    expect(vc.Line).toHaveLength(2);
    expect(transactionUrl('https://app.qbo.intuit.com', 'VendorCredit', '7')).toBe('https://app.qbo.intuit.com/app/vendorcredit?txnId=7');
  });
});

describe('Mark paid with credits → BillPayment', () => {
  it('links the Bill and each VendorCredit; TotalAmt is the difference', () => {
    const pay = toBillPayment({
      billId: '150',
      vendorId: '56',
      amountCents: 100000,
      account: { id: '35', type: 'Bank' },
      credits: [{ vendorCreditId: '151', amountCents: 30050 }],
    }) as any;
    checkObject('BillPayment', pay);
    expect(pay.TotalAmt).toBe(699.5);
    expect(pay.Line).toEqual([
      { Amount: 1000, LinkedTxn: [{ TxnId: '150', TxnType: 'Bill' }] },
      { Amount: 300.5, LinkedTxn: [{ TxnId: '151', TxnType: 'VendorCredit' }] },
    ]);
  });

  it('refuses credits above the bill', () => {
    expect(() =>
      toBillPayment({
        billId: '1',
        vendorId: '2',
        amountCents: 100,
        account: { id: '3', type: 'Bank' },
        credits: [{ vendorCreditId: '4', amountCents: 101 }],
      }),
    ).toThrow(MappingError);
  });
});
