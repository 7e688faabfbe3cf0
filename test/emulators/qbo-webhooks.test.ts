// The emulator as Intuit's webhook sender and change-data-capture source, over real HTTP.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signWebhook, startQboEmulator, type QboEmulator } from '../../emulators/qbo/index.ts';

let emu: QboEmulator;
let receiver: Server;
let url = '';
let realm = '';
let token = '';
const received: Array<{ body: string; signature: string }> = [];
let failNext = 0;

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${emu.url}/v3/company/${realm}/${path}${path.includes('?') ? '&' : '?'}minorversion=75`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, data: (await res.json()) as any };
}

beforeAll(async () => {
  emu = await startQboEmulator();
  realm = emu.defaultRealmId;
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: String(req.headers['intuit-signature']),
      });
      res.writeHead(failNext-- > 0 ? 500 : 200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/qbo/webhooks`;
  const consent = await fetch(
    `${emu.authorizeUrl}?client_id=${emu.clientId}&response_type=code&scope=com.intuit.quickbooks.accounting&redirect_uri=http://x/cb&state=s`,
    { redirect: 'manual' },
  );
  const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
  const tok = await fetch(emu.tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${emu.clientId}:${emu.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'http://x/cb' }),
  });
  token = ((await tok.json()) as any).access_token;
});
afterAll(async () => {
  await emu.close();
  await new Promise((r) => receiver.close(r));
});
beforeEach(async () => {
  await emu.webhooks.idle();
  received.length = 0;
  failNext = 0;
  emu.webhooks.dropping = false;
});

const vendorId = () => emu.entities(realm, 'Vendor')[0].Id as string;
const expenseAccount = () => emu.entities(realm, 'Account').find((a) => a.AccountType === 'Expense').Id as string;
async function newBill(amount = 42) {
  const r = await api('POST', 'bill', {
    VendorRef: { value: vendorId() },
    Line: [
      {
        Amount: amount,
        DetailType: 'AccountBasedExpenseLineDetail',
        AccountBasedExpenseLineDetail: { AccountRef: { value: expenseAccount() } },
      },
    ],
  });
  expect(r.status).toBe(200);
  return r.data.Bill;
}

describe('QBO emulator webhooks', () => {
  it('sends a signed CloudEvents notification for a bill paid in QuickBooks: the payment created, the bill updated', async () => {
    emu.setWebhook({ url, verifierToken: 'verifier-1', format: 'cloudevents' });
    const bill = await newBill();
    await emu.webhooks.idle();
    received.length = 0;
    const payment = emu.payBill(realm, bill.Id, { date: '2026-03-12' });
    await emu.webhooks.idle();
    expect(received).toHaveLength(1);
    const { body, signature } = received[0];
    expect(signature).toBe(signWebhook(body, 'verifier-1'));
    const events = JSON.parse(body);
    expect(events.map((e: any) => [e.type, e.intuitentityid, e.intuitaccountid])).toEqual([
      ['qbo.billpayment.created.v1', payment.Id, realm],
      ['qbo.bill.updated.v1', bill.Id, realm],
    ]);
    expect(events[0]).toMatchObject({ specversion: '1.0', datacontenttype: 'application/json' });
    expect(emu.entities(realm, 'Bill').find((b) => b.Id === bill.Id).Balance).toBe(0);
  });

  it("sends the legacy eventNotifications payload, and retries on Intuit's schedule (scaled) while the app answers 500", async () => {
    emu.setWebhook({ url, verifierToken: 'verifier-1', format: 'legacy', retryScale: 0.01 });
    failNext = 2;
    emu.rename(realm, 'Vendor', vendorId(), 'Renamed Supply Co');
    await emu.webhooks.idle();
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    const n = JSON.parse(received[0].body).eventNotifications[0];
    expect(n.realmId).toBe(realm);
    expect(n.dataChangeEvent.entities).toEqual([{ name: 'Vendor', id: vendorId(), operation: 'Update', lastUpdated: expect.any(String) }]);
    const attempts = emu.webhooks.deliveries.slice(-3);
    expect(attempts.map((d) => [d.attempt, d.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    // Intuit waits 10 s, then 20 s (here 1/100 of it): never sooner.
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(95);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(195);
  });

  it('change data capture reports deletions, refuses more than 30 days back, and counts metered calls per realm', async () => {
    emu.setWebhook(null);
    const since = new Date(Date.now() - 1000).toISOString();
    const bill = await newBill(7);
    emu.deleteTransaction(realm, 'Bill', bill.Id);
    const before = emu.stats.metered[realm] ?? 0;
    const r = await api('GET', `cdc?entities=Bill,Vendor&changedSince=${encodeURIComponent(since)}`);
    expect(r.status).toBe(200);
    const [bills] = r.data.CDCResponse[0].QueryResponse;
    expect(bills.Bill.find((b: any) => b.Id === bill.Id)).toMatchObject({ status: 'Deleted' });
    const old = await api('GET', `cdc?entities=Bill&changedSince=${encodeURIComponent(new Date(Date.now() - 31 * 86400_000).toISOString())}`);
    expect(old.status).toBe(400);
    expect(emu.stats.metered[realm]).toBe(before + 2);
    await newBill(1); // a create is not metered
    expect(emu.stats.metered[realm]).toBe(before + 2);
  });

  it('while dropping, a change sends nothing (a missed webhook)', async () => {
    emu.setWebhook({ url, verifierToken: 'verifier-1' });
    emu.webhooks.dropping = true;
    emu.setActive(realm, 'Vendor', vendorId(), false);
    await emu.webhooks.idle();
    expect(received).toHaveLength(0);
  });
});
