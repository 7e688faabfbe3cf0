// The QBO emulator's throttling, batch, change data capture, attachable queries and delete, over real HTTP.
// Every assertion is something real QBO / Intuit also does (see /work/shared/docs/qbo-api.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQboEmulator, type QboEmulator } from '../../emulators/qbo/index.ts';
import { api, call, connect, expectFault, fault, q, qboFor, type Session } from './qbo-helpers.ts';

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
      expect(err.Error[0]).toMatchObject({
        code: '3001',
        Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429',
      });
      expect(emu.stats.maxConcurrentSeen).toBeGreaterThan(2);
      expect(emu.stats.throttled).toBe(throttled.length);
      // Per company: the most in flight it saw, and its 429s.
      expect(emu.realmStats.of(s.realmId)).toMatchObject({
        maxInFlight: emu.stats.maxConcurrentSeen,
        throttled: throttled.length,
      });
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
      expect(emu.realmStats.of(s.realmId)).toMatchObject({ maxPerWindow: 3, throttled: 1 });
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

describe('QBO emulator counters of token refreshes', () => {
  it('counts refresh-token grant requests per company between access-token expiries', async () => {
    const emu = await startQboEmulator();
    try {
      const s = await connect(emu);
      expect(emu.realmStats.of(s.realmId).refreshesPerEpoch).toEqual([0]);
      emu.expireAccessTokens(s.realmId);
      const next = (await s.oauth.refreshUsingToken(s.refreshToken)).getJson();
      emu.expireAccessTokens(s.realmId);
      await s.oauth.refreshUsingToken(next.refresh_token);
      // A second instance refreshing with the refresh token that was already rotated away counts too (and fails).
      await expect(s.oauth.refreshUsingToken(next.refresh_token)).rejects.toBeTruthy();
      expect(emu.realmStats.of(s.realmId).refreshesPerEpoch).toEqual([0, 1, 2]);
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
  const line = (amount: number) => ({
    Amount: amount,
    DetailType: 'AccountBasedExpenseLineDetail',
    AccountBasedExpenseLineDetail: { AccountRef: { value: acctId } },
  });

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
    const b: any = await call((cb) =>
      qbo.createBill({ VendorRef: { value: vendorId }, TxnDate: '2025-01-15', SalesTermRef: { value: net30 }, Line: [line(9)] }, cb),
    );
    expect(b.DueDate).toBe('2025-02-14');
    const del: any = await call((cb) => qbo.deleteBill({ Id: b.Id, SyncToken: b.SyncToken }, cb));
    expect(del.Bill ?? del).toMatchObject({ status: 'Deleted', Id: b.Id });
    expectFault(await fault(call((cb) => qbo.getBill(b.Id, cb))), '610');
  });
});
