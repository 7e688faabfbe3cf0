import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { startEngineStack, configureWorkspace, byName, type EngineStack } from './engine-harness.ts';
import type { Invoice } from '../../src/invoices/service.ts';
import { statusText } from '../../src/slack/copy/reasons.ts';
import { TEAM, newInvoice } from './sync-helpers.ts';

let s: EngineStack;
let realm: string;
beforeEach(async () => {
  s = await startEngineStack();
  realm = await s.connect(TEAM);
});
afterEach(async () => {
  await s.stop();
});

/** This test needs a stack started differently (emulator latency, fewer worker attempts…). */
async function restartWith(o: Parameters<typeof startEngineStack>[0]) {
  await s.stop();
  s = await startEngineStack(o);
  realm = await s.connect(TEAM);
}

describe('tokens', () => {
  it('20 concurrent syncs on an expired access token cause exactly one refresh', async () => {
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM, { autoSync: false });
    const invs: Invoice[] = [];
    for (let i = 0; i < 20; i++) invs.push((await engine.sync.submit((await newInvoice(engine)).id, 'UPM')).invoice);
    emu.expireAccessTokens(realm);
    const before = emu.stats.refreshGrants;
    await Promise.all(invs.map((i) => engine.sync.sync(i.id, 'UPM')));
    expect(emu.stats.refreshGrants - before).toBe(1);
    expect(emu.entities(realm, 'Bill')).toHaveLength(20);
  });

  it('also when our clock says the token expired (refresh before the call)', async () => {
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM, { autoSync: false });
    engine.conn.db.$client.prepare('UPDATE qbo_connections SET access_expires_at = 0').run();
    const invs: Invoice[] = [];
    for (let i = 0; i < 20; i++) invs.push((await engine.sync.submit((await newInvoice(engine)).id, 'UPM')).invoice);
    const before = emu.stats.refreshGrants;
    await Promise.all(invs.map((i) => engine.sync.sync(i.id, 'UPM')));
    expect(emu.stats.refreshGrants - before).toBe(1);
  });

  it('a revoked connection becomes needs_reconnect and blocks invoices instead of failing them', async () => {
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM);
    const notices: string[] = [];
    engine.connections.onNeedsReconnect = (team, reason) => notices.push(`${team}: ${reason}`);
    emu.revokeRefreshTokens(realm);
    const inv = await newInvoice(engine);
    await engine.worker.start();
    await engine.sync.submit(inv.id, 'UPM');
    await engine.worker.idle();
    expect((await engine.connections.get(TEAM))!.status).toBe('needs_reconnect');
    expect(await engine.invoices.byId(inv.id)).toMatchObject({ status: 'blocked', blockCause: 'not_connected' });
    expect(notices).toHaveLength(1);
    // Later invoices block at once and do not notify again.
    expect((await engine.sync.submit((await newInvoice(engine)).id, 'UPM')).invoice.status).toBe('blocked');
    expect(notices).toHaveLength(1);
  });

  it('stores the newest refresh token (rotation) and keeps tokens unreadable in the database file', async () => {
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM);
    emu.expireAccessTokens(realm);
    await engine.qbo.companyInfo(TEAM); // forces a refresh → the refresh token rotates
    await engine.qbo.companyInfo(TEAM);
    emu.expireAccessTokens(realm);
    await engine.qbo.companyInfo(TEAM); // works only if we kept the rotated token
    expect(emu.stats.refreshGrants).toBe(2);
    engine.conn.db.$client.pragma('wal_checkpoint(TRUNCATE)');
    const raw = readFileSync(s.dbPath).toString('latin1');
    const tokenLogs = s.logs.join('\n');
    const issued = emu.requests.filter((r) => r.path.includes('tokens/bearer')).length;
    expect(issued).toBeGreaterThan(0);
    // Every token the emulator handed out is a random string; none appears in the file or the logs.
    const sealed = engine.conn.db.$client.prepare('SELECT access_token_enc a, refresh_token_enc r FROM qbo_connections').get() as {
      a: string;
      r: string;
    };
    expect(sealed.a.startsWith('v1.')).toBe(true);
    const { decrypt } = await import('../../src/crypto.ts');
    const access = decrypt(s.engine.config.encryptionKey, sealed.a);
    const refresh = decrypt(s.engine.config.encryptionKey, sealed.r);
    expect(raw).not.toContain(access);
    expect(raw).not.toContain(refresh);
    expect(tokenLogs).not.toContain(access);
    expect(tokenLogs).not.toContain(refresh);
    expect((await engine.qbo.companyInfo(TEAM)).CompanyName).toBe('Keystone Builders LLC');
  });
});

describe('rate limits', () => {
  it('keeps within 10 concurrent requests per company: no 429s under a burst', async () => {
    await restartWith({ emu: { latencyMs: 40 } });
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM, { autoSync: false });
    const invs: Invoice[] = [];
    for (let i = 0; i < 30; i++) invs.push((await engine.sync.submit((await newInvoice(engine)).id, 'UPM')).invoice);
    await Promise.all(invs.map((i) => engine.sync.sync(i.id, 'UPM')));
    expect(emu.stats.throttled).toBe(0);
    expect(emu.stats.maxConcurrentSeen).toBeLessThanOrEqual(10);
    expect(emu.stats.maxConcurrentSeen).toBeGreaterThan(1);
    expect(emu.entities(realm, 'Bill')).toHaveLength(30);
  });
});

describe('review findings: never a second transaction, never a lost one', () => {
  it('after an outage that hid whether QBO created it, the invoice is locked and Retry replays the same request: one Bill', async () => {
    await restartWith({ env: { WORKER_MAX_ATTEMPTS: '2' } });
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM);
    const inv = await newInvoice(engine);
    emu.injectFault({ method: 'POST', path: /\/bill$/, status: 504, afterWork: true, count: 1 }); // created, answer lost
    emu.injectFault({ method: 'POST', path: /\/bill$/, status: 503, count: 1 }); // and still down at the last try
    await engine.worker.start();
    await engine.sync.submit(inv.id, 'UPM');
    await engine.worker.idle();
    const failed = (await engine.invoices.byId(inv.id))!;
    expect(failed.status).toBe('failed');
    expect(failed.pendingRequestId).toBeTruthy();
    expect(statusText(failed)).toMatch(/may already have it/);
    expect(emu.entities(realm, 'Bill')).toHaveLength(1);
    // Editing now could create a second Bill under a new request: refused.
    const { id: _id, ...fields } = failed;
    await expect(engine.invoices.confirm(inv.id, { ...(fields as any), memo: 'changed' }, 'UPM')).rejects.toThrow(/can no longer be changed/);
    await engine.sync.enqueue(inv.id, 'UPM'); // Retry
    await engine.worker.idle();
    const done = (await engine.invoices.byId(inv.id))!;
    expect(done.status).toBe('synced');
    expect(done.pendingRequestId).toBeNull();
    expect(emu.entities(realm, 'Bill')).toHaveLength(1);
    expect(done.qboId).toBe(emu.entities(realm, 'Bill')[0].Id);
  });

  it('an attachment outage never fails an invoice whose Bill exists: it is synced, and the file is attached later', async () => {
    await restartWith({ env: { WORKER_MAX_ATTEMPTS: '2' } });
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM);
    const inv = await newInvoice(engine);
    // Down for as many tries as a sync job gets: the Bill exists, the file cannot be attached yet.
    emu.injectFault({ method: 'POST', path: /\/upload$/, status: 503, count: 2 });
    await engine.worker.start();
    await engine.sync.submit(inv.id, 'UPM');
    await engine.worker.idle();
    const done = (await engine.invoices.byId(inv.id))!;
    expect(done.status).toBe('synced');
    expect(emu.entities(realm, 'Bill')).toHaveLength(1);
    expect(emu.entities(realm, 'Attachable')).toHaveLength(1);
    expect(done.qboAttachableId).toBe(emu.entities(realm, 'Attachable')[0].Id);
    // The same file shared again is caught as a duplicate.
    const again = await newInvoice(engine, { bytes: await engine.files.bytes(done.id) });
    expect((await engine.sync.submit(again.id, 'UPM')).invoice.status).toBe('duplicate');
  });

  it('a payment QBO refused can be tried again once the cause is fixed', async () => {
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM);
    const inv = await newInvoice(engine);
    await engine.worker.start();
    await engine.sync.submit(inv.id, 'UPM');
    await engine.worker.idle();
    const vendor = await byName(engine, TEAM, 'Vendor', 'United Rentals');
    emu.setActive(realm, 'Vendor', vendor.id, false);
    await expect(engine.sync.markPaid(inv.id, 'UPM')).rejects.toThrow();
    emu.setActive(realm, 'Vendor', vendor.id, true);
    const paid = await engine.sync.markPaid(inv.id, 'UPM');
    expect(paid.qboPaymentId).toBeTruthy();
    expect(emu.entities(realm, 'BillPayment')).toHaveLength(1);
  });

  it('connecting a different QBO company forgets the old company ids instead of booking to the wrong records', async () => {
    const { engine, emu } = s;
    const ws = await configureWorkspace(engine, TEAM, { autoSync: false });
    const waiting = (
      await engine.sync.submit((await newInvoice(engine, { projectProfileId: ws.project.id, costCodeProfileId: ws.costCode.id })).id, 'UPM')
    ).invoice;
    expect(waiting.status).toBe('ready');
    const synced = await newInvoice(engine);
    await engine.sync.sync((await engine.sync.submit(synced.id, 'UPM')).invoice.id, 'UPM');
    const other = emu.addCompany('Other Company Inc');
    await s.connect(TEAM, other);
    expect(await engine.store.workspaces.getSettings(TEAM)).toMatchObject({
      defaultPurchaseAccountId: null,
      defaultExpenseAccountId: null,
    });
    expect((await engine.store.profiles.list(TEAM)).every((p) => p.qboId === null)).toBe(true);
    const after = (await engine.invoices.byId(waiting.id))!;
    expect(after).toMatchObject({ status: 'needs_input', vendorId: null });
    expect(statusText(after)).toMatch(/different company/);
    await expect(engine.sync.markPaid(synced.id, 'UPM')).rejects.toThrow(/connected before/);
    expect(emu.entities(other, 'Bill')).toHaveLength(0);
    expect((await engine.lists.purchaseAccounts(TEAM)).length).toBeGreaterThan(0); // the new company's lists
  });
});
