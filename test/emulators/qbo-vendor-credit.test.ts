// VendorCredit and split (several-line) transactions in the QBO emulator, over real HTTP through node-quickbooks.
// Every assertion is something real QBO also does (Intuit's VendorCredit / BillPayment references, Finance.xsd).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { startQboEmulator, type QboEmulator } from '../../emulators/qbo/index.ts';

const require = createRequire(import.meta.url);
const QuickBooks: any = require('node-quickbooks');
const OAuthClient: any = require('intuit-oauth');

let emu: QboEmulator;
let qbo: any;
let realm: string;
const ids: Record<string, string> = {};

function call<T = any>(fn: (cb: (err: any, data: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    fn((err, data) => (err ? reject(err.response ? { status: err.response.status, data: err.response.data } : err) : resolve(data)));
  });
}
async function faultOf(p: Promise<unknown>): Promise<{ code: string; element: string; Detail: string }> {
  try {
    await p;
  } catch (e: any) {
    expect(e.status).toBe(400);
    return e.data.Fault.Error[0];
  }
  throw new Error('expected a fault');
}

beforeAll(async () => {
  emu = await startQboEmulator();
  OAuthClient.authorizeEndpoint = emu.authorizeUrl;
  OAuthClient.tokenEndpoint = emu.tokenUrl;
  const oauth = new OAuthClient({
    clientId: emu.clientId,
    clientSecret: emu.clientSecret,
    environment: 'sandbox',
    redirectUri: 'http://localhost:3000/cb',
  });
  const res = await fetch(oauth.authorizeUri({ scope: [OAuthClient.scopes.Accounting], state: 's' }), {
    redirect: 'manual',
  });
  const callback = res.headers.get('location')!;
  const token = (await oauth.createToken(callback)).getJson().access_token;
  realm = new URL(callback).searchParams.get('realmId')!;
  qbo = new QuickBooks({
    consumerKey: emu.clientId,
    consumerSecret: emu.clientSecret,
    token,
    tokenSecret: false,
    realmId: realm,
    useSandbox: true,
    minorversion: 75,
    oauthversion: '2.0',
  });
  qbo.endpoint = `${emu.url}/v3/company/`;
  const find = (entity: string, pred: (e: any) => boolean) => emu.entities(realm, entity).find(pred)!.Id as string;
  ids.vendor = find('Vendor', (v) => v.DisplayName === 'Home Depot');
  ids.other = find('Vendor', (v) => v.DisplayName === 'United Rentals');
  ids.materials = find('Account', (a) => a.Name === 'Job Materials');
  ids.checking = find('Account', (a) => a.Name === 'Operating Checking');
  ids.concrete = find('Item', (i) => i.Name === '03-300 Concrete');
  const projects = emu.entities(realm, 'Customer').filter((c) => c.IsProject === true && c.Active !== false);
  ids.projectA = projects[0].Id;
  ids.projectB = projects[1].Id;
  const inactive = emu.entities(realm, 'Customer').find((c) => c.Active === false);
  ids.inactiveCustomer = inactive?.Id ?? '';
});
afterAll(async () => {
  await emu.close();
});

const accountLine = (amount: number, customer: string, account = ids.materials) => ({
  Amount: amount,
  Description: `to ${customer}`,
  DetailType: 'AccountBasedExpenseLineDetail',
  AccountBasedExpenseLineDetail: { AccountRef: { value: account }, CustomerRef: { value: customer } },
});
const itemLine = (amount: number, customer: string) => ({
  Amount: amount,
  DetailType: 'ItemBasedExpenseLineDetail',
  ItemBasedExpenseLineDetail: {
    ItemRef: { value: ids.concrete },
    Qty: 1,
    UnitPrice: amount,
    CustomerRef: { value: customer },
  },
});

describe('split transactions', () => {
  it('a Bill with lines for two projects: each line keeps its CustomerRef, TotalAmt is their sum to the cent', async () => {
    const bill: any = await call((cb) =>
      qbo.createBill({ VendorRef: { value: ids.vendor }, Line: [accountLine(2100.1, ids.projectA), itemLine(1250.2, ids.projectB)] }, cb),
    );
    expect(bill.TotalAmt).toBe(3350.3);
    expect(bill.Balance).toBe(3350.3);
    expect(bill.Line.map((l: any) => [l.LineNum, (l.AccountBasedExpenseLineDetail ?? l.ItemBasedExpenseLineDetail).CustomerRef.value])).toEqual([
      [1, ids.projectA],
      [2, ids.projectB],
    ]);
  });

  it('a Purchase with several lines; a missing ref on the second line is 2500 naming that line', async () => {
    const p: any = await call((cb) =>
      qbo.createPurchase(
        {
          PaymentType: 'Check',
          AccountRef: { value: ids.checking },
          Line: [accountLine(10, ids.projectA), accountLine(5.55, ids.projectB)],
        },
        cb,
      ),
    );
    expect(p.TotalAmt).toBe(15.55);
    const f = await faultOf(
      call((cb) =>
        qbo.createPurchase(
          {
            PaymentType: 'Check',
            AccountRef: { value: ids.checking },
            Line: [accountLine(10, ids.projectA), accountLine(5, '999999')],
          },
          cb,
        ),
      ),
    );
    expect(f.code).toBe('2500');
    expect(f.element).toBe('Line[1].AccountBasedExpenseLineDetail.CustomerRef');
  });

  it('an inactive project on one line of a Bill is 610', async () => {
    if (!ids.inactiveCustomer) throw new Error('seed has no inactive customer');
    const f = await faultOf(
      call((cb) =>
        qbo.createBill(
          {
            VendorRef: { value: ids.vendor },
            Line: [accountLine(1, ids.projectA), accountLine(2, ids.inactiveCustomer)],
          },
          cb,
        ),
      ),
    );
    expect(f.code).toBe('610');
  });
});

describe('VendorCredit', () => {
  it('create, read and query: TotalAmt and Balance computed from the lines, the vendor owed less', async () => {
    const before = emu.entities(realm, 'Vendor').find((v) => v.Id === ids.vendor)!.Balance ?? 0;
    const vc: any = await call((cb) =>
      qbo.createVendorCredit(
        {
          VendorRef: { value: ids.vendor },
          DocNumber: 'CN-1',
          Line: [accountLine(30, ids.projectA), accountLine(12.5, ids.projectB)],
        },
        cb,
      ),
    );
    expect(vc.TotalAmt).toBe(42.5);
    expect(vc.Balance).toBe(42.5);
    expect(vc.VendorRef.name).toBe('Home Depot');
    expect(vc.APAccountRef.value).toBeTruthy();
    const read: any = await call((cb) => qbo.getVendorCredit(vc.Id, cb));
    expect(read.DocNumber).toBe('CN-1');
    const found: any = await call((cb) => qbo.findVendorCredits([{ field: 'VendorRef', value: ids.vendor }], cb));
    expect(found.QueryResponse.VendorCredit.map((x: any) => x.Id)).toContain(vc.Id);
    expect(emu.entities(realm, 'Vendor').find((v) => v.Id === ids.vendor)!.Balance).toBeCloseTo(before - 42.5, 2);
  });

  it('refuses unknown fields (2010), a negative line (6000) and a missing vendor (2020)', async () => {
    expect(
      (
        await faultOf(
          call((cb) => qbo.createVendorCredit({ VendorRef: { value: ids.vendor }, DueDate: '2026-01-01', Line: [accountLine(1, ids.projectA)] }, cb)),
        )
      ).code,
    ).toBe('2010');
    expect(
      (await faultOf(call((cb) => qbo.createVendorCredit({ VendorRef: { value: ids.vendor }, Line: [accountLine(-1, ids.projectA)] }, cb)))).code,
    ).toBe('6000');
    expect((await faultOf(call((cb) => qbo.createVendorCredit({ Line: [accountLine(1, ids.projectA)] }, cb)))).code).toBe('2020');
  });

  it('a BillPayment linking a Bill and a VendorCredit pays the difference; both balances go down', async () => {
    const bill: any = await call((cb) => qbo.createBill({ VendorRef: { value: ids.vendor }, Line: [accountLine(100, ids.projectA)] }, cb));
    const vc: any = await call((cb) => qbo.createVendorCredit({ VendorRef: { value: ids.vendor }, Line: [accountLine(30, ids.projectA)] }, cb));
    const pay: any = await call((cb) =>
      qbo.createBillPayment(
        {
          VendorRef: { value: ids.vendor },
          PayType: 'Check',
          CheckPayment: { BankAccountRef: { value: ids.checking } },
          TotalAmt: 70,
          Line: [
            { Amount: 100, LinkedTxn: [{ TxnId: bill.Id, TxnType: 'Bill' }] },
            { Amount: 30, LinkedTxn: [{ TxnId: vc.Id, TxnType: 'VendorCredit' }] },
          ],
        },
        cb,
      ),
    );
    expect(pay.TotalAmt).toBe(70);
    const b: any = await call((cb) => qbo.getBill(bill.Id, cb));
    const v: any = await call((cb) => qbo.getVendorCredit(vc.Id, cb));
    expect(b.Balance).toBe(0);
    expect(v.Balance).toBe(0);
    expect(v.LinkedTxn).toEqual([{ TxnId: pay.Id, TxnType: 'BillPaymentCheck' }]);
    // The credit is used up: applying it again is refused.
    const bill2: any = await call((cb) => qbo.createBill({ VendorRef: { value: ids.vendor }, Line: [accountLine(50, ids.projectA)] }, cb));
    const again = await faultOf(
      call((cb) =>
        qbo.createBillPayment(
          {
            VendorRef: { value: ids.vendor },
            PayType: 'Check',
            CheckPayment: { BankAccountRef: { value: ids.checking } },
            TotalAmt: 20,
            Line: [
              { Amount: 50, LinkedTxn: [{ TxnId: bill2.Id, TxnType: 'Bill' }] },
              { Amount: 30, LinkedTxn: [{ TxnId: vc.Id, TxnType: 'VendorCredit' }] },
            ],
          },
          cb,
        ),
      ),
    );
    expect(again.code).toBe('6000');
  });

  it('refuses a credit of another vendor, a payment too small for bills minus credits, and credits above the bills', async () => {
    const bill: any = await call((cb) => qbo.createBill({ VendorRef: { value: ids.vendor }, Line: [accountLine(40, ids.projectA)] }, cb));
    const mine: any = await call((cb) => qbo.createVendorCredit({ VendorRef: { value: ids.vendor }, Line: [accountLine(10, ids.projectA)] }, cb));
    const theirs: any = await call((cb) => qbo.createVendorCredit({ VendorRef: { value: ids.other }, Line: [accountLine(10, ids.projectA)] }, cb));
    const pay = (total: number, lines: unknown[]) =>
      faultOf(
        call((cb) =>
          qbo.createBillPayment(
            {
              VendorRef: { value: ids.vendor },
              PayType: 'Check',
              CheckPayment: { BankAccountRef: { value: ids.checking } },
              TotalAmt: total,
              Line: lines,
            },
            cb,
          ),
        ),
      );
    const billLine = (a: number) => ({ Amount: a, LinkedTxn: [{ TxnId: bill.Id, TxnType: 'Bill' }] });
    const creditLine = (id: string, a: number) => ({ Amount: a, LinkedTxn: [{ TxnId: id, TxnType: 'VendorCredit' }] });
    expect((await pay(30, [billLine(40), creditLine(theirs.Id, 10)])).Detail).toMatch(/another vendor/);
    expect((await pay(20, [billLine(40), creditLine(mine.Id, 10)])).element).toBe('TotalAmt');
    expect((await pay(0, [billLine(5), creditLine(mine.Id, 10)])).code).toBe('6000');
    expect((await pay(30, [billLine(40), creditLine('777777', 10)])).code).toBe('2500');
  });
});
