// The QBO + Intuit OAuth emulator over real HTTP, through the real node-quickbooks and intuit-oauth: creating Bills and Purchases, and the validation faults QBO answers with.
// Every assertion is something real QBO / Intuit also does (see /work/shared/docs/qbo-api.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QboEmulator } from '../../emulators/qbo/index.ts';
import { billFor, call, expectFault, fault, startWorld, type SeedIds, type Session } from './qbo-helpers.ts';

describe('QBO emulator', () => {
  let emu: QboEmulator;
  let s: Session;
  let qbo: any;
  let ids: SeedIds;
  const bill = (over: Record<string, unknown> = {}) => billFor(ids, over);
  beforeAll(async () => {
    ({ emu, s, qbo, ids } = await startWorld());
  });
  afterAll(async () => {
    await emu.close();
  });

  describe('create Bill and Purchase', () => {
    it('creates a Bill: QBO computes TotalAmt and Balance to the cent, fills refs, leaves DocNumber empty', async () => {
      const created: any = await call((cb) => qbo.createBill(bill(), cb));
      expect(created).toMatchObject({
        SyncToken: '0',
        domain: 'QBO',
        sparse: false,
        TotalAmt: 100.3,
        Balance: 100.3,
        TxnDate: '2025-03-04',
      });
      expect(created.Id).toMatch(/^\d+$/);
      expect(created.DocNumber).toBeUndefined();
      expect(created.VendorRef).toEqual({ value: ids.homeDepot, name: 'Home Depot' });
      expect(created.APAccountRef.value).toBe(ids.ap);
      expect(created.MetaData.CreateTime).toBeTruthy();
      expect(created.Line[0].Id).toBe('1');
      const read: any = await call((cb) => qbo.getBill(created.Id, cb));
      expect(read.TotalAmt).toBe(100.3);
      expect(emu.entities(s.realmId, 'Bill').some((b) => b.Id === created.Id)).toBe(true);
    });

    it('creates an item-based Bill line (cost code)', async () => {
      const created: any = await call((cb) =>
        qbo.createBill(
          {
            VendorRef: { value: ids.unitedRentals },
            DocNumber: 'UR-1001',
            Line: [
              {
                Amount: 1250,
                DetailType: 'ItemBasedExpenseLineDetail',
                ItemBasedExpenseLineDetail: {
                  ItemRef: { value: ids.concreteItem },
                  Qty: 1,
                  UnitPrice: 1250,
                  CustomerRef: { value: ids.project },
                },
              },
            ],
          },
          cb,
        ),
      );
      expect(created.TotalAmt).toBe(1250);
      expect(created.DocNumber).toBe('UR-1001');
      expect(created.Line[0].ItemBasedExpenseLineDetail.ItemRef.name).toBe('03-300 Concrete');
    });

    it('creates a Purchase (Expense) on a credit card with TotalAmt = sum of lines', async () => {
      const created: any = await call((cb) =>
        qbo.createPurchase(
          {
            PaymentType: 'CreditCard',
            AccountRef: { value: ids.visa },
            EntityRef: { value: ids.homeDepot, type: 'Vendor' },
            TxnDate: '2025-02-28',
            Line: [
              {
                Amount: 19.99,
                DetailType: 'AccountBasedExpenseLineDetail',
                AccountBasedExpenseLineDetail: { AccountRef: { value: ids.materials } },
              },
              {
                Amount: 5.02,
                DetailType: 'AccountBasedExpenseLineDetail',
                AccountBasedExpenseLineDetail: { AccountRef: { value: ids.materials } },
              },
            ],
          },
          cb,
        ),
      );
      expect(created).toMatchObject({ PaymentType: 'CreditCard', TotalAmt: 25.01, SyncToken: '0' });
      expect(created.EntityRef).toMatchObject({ value: ids.homeDepot, type: 'Vendor', name: 'Home Depot' });
      expect(created.AccountRef.name).toBe('Visa Business');
    });

    it('creates a Check Purchase from a bank account', async () => {
      const created: any = await call((cb) =>
        qbo.createPurchase(
          {
            PaymentType: 'Check',
            AccountRef: { value: ids.checking },
            Line: [
              {
                Amount: 42,
                DetailType: 'AccountBasedExpenseLineDetail',
                AccountBasedExpenseLineDetail: { AccountRef: { value: ids.materials } },
              },
            ],
          },
          cb,
        ),
      );
      expect(created.TotalAmt).toBe(42);
    });
  });

  describe('validation faults', () => {
    const create = (entity: 'Bill' | 'Purchase', body: any) => fault(call((cb) => qbo[`create${entity}`](body, cb)));
    const purchase = (over: Record<string, unknown> = {}) => ({
      PaymentType: 'Cash',
      AccountRef: { value: ids.checking },
      Line: [
        {
          Amount: 10,
          DetailType: 'AccountBasedExpenseLineDetail',
          AccountBasedExpenseLineDetail: { AccountRef: { value: ids.materials } },
        },
      ],
      ...over,
    });

    it('2010 for an unknown property, top-level and nested in a line detail', async () => {
      const top = expectFault(await create('Bill', bill({ Vendor: { value: ids.homeDepot } })), '2010');
      expect(top.Detail).toMatch(/Unrecognized field "Vendor"/);
      const b = bill();
      (b.Line as any)[0].AccountBasedExpenseLineDetail.ProjectRef = { value: ids.project };
      expectFault(await create('Bill', b), '2010');
      const line = bill();
      (line.Line as any)[0].Qty = 2;
      expectFault(await create('Bill', line), '2010');
    });

    it('2010 for enum values outside the schema (PaymentType Expense, BillableStatus, DetailType)', async () => {
      expectFault(await create('Purchase', purchase({ PaymentType: 'Expense' })), '2010');
      const b = bill();
      (b.Line as any)[0].AccountBasedExpenseLineDetail.BillableStatus = 'Yes';
      expectFault(await create('Bill', b), '2010');
      const d = bill();
      (d.Line as any)[0].DetailType = 'ExpenseLine';
      expectFault(await create('Bill', d), '2010');
    });

    it('2020 for missing required fields', async () => {
      const noVendor: any = bill();
      delete noVendor.VendorRef;
      expect(expectFault(await create('Bill', noVendor), '2020').Detail).toMatch(/VendorRef/);
      expectFault(await create('Bill', bill({ Line: [] })), '2020');
      const noAmount = bill();
      delete (noAmount.Line as any)[0].Amount;
      expectFault(await create('Bill', noAmount), '2020');
      const noDetail = bill();
      delete (noDetail.Line as any)[0].AccountBasedExpenseLineDetail;
      expectFault(await create('Bill', noDetail), '2020');
      const noAcct = bill();
      delete (noAcct.Line as any)[0].AccountBasedExpenseLineDetail.AccountRef;
      expectFault(await create('Bill', noAcct), '2020');
      const noType: any = purchase();
      delete noType.PaymentType;
      expectFault(await create('Purchase', noType), '2020');
      const noAccount: any = purchase();
      delete noAccount.AccountRef;
      expectFault(await create('Purchase', noAccount), '2020');
    });

    it('2500 for a reference to an id that does not exist', async () => {
      const e = expectFault(await create('Bill', bill({ VendorRef: { value: '99999' } })), '2500');
      expect(e.Message).toBe('Invalid Reference Id');
      const b = bill();
      (b.Line as any)[0].AccountBasedExpenseLineDetail.CustomerRef = { value: '88888' };
      expectFault(await create('Bill', b), '2500');
    });

    it('610 for a reference to an inactive entity (vendor, account, project)', async () => {
      const e = expectFault(await create('Bill', bill({ VendorRef: { value: ids.inactiveVendor } })), '610');
      expect(e.Message).toBe('Object Not Found');
      expect(e.Detail).toMatch(/made inactive/);
      expectFault(await create('Purchase', purchase({ AccountRef: { value: ids.oldSavings } })), '610');
      emu.setActive(s.realmId, 'Customer', ids.project, false);
      try {
        expectFault(await create('Bill', bill()), '610');
      } finally {
        emu.setActive(s.realmId, 'Customer', ids.project, true);
      }
    });

    it('6000 when the Purchase account does not match PaymentType', async () => {
      expectFault(await create('Purchase', purchase({ PaymentType: 'Check', AccountRef: { value: ids.visa } })), '6000');
      expectFault(await create('Purchase', purchase({ PaymentType: 'CreditCard', AccountRef: { value: ids.checking } })), '6000');
      expectFault(await create('Purchase', purchase({ PaymentType: 'Cash', AccountRef: { value: ids.materials } })), '6000');
    });

    it('6000 for a bank, card or A/P account on an expense line, and a non-A/P APAccountRef', async () => {
      for (const acct of [ids.checking, ids.visa, ids.ap]) {
        const b = bill();
        (b.Line as any)[0].AccountBasedExpenseLineDetail.AccountRef = { value: acct };
        expectFault(await create('Bill', b), '6000');
      }
      expectFault(await create('Bill', bill({ APAccountRef: { value: ids.checking } })), '6000');
    });

    it('6000 for an item without an expense account on a Bill', async () => {
      const b = bill({
        Line: [
          {
            Amount: 5,
            DetailType: 'ItemBasedExpenseLineDetail',
            ItemBasedExpenseLineDetail: { ItemRef: { value: ids.designFee } },
          },
        ],
      });
      expectFault(await create('Bill', b), '6000');
    });

    it('6000 for a DocNumber longer than 21 characters, naming the limit', async () => {
      const e = expectFault(await create('Bill', bill({ DocNumber: 'INV-2025-000000000001X' })), '6000');
      expect(e.Detail).toMatch(/21/);
      expect(e.element).toBe('DocNumber');
    });

    it('amounts: at most 2 decimals, not negative, numbers only; dates must be real', async () => {
      const three = bill();
      (three.Line as any)[0].Amount = 10.005;
      expectFault(await create('Bill', three), '6000');
      const neg = bill();
      (neg.Line as any)[0].Amount = -1;
      expectFault(await create('Bill', neg), '6000');
      const str = bill();
      (str.Line as any)[0].Amount = 'ten';
      expect((await create('Bill', str)).status).toBe(400);
      expect((await create('Bill', bill({ TxnDate: '2025-02-30' }))).status).toBe(400);
      expect((await create('Bill', bill({ DueDate: '03/04/2025' }))).status).toBe(400);
    });

    it('6140 for a duplicate Bill DocNumber for the same vendor, unless allowDuplicateDocNum', async () => {
      const first: any = await call((cb) => qbo.createBill(bill({ DocNumber: 'HD-77' }), cb));
      const e = expectFault(await create('Bill', bill({ DocNumber: 'HD-77' })), '6140');
      expect(e.Message).toBe('Duplicate Document Number Error');
      expect(e.Detail).toContain(`TxnId=${first.Id}`);
      // Another vendor may use the same number.
      const other: any = await call((cb) => qbo.createBill(bill({ DocNumber: 'HD-77', VendorRef: { value: ids.unitedRentals } }), cb));
      expect(other.DocNumber).toBe('HD-77');
      const allowed: any = await call((cb) => qbo.createBill({ ...bill({ DocNumber: 'HD-77' }), allowDuplicateDocNum: true }, cb));
      expect(allowed.Id).not.toBe(first.Id);
      expect(emu.requests.at(-1)!.query.include).toBe('allowduplicatedocnum');
    });

    it('6240 for a vendor name that already exists; a new vendor otherwise', async () => {
      const e = await fault(call((cb) => qbo.createVendor({ DisplayName: 'home depot' }, cb)));
      expectFault(e, '6240');
      const v: any = await call((cb) => qbo.createVendor({ DisplayName: 'Denver Drywall Supply' }, cb));
      expect(v).toMatchObject({ DisplayName: 'Denver Drywall Supply', Active: true, SyncToken: '0' });
    });

    it('5010 for an update with a stale SyncToken', async () => {
      const created: any = await call((cb) => qbo.createBill(bill(), cb));
      const updated: any = await call((cb) =>
        qbo.updateBill({ Id: created.Id, SyncToken: created.SyncToken, sparse: true, PrivateNote: 'checked' }, cb),
      );
      expect(updated.SyncToken).toBe('1');
      expect(updated.TotalAmt).toBe(100.3);
      const e = await fault(call((cb) => qbo.updateBill({ Id: created.Id, SyncToken: '0', sparse: true, PrivateNote: 'again' }, cb)));
      expectFault(e, '5010');
    });
  });
});
