// Shared by the QBO emulator tests: intuit-oauth / node-quickbooks clients pointed at the emulator, a connected
// session, raw API calls, fault helpers, and a seeded "world" (emulator + session + the seed ids tests use).
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import { startQboEmulator, type QboEmulator } from '../../emulators/qbo/index.ts';

const require = createRequire(import.meta.url);
export const schemaJson = require('../../emulators/qbo/qbo-entities.json');
// The bundled typings of both libraries disagree with their runtime; drive them untyped, as the app's wrapper does.
export const QuickBooks: any = require('node-quickbooks');
export const OAuthClient: any = require('intuit-oauth');

export const REDIRECT = 'http://localhost:3000/qbo/callback';
export const ACCOUNTING = 'com.intuit.quickbooks.accounting';

export interface Session {
  realmId: string;
  accessToken: string;
  refreshToken: string;
  oauth: any;
}

export function oauthClient(emu: QboEmulator, secret = emu.clientSecret): any {
  OAuthClient.authorizeEndpoint = emu.authorizeUrl;
  OAuthClient.tokenEndpoint = emu.tokenUrl;
  OAuthClient.revokeEndpoint = emu.revokeUrl;
  return new OAuthClient({
    clientId: emu.clientId,
    clientSecret: secret,
    environment: 'sandbox',
    redirectUri: REDIRECT,
  });
}

/** Consent (auto-approved by the emulator) → callback URL. */
export async function consent(emu: QboEmulator, client: any, state = 'state-123'): Promise<string> {
  const res = await fetch(client.authorizeUri({ scope: [OAuthClient.scopes.Accounting], state }), {
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  return res.headers.get('location')!;
}

export async function connect(emu: QboEmulator): Promise<Session> {
  const oauth = oauthClient(emu);
  const callback = await consent(emu, oauth);
  const auth = await oauth.createToken(callback);
  const json = auth.getJson();
  return {
    realmId: new URL(callback).searchParams.get('realmId')!,
    accessToken: json.access_token,
    refreshToken: json.refresh_token,
    oauth,
  };
}

export function qboFor(emu: QboEmulator, s: Pick<Session, 'realmId' | 'accessToken'>): any {
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
export function call<T = any>(fn: (cb: (err: any, data: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    fn((err, data) => {
      if (err) reject(err.response ? { status: err.response.status, data: err.response.data } : err);
      else resolve(data);
    });
  });
}

export async function fault(p: Promise<unknown>): Promise<{ status: number; data: any }> {
  try {
    await p;
  } catch (e: any) {
    return e;
  }
  throw new Error('expected a fault');
}

export function expectFault(f: { status: number; data: any }, code: string, status = 400) {
  expect(f.status).toBe(status);
  expect(f.data.Fault.type).toBe('ValidationFault');
  expect(f.data.Fault.Error[0].code).toBe(code);
  return f.data.Fault.Error[0];
}

export async function api(emu: QboEmulator, s: Session, path: string, init: RequestInit = {}): Promise<{ status: number; data: any }> {
  const res = await fetch(`${emu.url}/v3/company/${s.realmId}/${path}`, {
    ...init,
    headers: { authorization: `Bearer ${s.accessToken}`, accept: 'application/json', ...(init.headers ?? {}) },
  });
  const text = await res.text();
  return { status: res.status, data: text ? JSON.parse(text) : undefined };
}

export const q = (emu: QboEmulator, s: Session, query: string) => api(emu, s, `query?query=${encodeURIComponent(query)}&minorversion=75`);
export interface SeedIds {
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
}

/** The id of the first seeded `entity` matching `pred` in the default company. */
export function seedId(emu: QboEmulator, entity: string, pred: (e: any) => boolean): string {
  const e = emu.entities(emu.defaultRealmId, entity).find(pred);
  if (!e) throw new Error(`seed has no such ${entity}`);
  return e.Id as string;
}

/** A fresh emulator with a connected session and the ids of the seed records the tests use. */
export async function startWorld(): Promise<{ emu: QboEmulator; s: Session; qbo: any; ids: SeedIds }> {
  const emu = await startQboEmulator();
  const s = await connect(emu);
  const qbo = qboFor(emu, s);
  const find = (entity: string, pred: (e: any) => boolean) => seedId(emu, entity, pred);
  const ids: SeedIds = {
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
  return { emu, s, qbo, ids };
}

/** A valid two-line Bill for Home Depot on Job Materials (one line billable to the project), with overrides. */
export const billFor = (ids: SeedIds, over: Record<string, unknown> = {}) => ({
  VendorRef: { value: ids.homeDepot },
  TxnDate: '2025-03-04',
  Line: [
    {
      Amount: 100.1,
      DetailType: 'AccountBasedExpenseLineDetail',
      Description: 'Lumber',
      AccountBasedExpenseLineDetail: {
        AccountRef: { value: ids.materials },
        CustomerRef: { value: ids.project },
        BillableStatus: 'Billable',
      },
    },
    {
      Amount: 0.2,
      DetailType: 'AccountBasedExpenseLineDetail',
      AccountBasedExpenseLineDetail: { AccountRef: { value: ids.materials } },
    },
  ],
  ...over,
});
