// The QBO + Intuit OAuth emulator, driven over real HTTP by the real node-quickbooks and intuit-oauth.
// Every assertion is something real QBO / Intuit also does (see /work/shared/docs/qbo-api.md).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createRequire } from 'node:module';
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startQboEmulator, type QboEmulator } from '../../emulators/qbo/index.ts';

const require = createRequire(import.meta.url);
const schemaJson = require('./qbo/qbo-entities.json');
// The bundled typings of both libraries disagree with their runtime; drive them untyped, as the app's wrapper does.
const QuickBooks: any = require('node-quickbooks');
const OAuthClient: any = require('intuit-oauth');

const REDIRECT = 'http://localhost:3000/qbo/callback';
const ACCOUNTING = 'com.intuit.quickbooks.accounting';

interface Session {
  realmId: string;
  accessToken: string;
  refreshToken: string;
  oauth: any;
}

function oauthClient(emu: QboEmulator, secret = emu.clientSecret): any {
  OAuthClient.authorizeEndpoint = emu.authorizeUrl;
  OAuthClient.tokenEndpoint = emu.tokenUrl;
  OAuthClient.revokeEndpoint = emu.revokeUrl;
  return new OAuthClient({ clientId: emu.clientId, clientSecret: secret, environment: 'sandbox', redirectUri: REDIRECT });
}

/** Consent (auto-approved by the emulator) → callback URL. */
async function consent(emu: QboEmulator, client: any, state = 'state-123'): Promise<string> {
  const res = await fetch(client.authorizeUri({ scope: [OAuthClient.scopes.Accounting], state }), { redirect: 'manual' });
  expect(res.status).toBe(302);
  return res.headers.get('location')!;
}

async function connect(emu: QboEmulator): Promise<Session> {
  const oauth = oauthClient(emu);
  const callback = await consent(emu, oauth);
  const auth = await oauth.createToken(callback);
  const json = auth.getJson();
  return { realmId: new URL(callback).searchParams.get('realmId')!, accessToken: json.access_token, refreshToken: json.refresh_token, oauth };
}

function qboFor(emu: QboEmulator, s: Pick<Session, 'realmId' | 'accessToken'>): any {
  const qbo = new QuickBooks({
    consumerKey: emu.clientId,
    consumerSecret: emu.clientSecret,
    token: s.accessToken,
    tokenSecret: false,
    realmId: s.realmId,
    useSandbox: true,
    debug: false,
    minorversion: 75,
    oauthversion: '2.0',
  });
  qbo.endpoint = `${emu.url}/v3/company/`;
  return qbo;
}

/** node-quickbooks callback → promise; rejects with {status, data} on an HTTP error. */
function call<T = any>(fn: (cb: (err: any, data: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    fn((err, data) => {
      if (err) reject(err.response ? { status: err.response.status, data: err.response.data } : err);
      else resolve(data);
    });
  });
}

async function fault(p: Promise<unknown>): Promise<{ status: number; data: any }> {
  try {
    await p;
  } catch (e: any) {
    return e;
  }
  throw new Error('expected a fault');
}

function expectFault(f: { status: number; data: any }, code: string, status = 400) {
  expect(f.status).toBe(status);
  expect(f.data.Fault.type).toBe('ValidationFault');
  expect(f.data.Fault.Error[0].code).toBe(code);
  return f.data.Fault.Error[0];
}

async function api(emu: QboEmulator, s: Session, path: string, init: RequestInit = {}): Promise<{ status: number; data: any }> {
  const res = await fetch(`${emu.url}/v3/company/${s.realmId}/${path}`, {
    ...init,
    headers: { authorization: `Bearer ${s.accessToken}`, accept: 'application/json', ...(init.headers ?? {}) },
  });
  const text = await res.text();
  return { status: res.status, data: text ? JSON.parse(text) : undefined };
}

const q = (emu: QboEmulator, s: Session, query: string) => api(emu, s, `query?query=${encodeURIComponent(query)}&minorversion=75`);

// ---------------------------------------------------------------------------------------------------------------

describe('QBO emulator', () => {
  let emu: QboEmulator;
  let s: Session;
  let qbo: any;
  let ids: {
    homeDepot: string;
    unitedRentals: string;
    inactiveVendor: string;
    checking: string;
    oldSavings: string;
    visa: string;
    ap: string;
    materials: string;
    concreteItem: string;
    designFee: string;
    project: string;
  };

  const find = (entity: string, pred: (e: any) => boolean) => {
    const e = emu.entities(emu.defaultRealmId, entity).find(pred);
    if (!e) throw new Error(`seed has no such ${entity}`);
    return e.Id as string;
  };
  const bill = (over: Record<string, unknown> = {}) => ({
    VendorRef: { value: ids.homeDepot },
    TxnDate: '2025-03-04',
    Line: [
      {
        Amount: 100.1,
        DetailType: 'AccountBasedExpenseLineDetail',
        Description: 'Lumber',
        AccountBasedExpenseLineDetail: { AccountRef: { value: ids.materials }, CustomerRef: { value: ids.project }, BillableStatus: 'Billable' },
      },
      { Amount: 0.2, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: ids.materials } } },
    ],
    ...over,
  });

  beforeAll(async () => {
    emu = await startQboEmulator();
    s = await connect(emu);
    qbo = qboFor(emu, s);
    ids = {
      homeDepot: find('Vendor', (v) => v.DisplayName === 'Home Depot'),
      unitedRentals: find('Vendor', (v) => v.DisplayName === 'United Rentals'),
      inactiveVendor: find('Vendor', (v) => v.Active === false),
      checking: find('Account', (a) => a.Name === 'Operating Checking'),
      oldSavings: find('Account', (a) => a.Name === 'Old Savings'),
      visa: find('Account', (a) => a.Name === 'Visa Business'),
      ap: find('Account', (a) => a.AccountType === 'Accounts Payable'),
      materials: find('Account', (a) => a.Name === 'Job Materials'),
      concreteItem: find('Item', (i) => i.Name === '03-300 Concrete'),
      designFee: find('Item', (i) => i.Name === 'Design Fee'),
      project: find('Customer', (c) => c.IsProject === true && c.Active !== false),
    };
  });
  afterAll(async () => {
    await emu.close();
  });

  describe('OAuth (intuit-oauth)', () => {
    it('auto-approves consent: redirects with code, the echoed state and the realmId', async () => {
      const client = oauthClient(emu);
      const loc = new URL(await consent(emu, client, 'my-state'));
      expect(`${loc.origin}${loc.pathname}`).toBe(REDIRECT);
      expect(loc.searchParams.get('state')).toBe('my-state');
      expect(loc.searchParams.get('realmId')).toBe(emu.defaultRealmId);
      expect(loc.searchParams.get('code')).toBeTruthy();
    });

    it('refuses an authorize request without the accounting scope or with an unknown client', async () => {
      const base = `${emu.authorizeUrl}?response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&state=x`;
      expect((await fetch(`${base}&client_id=${emu.clientId}&scope=openid`, { redirect: 'manual' })).status).toBe(400);
      expect((await fetch(`${base}&client_id=someone-else&scope=${ACCOUNTING}`, { redirect: 'manual' })).status).toBe(400);
    });

    it('exchanges a code once, answers the token shape, and rotates refresh tokens', async () => {
      const client = oauthClient(emu);
      const callback = await consent(emu, client);
      const before = { ...emu.stats };
      const json = (await client.createToken(callback)).getJson();
      expect(json).toMatchObject({ token_type: 'bearer', expires_in: 3600, x_refresh_token_expires_in: 8726400 });
      expect(json.access_token).toBeTruthy();
      expect(client.getToken().realmId).toBe(emu.defaultRealmId);

      // A code is single-use.
      const again = await fault(oauthClient(emu).createToken(callback));
      expect((again as any).error).toBe('invalid_grant');

      // Rotation: the new refresh token works, the old one no longer does.
      const r2 = (await client.refreshUsingToken(json.refresh_token)).getJson();
      expect(r2.refresh_token).not.toBe(json.refresh_token);
      expect(r2.access_token).not.toBe(json.access_token);
      const old = await fault(oauthClient(emu).refreshUsingToken(json.refresh_token));
      expect((old as any).error).toBe('invalid_grant');
      const r3 = (await client.refreshUsingToken(r2.refresh_token)).getJson();
      expect(r3.access_token).toBeTruthy();
      // The access token from the second refresh still works against the API.
      const info = await call((cb) => qboFor(emu, { realmId: emu.defaultRealmId, accessToken: r3.access_token }).getCompanyInfo(emu.defaultRealmId, cb));
      expect((info as any).CompanyName).toBe('Keystone Builders LLC');
      expect(emu.stats.authorizationCodeGrants - before.authorizationCodeGrants).toBe(2);
      expect(emu.stats.refreshGrants - before.refreshGrants).toBe(3);
    });

    it('rejects a code exchanged with another redirect_uri, and bad client credentials with invalid_client', async () => {
      const client = oauthClient(emu);
      const code = new URL(await consent(emu, client)).searchParams.get('code')!;
      const basic = `Basic ${Buffer.from(`${emu.clientId}:${emu.clientSecret}`).toString('base64')}`;
      const res = await fetch(emu.tokenUrl, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'http://evil.example/cb' }),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'invalid_grant' });

      const wrongSecret = oauthClient(emu, 'not-the-secret');
      const e = await fault(wrongSecret.createToken(await consent(emu, wrongSecret)));
      expect((e as any).error).toBe('invalid_client');
    });

    it('revoke (JSON body, Basic auth) kills the refresh token and its access tokens', async () => {
      const session = await connect(emu);
      await session.oauth.revoke({ refresh_token: session.refreshToken });
      const e = await fault(oauthClient(emu).refreshUsingToken(session.refreshToken));
      expect((e as any).error).toBe('invalid_grant');
      const r = await api(emu, session, `companyinfo/${session.realmId}`);
      expect(r.status).toBe(401);
    });

    it('consents to the company chosen by nextAuthorizeRealm', async () => {
      const second = emu.addCompany('Second Street Renovations');
      emu.nextAuthorizeRealm = second;
      try {
        const session = await connect(emu);
        expect(session.realmId).toBe(second);
        const info: any = await call((cb) => qboFor(emu, session).getCompanyInfo(second, cb));
        expect(info.CompanyName).toBe('Second Street Renovations');
        // A token for one company does not open another: 403 ApplicationAuthorizationFailed, as QBO answers.
        const other = await api(emu, { ...session, realmId: emu.defaultRealmId }, `companyinfo/${emu.defaultRealmId}`);
        expect(other.status).toBe(403);
        expect(other.data.fault.error[0]).toMatchObject({ code: '3100', message: 'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403' });
        // Nor does a realm that does not exist.
        expect((await api(emu, { ...session, realmId: '1234' }, 'companyinfo/1234')).status).toBe(403);
      } finally {
        emu.nextAuthorizeRealm = emu.defaultRealmId;
      }
    });
  });

  describe('API authentication', () => {
    it('answers 401 with the lower-case AUTHENTICATION fault after expireAccessTokens, until a refresh', async () => {
      const realm = emu.addCompany('Expired Tokens Inc');
      emu.nextAuthorizeRealm = realm;
      const session = await connect(emu);
      emu.nextAuthorizeRealm = emu.defaultRealmId;
      const client = qboFor(emu, session);
      await call((cb) => client.getCompanyInfo(session.realmId, cb));
      emu.expireAccessTokens(session.realmId);
      const e = await fault(call((cb) => client.getCompanyInfo(session.realmId, cb)));
      expect(e.status).toBe(401);
      expect(e.data.fault.type).toBe('AUTHENTICATION');
      expect(e.data.fault.error[0].code).toBe('3200');
      const fresh = (await session.oauth.refreshUsingToken(session.refreshToken)).getJson();
      client.token = fresh.access_token;
      const info: any = await call((cb) => client.getCompanyInfo(session.realmId, cb));
      expect(info.CompanyName).toBe('Expired Tokens Inc');
      // Only that company's tokens expired.
      expect((await api(emu, s, `companyinfo/${s.realmId}`)).status).toBe(200);
    });

    it('after revokeRefreshTokens, refresh answers invalid_grant and access tokens 401', async () => {
      const other = emu.addCompany('Revoked Co');
      emu.nextAuthorizeRealm = other;
      const session = await connect(emu);
      emu.nextAuthorizeRealm = emu.defaultRealmId;
      emu.revokeRefreshTokens(other);
      expect((await api(emu, session, `companyinfo/${other}`)).status).toBe(401);
      const e = await fault(oauthClient(emu).refreshUsingToken(session.refreshToken));
      expect((e as any).error).toBe('invalid_grant');
      // Other companies are unaffected.
      expect((await api(emu, s, `companyinfo/${s.realmId}`)).status).toBe(200);
    });

    it('refuses a missing bearer token', async () => {
      const res = await fetch(`${emu.url}/v3/company/${s.realmId}/companyinfo/${s.realmId}`);
      expect(res.status).toBe(401);
    });
  });

  describe('seed and reads', () => {
    it('reads CompanyInfo and the seeded lists with the fields QBO returns', async () => {
      const info: any = await call((cb) => qbo.getCompanyInfo(s.realmId, cb));
      expect(info).toMatchObject({ CompanyName: 'Keystone Builders LLC', LegalName: 'Keystone Builders LLC', Country: 'US', Id: '1', domain: 'QBO' });
      expect(info.CompanyAddr).toMatchObject({ Line1: '4200 Industrial Pkwy', City: 'Denver', CountrySubDivisionCode: 'CO', PostalCode: '80216' });
      // Every field and every address field is one Intuit's schema defines for CompanyInfo / PhysicalAddress.
      const types = (schemaJson as any).types;
      const known = new Set([...Object.keys(types.CompanyInfo.fields), ...Object.keys(types.CompanyInfo.attrs)]);
      expect(Object.keys(info).filter((k) => !known.has(k))).toEqual([]);
      for (const k of ['CompanyAddr', 'LegalAddr', 'CustomerCommunicationAddr']) {
        expect(Object.keys(info[k]).filter((f) => !(f in types.PhysicalAddress.fields))).toEqual([]);
      }
      const acct: any = await call((cb) => qbo.getAccount(ids.checking, cb));
      expect(acct).toMatchObject({ Name: 'Operating Checking', AccountType: 'Bank', Classification: 'Asset', Active: true, SyncToken: '0' });
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
      const r = await q(emu, s, "select * from Customer where Job = true and IsProject = true maxresults 1000");
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
      expect(like.data.QueryResponse.Vendor.map((v: any) => v.DisplayName)).toEqual(['United Rentals', 'Tri-County Rental & Supply Corp', 'Sunbelt Rentals', 'Summit Equipment Rentals LLC']);
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

  describe('create Bill and Purchase', () => {
    it('creates a Bill: QBO computes TotalAmt and Balance to the cent, fills refs, leaves DocNumber empty', async () => {
      const created: any = await call((cb) => qbo.createBill(bill(), cb));
      expect(created).toMatchObject({ SyncToken: '0', domain: 'QBO', sparse: false, TotalAmt: 100.3, Balance: 100.3, TxnDate: '2025-03-04' });
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
            Line: [{ Amount: 1250, DetailType: 'ItemBasedExpenseLineDetail', ItemBasedExpenseLineDetail: { ItemRef: { value: ids.concreteItem }, Qty: 1, UnitPrice: 1250, CustomerRef: { value: ids.project } } }],
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
              { Amount: 19.99, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: ids.materials } } },
              { Amount: 5.02, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: ids.materials } } },
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
          { PaymentType: 'Check', AccountRef: { value: ids.checking }, Line: [{ Amount: 42, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: ids.materials } } }] },
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
      Line: [{ Amount: 10, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: ids.materials } } }],
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
      const b = bill({ Line: [{ Amount: 5, DetailType: 'ItemBasedExpenseLineDetail', ItemBasedExpenseLineDetail: { ItemRef: { value: ids.designFee } } }] });
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
      const updated: any = await call((cb) => qbo.updateBill({ Id: created.Id, SyncToken: created.SyncToken, sparse: true, PrivateNote: 'checked' }, cb));
      expect(updated.SyncToken).toBe('1');
      expect(updated.TotalAmt).toBe(100.3);
      const e = await fault(call((cb) => qbo.updateBill({ Id: created.Id, SyncToken: '0', sparse: true, PrivateNote: 'again' }, cb)));
      expectFault(e, '5010');
    });
  });

  describe('requestid idempotency', () => {
    it('the same requestid returns the original response without creating a second Bill', async () => {
      const count = () => emu.entities(s.realmId, 'Bill').length;
      const before = count();
      const a: any = await call((cb) => qbo.createBill({ ...bill({ DocNumber: 'RQ-1' }), requestId: 'inv-42-rev-1' }, cb));
      const b: any = await call((cb) => qbo.createBill({ ...bill({ DocNumber: 'RQ-1' }), requestId: 'inv-42-rev-1' }, cb));
      expect(b.Id).toBe(a.Id);
      expect(b).toEqual(a);
      expect(count()).toBe(before + 1);
      expect(emu.requests.at(-1)!.query.requestid).toBe('inv-42-rev-1');
      // A new requestid is new work (and here a duplicate DocNumber).
      const e = await fault(call((cb) => qbo.createBill({ ...bill({ DocNumber: 'RQ-1' }), requestId: 'inv-42-rev-2' }, cb)));
      expectFault(e, '6140');
    });

    it('replays a fault too', async () => {
      const first = await fault(call((cb) => qbo.createBill({ ...bill({ VendorRef: { value: '424242' } }), requestId: 'bad-ref-1' }, cb)));
      const again = await fault(call((cb) => qbo.createBill({ ...bill(), requestId: 'bad-ref-1' }, cb)));
      expect(again.data).toEqual(first.data);
    });
  });

  describe('attachments', () => {
    let billId: string;
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(Array.from({ length: 600 }, (_, i) => i % 256)), Buffer.from('\n%%EOF\n')]);
    beforeAll(async () => {
      billId = ((await call((cb) => qbo.createBill(bill(), cb))) as any).Id;
    });

    it('node-quickbooks upload(): content part, then attachable?operation=update links it to the Bill', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'qbo-emu-'));
      const file = join(dir, 'invoice.pdf');
      writeFileSync(file, pdf);
      const att: any = await call((cb) => qbo.upload('invoice.pdf', 'application/pdf', createReadStream(file), 'Bill', billId, cb));
      expect(att.AttachableRef[0].EntityRef).toMatchObject({ type: 'Bill', value: billId });
      expect(att).toMatchObject({ FileName: 'invoice.pdf', ContentType: 'application/pdf', Size: pdf.length, SyncToken: '1' });
      const stored = emu.entities(s.realmId, 'Attachable').find((a) => a.Id === att.Id)!;
      expect(Buffer.compare(stored._bytes, pdf)).toBe(0);
      const paths = emu.requests.slice(-2).map((r) => `${r.method} ${r.path.split('/').pop()} ${r.query.operation ?? ''}`.trim());
      expect(paths).toEqual(['POST upload', 'POST attachable update']);
      // The temporary download link serves the same bytes.
      const dl = await fetch(att.TempDownloadUri);
      expect(Buffer.compare(Buffer.from(await dl.arrayBuffer()), pdf)).toBe(0);
    });

    it('multipart upload with file_metadata_01 + file_content_01 links in one call', async () => {
      const form = new FormData();
      const meta = { AttachableRef: [{ EntityRef: { type: 'Bill', value: billId } }], FileName: 'scan.pdf', ContentType: 'application/pdf' };
      form.append('file_metadata_01', new Blob([JSON.stringify(meta)], { type: 'application/json' }), 'attachment.json');
      form.append('file_content_01', new Blob([pdf], { type: 'application/pdf' }), 'scan.pdf');
      const r = await api(emu, s, 'upload?minorversion=75', { method: 'POST', body: form });
      expect(r.status).toBe(200);
      const att = r.data.AttachableResponse[0].Attachable;
      expect(att).toMatchObject({ FileName: 'scan.pdf', Size: pdf.length });
      expect(att.AttachableRef[0].EntityRef.value).toBe(billId);
    });

    it('takes the image types QBO takes (JPEG, PNG, TIFF…), refuses HEIC and WebP with a Fault naming the type', async () => {
      const upload = (name: string, type: string) => {
        const form = new FormData();
        form.append('file_metadata_01', JSON.stringify({ AttachableRef: [{ EntityRef: { type: 'Bill', value: billId } }], FileName: name, ContentType: type }));
        form.append('file_content_01', new Blob([pdf], { type }), name);
        return api(emu, s, 'upload', { method: 'POST', body: form });
      };
      for (const [name, type] of [['IMG_1.jpg', 'image/jpeg'], ['shot.png', 'image/png'], ['scan.tif', 'image/tiff']]) {
        expect((await upload(name, type)).data.AttachableResponse[0].Attachable).toMatchObject({ FileName: name, ContentType: type });
      }
      for (const [name, type] of [['IMG_2.heic', 'image/heic'], ['photo.webp', 'image/webp']]) {
        const f = (await upload(name, type)).data.AttachableResponse[0].Fault.Error[0];
        expect(f.Detail).toContain(type);
      }
    });

    it('an upload linked to a transaction that does not exist comes back as a Fault', async () => {
      const form = new FormData();
      form.append('file_metadata_01', JSON.stringify({ AttachableRef: [{ EntityRef: { type: 'Bill', value: '777777' } }], FileName: 'x.pdf', ContentType: 'application/pdf' }));
      form.append('file_content_01', new Blob([pdf], { type: 'application/pdf' }), 'x.pdf');
      const r = await api(emu, s, 'upload', { method: 'POST', body: form });
      expect(r.data.AttachableResponse[0].Fault.Error[0].code).toBe('2500');
      const e = await fault(call((cb) => qbo.upload('y.pdf', 'application/pdf', pdf, 'Bill', '777777', cb)));
      expect(e.status).toBe(400);
    });
  });

  describe('BillPayment', () => {
    it('pays a Bill from a bank account and reduces its Balance', async () => {
      const b: any = await call((cb) => qbo.createBill(bill(), cb));
      const pay: any = await call((cb) =>
        qbo.createBillPayment(
          {
            VendorRef: { value: ids.homeDepot },
            PayType: 'Check',
            CheckPayment: { BankAccountRef: { value: ids.checking } },
            TotalAmt: 60,
            Line: [{ Amount: 60, LinkedTxn: [{ TxnId: b.Id, TxnType: 'Bill' }] }],
          },
          cb,
        ),
      );
      expect(pay.TotalAmt).toBe(60);
      const after: any = await call((cb) => qbo.getBill(b.Id, cb));
      expect(after.Balance).toBe(40.3);
      expect(after.LinkedTxn).toEqual([{ TxnId: pay.Id, TxnType: 'BillPaymentCheck' }]);
      // More than the open balance is refused.
      const over = await fault(
        call((cb) =>
          qbo.createBillPayment(
            { VendorRef: { value: ids.homeDepot }, PayType: 'Check', CheckPayment: { BankAccountRef: { value: ids.checking } }, TotalAmt: 50, Line: [{ Amount: 50, LinkedTxn: [{ TxnId: b.Id, TxnType: 'Bill' }] }] },
            cb,
          ),
        ),
      );
      expectFault(over, '6000');
    });

    it('needs the right account for the PayType and an existing Bill', async () => {
      const b: any = await call((cb) => qbo.createBill(bill(), cb));
      const line = [{ Amount: 10, LinkedTxn: [{ TxnId: b.Id, TxnType: 'Bill' }] }];
      const base = { VendorRef: { value: ids.homeDepot }, TotalAmt: 10, Line: line };
      expectFault(await fault(call((cb) => qbo.createBillPayment({ ...base, PayType: 'Check', CheckPayment: { BankAccountRef: { value: ids.visa } } }, cb))), '6000');
      expectFault(await fault(call((cb) => qbo.createBillPayment({ ...base, PayType: 'CreditCard', CreditCardPayment: { CCAccountRef: { value: ids.checking } } }, cb))), '6000');
      expectFault(await fault(call((cb) => qbo.createBillPayment({ ...base, PayType: 'CreditCard' }, cb))), '2020');
      const cc: any = await call((cb) => qbo.createBillPayment({ ...base, PayType: 'CreditCard', CreditCardPayment: { CCAccountRef: { value: ids.visa } } }, cb));
      expect(cc.PayType).toBe('CreditCard');
      const missing = { ...base, PayType: 'Check', CheckPayment: { BankAccountRef: { value: ids.checking } }, Line: [{ Amount: 10, LinkedTxn: [{ TxnId: '565656', TxnType: 'Bill' }] }] };
      expectFault(await fault(call((cb) => qbo.createBillPayment(missing, cb))), '2500');
    });
  });

  describe('fault injection', () => {
    it('answers the injected status for the next matching request only', async () => {
      emu.injectFault({ method: 'GET', path: /\/companyinfo\//, status: 503 });
      const e = await fault(call((cb) => qbo.getCompanyInfo(s.realmId, cb)));
      expect(e.status).toBe(503);
      expect(e.data.Fault.type).toBe('SERVICE');
      const ok: any = await call((cb) => qbo.getCompanyInfo(s.realmId, cb));
      expect(ok.CompanyName).toBe('Keystone Builders LLC');
    });

    it('afterWork: the Bill is committed although the answer is a 500; a retry with the same requestid gets the Bill', async () => {
      const before = emu.entities(s.realmId, 'Bill').length;
      emu.injectFault({ method: 'POST', path: /\/bill$/, status: 500, afterWork: true });
      const e = await fault(call((cb) => qbo.createBill({ ...bill({ DocNumber: 'LOST-1' }), requestId: 'lost-response-1' }, cb)));
      expect(e.status).toBe(500);
      expect(emu.entities(s.realmId, 'Bill').length).toBe(before + 1);
      const retry: any = await call((cb) => qbo.createBill({ ...bill({ DocNumber: 'LOST-1' }), requestId: 'lost-response-1' }, cb));
      expect(retry.DocNumber).toBe('LOST-1');
      expect(emu.entities(s.realmId, 'Bill').length).toBe(before + 1);
    });

    it('count and a custom body', async () => {
      emu.injectFault({ path: /\/query$/, status: 500, count: 2, body: { oops: true } });
      expect((await q(emu, s, 'select * from Class')).data).toEqual({ oops: true });
      expect((await q(emu, s, 'select * from Class')).status).toBe(500);
      expect((await q(emu, s, 'select * from Class')).status).toBe(200);
    });
  });
});

describe('QBO emulator throttling', () => {
  it('answers 429 ThrottleExceeded past maxConcurrent requests in flight per company', async () => {
    const emu = await startQboEmulator({ maxConcurrent: 2, latencyMs: 150 });
    try {
      const s = await connect(emu);
      const results = await Promise.all(Array.from({ length: 6 }, () => api(emu, s, `companyinfo/${s.realmId}`)));
      const throttled = results.filter((r) => r.status === 429);
      expect(throttled.length).toBeGreaterThan(0);
      expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(2);
      const err = throttled[0].data.Fault;
      expect(err.type).toBe('SERVICE');
      expect(err.Error[0]).toMatchObject({ code: '3001', Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429' });
      expect(emu.stats.maxConcurrentSeen).toBeGreaterThan(2);
      expect(emu.stats.throttled).toBe(throttled.length);
    } finally {
      await emu.close();
    }
  });

  it('answers 429 past rateLimitPerMinute within the window, and recovers after it', async () => {
    const emu = await startQboEmulator({ rateLimitPerMinute: 3, rateWindowMs: 300 });
    try {
      const s = await connect(emu);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await api(emu, s, `companyinfo/${s.realmId}`)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      // Another company has its own budget.
      const other = emu.addCompany('Other Co');
      emu.nextAuthorizeRealm = other;
      const s2 = await connect(emu);
      expect((await api(emu, s2, `companyinfo/${other}`)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 350));
      expect((await api(emu, s, `companyinfo/${s.realmId}`)).status).toBe(200);
    } finally {
      await emu.close();
    }
  });
});

describe('QBO emulator: batch, change data capture, attachable queries, delete', () => {
  let emu: QboEmulator;
  let s: Session;
  let qbo: any;
  let vendorId: string;
  let acctId: string;
  beforeAll(async () => {
    emu = await startQboEmulator();
    s = await connect(emu);
    qbo = qboFor(emu, s);
    vendorId = emu.entities(s.realmId, 'Vendor').find((v) => v.DisplayName === 'Fastenal')!.Id;
    acctId = emu.entities(s.realmId, 'Account').find((a) => a.Name === 'Small Tools & Equipment')!.Id;
  });
  afterAll(() => emu.close());
  const line = (amount: number) => ({ Amount: amount, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: acctId } } });

  it('batch: per-item results and faults', async () => {
    const r: any = await call((cb) =>
      qbo.batch(
        [
          { bId: 'b1', operation: 'create', Bill: { VendorRef: { value: vendorId }, Line: [line(12.5)] } },
          { bId: 'b2', operation: 'create', Bill: { VendorRef: { value: '0' }, Line: [line(1)] } },
          { bId: 'q1', Query: "select * from Vendor where DisplayName = 'Fastenal'" },
        ],
        cb,
      ),
    );
    const byId = Object.fromEntries(r.BatchItemResponse.map((x: any) => [x.bId, x]));
    expect(byId.b1.Bill.TotalAmt).toBe(12.5);
    expect(byId.b2.Fault.Error[0].code).toBe('2500');
    expect(byId.q1.QueryResponse.Vendor[0].Id).toBe(vendorId);
  });

  it('change data capture returns what changed since a time', async () => {
    const since = new Date(Date.now() - 60_000);
    const b: any = await call((cb) => qbo.createBill({ VendorRef: { value: vendorId }, Line: [line(3)] }, cb));
    const r: any = await call((cb) => qbo.changeDataCapture(['Bill', 'Vendor'], since, cb));
    const [bills, vendors] = r.CDCResponse[0].QueryResponse;
    expect(bills.Bill.map((x: any) => x.Id)).toContain(b.Id);
    expect(vendors).toEqual({});
  });

  it('finds the attachables of a Bill by AttachableRef.EntityRef', async () => {
    const b: any = await call((cb) => qbo.createBill({ VendorRef: { value: vendorId }, Line: [line(8)] }, cb));
    await call((cb) => qbo.upload('r.png', 'image/png', Buffer.from('png-bytes'), 'Bill', b.Id, cb));
    const r = await q(emu, s, `select * from Attachable where AttachableRef.EntityRef.Type = 'Bill' and AttachableRef.EntityRef.value = '${b.Id}'`);
    expect(r.data.QueryResponse.Attachable).toHaveLength(1);
    expect(r.data.QueryResponse.Attachable[0].FileName).toBe('r.png');
  });

  it('computes DueDate from SalesTermRef, and deletes a Bill with its SyncToken', async () => {
    const net30 = emu.entities(s.realmId, 'Term').find((t) => t.Name === 'Net 30')!.Id;
    const b: any = await call((cb) => qbo.createBill({ VendorRef: { value: vendorId }, TxnDate: '2025-01-15', SalesTermRef: { value: net30 }, Line: [line(9)] }, cb));
    expect(b.DueDate).toBe('2025-02-14');
    const del: any = await call((cb) => qbo.deleteBill({ Id: b.Id, SyncToken: b.SyncToken }, cb));
    expect(del.Bill ?? del).toMatchObject({ status: 'Deleted', Id: b.Id });
    expectFault(await fault(call((cb) => qbo.getBill(b.Id, cb))), '610');
  });
});
