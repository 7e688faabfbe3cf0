import { describe, it, expect } from 'vitest';
import {
  toBill,
  toPurchase,
  toBillPayment,
  toTransaction,
  transactionUrl,
  toAmount,
  MappingError,
  type MappingInput,
} from '../../src/qbo/mapping.ts';

const base: MappingInput = {
  type: 'Bill',
  amountCents: 123456,
  vendor: { id: '56', name: 'United Rentals' },
  purchaseAccount: { id: '35', name: 'Operating Checking', type: 'Bank' },
  project: { customerId: '24', name: 'Oak Street Remodel' },
  costCode: { entity: 'Item', id: '11', name: '03-300 Concrete' },
  defaultExpenseAccount: { id: '80', name: 'Job Materials' },
  invoiceNumber: 'UR-2291',
  invoiceDate: '2026-11-02',
  dueDate: '2026-12-02',
  memo: 'Excavator, 3 days',
};

describe('invoice → Bill', () => {
  it('puts the full amount on one item line coded to the project', () => {
    const bill = toBill(base) as any;
    expect(bill.VendorRef).toEqual({ value: '56', name: 'United Rentals' });
    expect(bill.DocNumber).toBe('UR-2291');
    expect(bill.TxnDate).toBe('2026-11-02');
    expect(bill.DueDate).toBe('2026-12-02');
    expect(bill.PrivateNote).toBe('Excavator, 3 days');
    expect(bill.Line).toHaveLength(1);
    expect(bill.Line[0]).toMatchObject({
      Amount: 1234.56,
      DetailType: 'ItemBasedExpenseLineDetail',
      ItemBasedExpenseLineDetail: { ItemRef: { value: '11' }, Qty: 1, UnitPrice: 1234.56, CustomerRef: { value: '24' } },
    });
    expect(bill).not.toHaveProperty('AccountRef');
    expect(bill).not.toHaveProperty('TotalAmt'); // QBO computes it
  });

  it('uses an account-based line for a cost code linked to an account', () => {
    const bill = toBill({ ...base, costCode: { entity: 'Account', id: '90', name: 'Subcontractors' } }) as any;
    expect(bill.Line[0]).toMatchObject({
      DetailType: 'AccountBasedExpenseLineDetail',
      AccountBasedExpenseLineDetail: { AccountRef: { value: '90' }, CustomerRef: { value: '24' } },
    });
  });

  it('falls back to the default expense account without a cost code, and omits CustomerRef without a project', () => {
    const bill = toBill({ ...base, costCode: null, project: null }) as any;
    expect(bill.Line[0].AccountBasedExpenseLineDetail).toEqual({ AccountRef: { value: '80', name: 'Job Materials' } });
  });

  it('refuses a line with no account at all', () => {
    expect(() => toBill({ ...base, costCode: null, defaultExpenseAccount: null })).toThrow(MappingError);
  });

  it('refuses zero, negative and fractional-cent amounts', () => {
    for (const amountCents of [0, -100, 10.5]) expect(() => toBill({ ...base, amountCents })).toThrow(/amount/i);
  });

  it('refuses an invoice number longer than QBO allows (21)', () => {
    expect(() => toBill({ ...base, invoiceNumber: 'X'.repeat(22) })).toThrow(/21/);
    expect((toBill({ ...base, invoiceNumber: 'X'.repeat(21) }) as any).DocNumber).toHaveLength(21);
  });

  it('keeps amounts exact to the cent', () => {
    for (const cents of [1, 10, 411, 27984, 19999999, 100000001]) {
      const amt = (toBill({ ...base, amountCents: cents }) as any).Line[0].Amount;
      expect(Math.round(amt * 100)).toBe(cents);
      expect(String(amt)).toBe((cents / 100).toString());
    }
    expect(toAmount(27984)).toBe(279.84);
  });
});

describe('invoice → Purchase (Expense)', () => {
  it('pays by Check from a Bank account', () => {
    const p = toPurchase({ ...base, type: 'Expense' }) as any;
    expect(p.PaymentType).toBe('Check');
    expect(p.AccountRef).toEqual({ value: '35', name: 'Operating Checking' });
    expect(p.EntityRef).toEqual({ value: '56', name: 'United Rentals', type: 'Vendor' });
    expect(p).not.toHaveProperty('DueDate'); // Purchase has no due date
    expect(p.Line[0].Amount).toBe(1234.56);
  });

  it('pays by CreditCard from a Credit Card account', () => {
    const p = toPurchase({ ...base, type: 'Expense', purchaseAccount: { id: '41', type: 'Credit Card' } }) as any;
    expect(p.PaymentType).toBe('CreditCard');
    expect(p.AccountRef).toEqual({ value: '41' });
  });

  it('toTransaction picks the entity from the type', () => {
    expect(toTransaction(base).entity).toBe('Bill');
    expect(toTransaction({ ...base, type: 'Expense' }).entity).toBe('Purchase');
  });
});

describe('Bill payment and links', () => {
  it('pays a Bill in full from a bank or a card', () => {
    const bank = toBillPayment({ billId: '151', vendorId: '56', amountCents: 50000, account: { id: '35', type: 'Bank' } }) as any;
    expect(bank).toMatchObject({ PayType: 'Check', CheckPayment: { BankAccountRef: { value: '35' } }, TotalAmt: 500 });
    expect(bank.Line).toEqual([{ Amount: 500, LinkedTxn: [{ TxnId: '151', TxnType: 'Bill' }] }]);
    const card = toBillPayment({ billId: '151', vendorId: '56', amountCents: 50000, account: { id: '41', type: 'Credit Card' } }) as any;
    expect(card).toMatchObject({ PayType: 'CreditCard', CreditCardPayment: { CCAccountRef: { value: '41' } } });
  });

  it('links to the transaction in the QBO web app', () => {
    expect(transactionUrl('https://app.qbo.intuit.com', 'Bill', '151')).toBe('https://app.qbo.intuit.com/app/bill?txnId=151');
    expect(transactionUrl('https://app.sandbox.qbo.intuit.com', 'Purchase', '9')).toBe('https://app.sandbox.qbo.intuit.com/app/expense?txnId=9');
  });
});
