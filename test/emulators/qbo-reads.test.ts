// The QBO + Intuit OAuth emulator over real HTTP, through the real node-quickbooks and intuit-oauth: the seed, reads and the query language.
// Every assertion is something real QBO / Intuit also does (see /work/shared/docs/qbo-api.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QboEmulator } from '../../emulators/qbo/index.ts';
import { call, expectFault, fault, q, schemaJson, startWorld, type SeedIds, type Session } from './qbo-helpers.ts';

describe('QBO emulator', () => {
  let emu: QboEmulator;
  let s: Session;
  let qbo: any;
  let ids: SeedIds;
  beforeAll(async () => {
    ({ emu, s, qbo, ids } = await startWorld());
  });
  afterAll(async () => {
    await emu.close();
  });

  describe('seed and reads', () => {
    it('reads CompanyInfo and the seeded lists with the fields QBO returns', async () => {
      const info: any = await call((cb) => qbo.getCompanyInfo(s.realmId, cb));
      expect(info).toMatchObject({
        CompanyName: 'Keystone Builders LLC',
        LegalName: 'Keystone Builders LLC',
        Country: 'US',
        Id: '1',
        domain: 'QBO',
      });
      expect(info.CompanyAddr).toMatchObject({
        Line1: '4200 Industrial Pkwy',
        City: 'Denver',
        CountrySubDivisionCode: 'CO',
        PostalCode: '80216',
      });
      // Every field and every address field is one Intuit's schema defines for CompanyInfo / PhysicalAddress.
      const types = (schemaJson as any).types;
      const known = new Set([...Object.keys(types.CompanyInfo.fields), ...Object.keys(types.CompanyInfo.attrs)]);
      expect(Object.keys(info).filter((k) => !known.has(k))).toEqual([]);
      for (const k of ['CompanyAddr', 'LegalAddr', 'CustomerCommunicationAddr']) {
        expect(Object.keys(info[k]).filter((f) => !(f in types.PhysicalAddress.fields))).toEqual([]);
      }
      const acct: any = await call((cb) => qbo.getAccount(ids.checking, cb));
      expect(acct).toMatchObject({
        Name: 'Operating Checking',
        AccountType: 'Bank',
        Classification: 'Asset',
        Active: true,
        SyncToken: '0',
      });
      expect(acct.MetaData.CreateTime).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      const vendor: any = await call((cb) => qbo.getVendor(ids.unitedRentals, cb));
      expect(vendor.DisplayName).toBe('United Rentals');
      const item: any = await call((cb) => qbo.getItem(ids.concreteItem, cb));
      expect(item.Type).toBe('NonInventory');
      expect(item.ExpenseAccountRef.value).toBeTruthy();
    });

    it('answers 610 Object Not Found for an id that does not exist', async () => {
      const e = await fault(call((cb) => qbo.getBill('999999', cb)));
      expectFault(e, '610');
    });

    it('has projects as sub-customers with Parent:Child names', async () => {
      const r = await q(emu, s, 'select * from Customer where Job = true and IsProject = true maxresults 1000');
      const projects = r.data.QueryResponse.Customer;
      expect(projects.length).toBeGreaterThan(50);
      const p = projects[0];
      const parent: any = await call((cb) => qbo.getCustomer(p.ParentRef.value, cb));
      expect(p.FullyQualifiedName).toBe(`${parent.FullyQualifiedName}:${p.DisplayName}`);
      expect(p.Level).toBe(1);
      const all = await q(emu, s, 'select count(*) from Customer where Active IN (true, false)');
      expect(all.data.QueryResponse.totalCount).toBeGreaterThanOrEqual(120);
    });
  });

  describe('query language', () => {
    it('node-quickbooks findAccounts with fetchAll pages past 100 and gets only active accounts', async () => {
      const accounts: any = await call((cb) => qbo.findAccounts({ fetchAll: true }, cb));
      const list = accounts.QueryResponse.Account;
      expect(list.length).toBeGreaterThan(100);
      expect(list.some((a: any) => a.Name === 'Old Savings')).toBe(false);
      const req = emu.requests.filter((r) => r.path.endsWith('/query')).at(-1)!;
      expect(req.query.query).toMatch(/^select \* from account/);
      expect(req.query.minorversion).toBe('75');
    });

    it('node-quickbooks criteria arrays: IN and = true, as the app builds its purchase-account picker', async () => {
      const r: any = await call((cb) =>
        qbo.findAccounts(
          [
            { field: 'AccountType', value: ['Bank', 'Credit Card'], operator: 'IN' },
            { field: 'Active', value: true },
          ],
          cb,
        ),
      );
      const names = r.QueryResponse.Account.map((a: any) => a.Name).sort();
      expect(names).toEqual(['Amex Corporate', 'Operating Checking', 'Payroll Checking', 'Visa Business']);
    });

    it('filters Active explicitly to see inactive rows', async () => {
      const r = await q(emu, s, "select * from Account where AccountType = 'Bank' and Active IN (true,false)");
      expect(r.data.QueryResponse.Account.map((a: any) => a.Name)).toContain('Old Savings');
    });

    it('LIKE with %, ORDERBY DESC, case-insensitive keywords and escaped quotes', async () => {
      const like = await q(emu, s, "SeLeCt * FrOm Vendor WhErE DisplayName LIKE '%Rental%' OrderBy DisplayName DeSc");
      expect(like.status).toBe(200);
      expect(like.data.QueryResponse.Vendor.map((v: any) => v.DisplayName)).toEqual([
        'United Rentals',
        'Tri-County Rental & Supply Corp',
        'Sunbelt Rentals',
        'Summit Equipment Rentals LLC',
      ]);
      const esc = await q(emu, s, "select * from Vendor where DisplayName = 'Lowe\\'s'");
      expect(esc.data.QueryResponse.Vendor[0].DisplayName).toBe("Lowe's");
    });

    it('pages with 1-based STARTPOSITION and MAXRESULTS (default 100), echoing startPosition/maxResults', async () => {
      const first = await q(emu, s, 'select * from Account');
      expect(first.data.QueryResponse.startPosition).toBe(1);
      expect(first.data.QueryResponse.maxResults).toBe(100);
      const page = await q(emu, s, 'select * from Account orderby Id startposition 11 maxresults 5');
      expect(page.data.QueryResponse).toMatchObject({ startPosition: 11, maxResults: 5 });
      expect(page.data.QueryResponse.Account[0].Id).toBe(first.data.QueryResponse.Account[10].Id);
      expect(typeof page.data.time).toBe('string');
    });

    it('count(*) answers totalCount; an empty result has no entity key', async () => {
      const c = await q(emu, s, "select count(*) from Account where AccountType = 'Credit Card'");
      expect(c.data.QueryResponse).toEqual({ totalCount: 2 });
      const empty = await q(emu, s, "select * from Vendor where DisplayName = 'Nobody Supplies'");
      expect(empty.status).toBe(200);
      expect(empty.data.QueryResponse).toEqual({});
    });

    it('nested property paths such as MetaData.LastUpdatedTime', async () => {
      const r = await q(emu, s, "select * from Account where MetaData.LastUpdatedTime > '2020-01-01T00:00:00-07:00' maxresults 3");
      expect(r.data.QueryResponse.Account).toHaveLength(3);
      const none = await q(emu, s, "select * from Account where MetaData.LastUpdatedTime > '2099-01-01T00:00:00Z'");
      expect(none.data.QueryResponse).toEqual({});
    });

    it('refuses OR, unknown properties and garbage with a 400 query fault', async () => {
      const or = await q(emu, s, "select * from Account where Name = 'A' or Name = 'B'");
      expect(or.status).toBe(400);
      expect(or.data.Fault.Error[0].code).toBe('4000');
      expect(or.data.Fault.Error[0].Detail).toMatch(/QueryParserError/);
      const prop = await q(emu, s, "select * from Account where Colour = 'red'");
      expect(prop.status).toBe(400);
      const bad = await q(emu, s, 'select from where');
      expect(bad.status).toBe(400);
    });
  });
});
