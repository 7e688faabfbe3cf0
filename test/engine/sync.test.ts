import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { startEngineStack, configureWorkspace, byName, type EngineStack } from './engine-harness.ts';
import { addProfile, linkProfile } from '../../src/workspace/profiles.ts';
import type { Engine } from '../../src/engine.ts';
import type { Invoice } from '../../src/invoices/service.ts';
import { statusText } from '../../src/slack/copy/reasons.ts';

const TEAM = 'T1';
let n = 0;
const pdf = (label = `invoice ${++n}`) => Buffer.from(`%PDF-1.4\n% ${label}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);

async function newInvoice(engine: Engine, fields: Partial<Parameters<Engine['invoices']['confirm']>[1]> & { bytes?: Buffer } = {}) {
  const { bytes, ...rest } = fields;
  const { invoice } = await engine.invoices.create({ teamId: TEAM, source: 'upload', bytes: bytes ?? pdf(), fileName: 'invoice.pdf', mimeType: 'application/pdf', uploadedBy: 'UFOREMAN' });
  const vendor = byName(engine, TEAM, 'Vendor', 'United Rentals');
  return await engine.invoices.confirm(
    invoice.id,
    {
      txnType: 'Bill',
      purchaseAccountId: null,
      projectProfileId: null,
      costCodeProfileId: null,
      vendorId: vendor.id,
      vendorName: vendor.name,
      amountCents: 123456,
      currency: 'USD',
      invoiceNumber: `UR-${1000 + n}`,
      invoiceDate: '2026-11-02',
      dueDate: '2026-12-02',
      memo: 'Excavator rental',
      ...rest,
    },
    'UPM',
  );
}

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

describe('sync: Bill and Expense', () => {
  it('creates one Bill with the right fields and the original file attached', async () => {
    const { engine, emu } = s;
    const ws = await configureWorkspace(engine, TEAM);
    const bytes = pdf('the original file');
    const inv = await newInvoice(engine, { bytes, projectProfileId: ws.project.id, costCodeProfileId: ws.costCode.id });
    await engine.worker.start();
    expect((await engine.sync.submit(inv.id, 'UPM')).invoice.status).toBe('ready');
    await engine.worker.idle();

    const done = (await engine.invoices.byId(inv.id))!;
    expect(done.status).toBe('synced');
    const bills = emu.entities(realm, 'Bill');
    expect(bills).toHaveLength(1);
    const bill = bills[0];
    expect(bill.VendorRef.value).toBe(byName(engine, TEAM, 'Vendor', 'United Rentals').id);
    expect(bill.TotalAmt).toBe(1234.56);
    expect(bill.DocNumber).toBe(inv.invoiceNumber);
    expect(bill.TxnDate).toBe('2026-11-02');
    expect(bill.DueDate).toBe('2026-12-02');
    expect(bill.Line[0].ItemBasedExpenseLineDetail.ItemRef.value).toBe(ws.item.id);
    expect(bill.Line[0].ItemBasedExpenseLineDetail.CustomerRef.value).toBe(ws.customer.id);
    expect(done.qboId).toBe(bill.Id);
    expect(done.qboUrl).toBe(`https://app.sandbox.qbo.intuit.com/app/bill?txnId=${bill.Id}`);

    const atts = emu.entities(realm, 'Attachable');
    expect(atts).toHaveLength(1);
    expect(atts[0].AttachableRef[0].EntityRef).toMatchObject({ type: 'Bill', value: bill.Id });
    expect(atts[0].Size).toBe(bytes.length);
    expect(done.qboAttachableId).toBe(atts[0].Id);

    const history = (await engine.invoices.history(inv.id)).map((e) => e.toStatus);
    expect(history).toEqual(['received', 'ready', 'syncing', 'synced']);
  });

  it('creates an Expense (Purchase) paid by credit card from a Credit Card account', async () => {
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM);
    const visa = byName(engine, TEAM, 'Account', 'Visa Business');
    const inv = await newInvoice(engine, { txnType: 'Expense', purchaseAccountId: visa.id, amountCents: 41 });
    await engine.worker.start();
    await engine.sync.submit(inv.id, 'UPM');
    await engine.worker.idle();
    expect((await engine.invoices.byId(inv.id))!.status).toBe('synced');
    const [purchase] = emu.entities(realm, 'Purchase');
    expect(purchase).toMatchObject({ PaymentType: 'CreditCard', AccountRef: { value: visa.id }, TotalAmt: 0.41 });
    expect(purchase.EntityRef).toMatchObject({ type: 'Vendor' });
    expect(emu.entities(realm, 'Bill')).toHaveLength(0);
    expect((await engine.invoices.byId(inv.id))!.qboUrl).toContain('/app/expense?txnId=');
  });

  it('waits as ready with Auto-sync off, and goes when it is turned on', async () => {
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM, { autoSync: false });
    const a = await newInvoice(engine);
    const b = await newInvoice(engine);
    await engine.worker.start();
    await engine.sync.submit(a.id, 'UPM');
    await engine.sync.submit(b.id, 'UPM');
    await engine.worker.idle();
    expect((await engine.invoices.byId(a.id))!.status).toBe('ready');
    expect(emu.entities(realm, 'Bill')).toHaveLength(0);
    await engine.store.workspaces.updateSettings(TEAM, { autoSync: true }, 'UADMIN');
    expect(await engine.sync.queueReady(TEAM, 'UADMIN')).toBe(2);
    await engine.worker.idle();
    expect(emu.entities(realm, 'Bill')).toHaveLength(2);
  });

  it('marks a Bill paid with a BillPayment from its purchase account', async () => {
    const { engine, emu } = s;
    const ws = await configureWorkspace(engine, TEAM);
    const inv = await newInvoice(engine);
    await engine.worker.start();
    await engine.sync.submit(inv.id, 'UPM');
    await engine.worker.idle();
    const paid = await engine.sync.markPaid(inv.id, 'UPM');
    const [payment] = emu.entities(realm, 'BillPayment');
    expect(payment).toMatchObject({ PayType: 'Check', CheckPayment: { BankAccountRef: { value: ws.checking.id } }, TotalAmt: 1234.56 });
    expect(payment.Line[0].LinkedTxn[0]).toMatchObject({ TxnId: paid.qboId, TxnType: 'Bill' });
    expect(emu.entities(realm, 'Bill')[0].Balance).toBe(0);
    await engine.sync.markPaid(inv.id, 'UPM'); // idempotent
    expect(emu.entities(realm, 'BillPayment')).toHaveLength(1);
  });
});

describe('sync: exactly once', () => {
  it('a lost QBO answer (QBO created the Bill, we never heard) is retried without a second Bill', async () => {
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM);
    const inv = await newInvoice(engine);
    emu.injectFault({ method: 'POST', path: /\/bill$/, status: 503, afterWork: true, count: 1 });
    await engine.worker.start();
    await engine.sync.submit(inv.id, 'UPM');
    await engine.worker.idle();
    expect((await engine.invoices.byId(inv.id))!.status).toBe('synced');
    expect(emu.entities(realm, 'Bill')).toHaveLength(1);
    const billPosts = emu.requests.filter((r) => r.method === 'POST' && /\/bill$/.test(r.path));
    expect(billPosts.length).toBe(2); // the retry reached QBO and got the original answer back
    expect(new Set(billPosts.map((r) => r.query.requestid)).size).toBe(1);
  });

  it('a crash between QBO creating the Bill and our database write: the restarted process finishes with one Bill', async () => {
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM);
    const inv = await newInvoice(engine);
    await engine.sync.submit(inv.id, 'UPM'); // queued, not yet run
    // Simulate the crash: QBO does the work, and the process dies before our write (the answer never arrives).
    emu.injectFault({ method: 'POST', path: /\/bill$/, status: 504, afterWork: true, count: 1 });
    await expect(engine.sync.sync(inv.id, 'system')).rejects.toThrow();
    expect(emu.entities(realm, 'Bill')).toHaveLength(1);
    // The job row is still "running" with a lease held by the dead process.
    engine.db.$client.prepare(`UPDATE jobs SET status = 'running', lease_until = ? WHERE kind = 'invoice.sync'`).run(Date.now() - 1);
    const restarted = await s.restart();
    await restarted.worker.start();
    await restarted.worker.idle();
    const after = (await restarted.invoices.byId(inv.id))!;
    expect(after.status).toBe('synced');
    expect(emu.entities(realm, 'Bill')).toHaveLength(1);
    expect(after.qboId).toBe(emu.entities(realm, 'Bill')[0].Id);
    expect(emu.entities(realm, 'Attachable')).toHaveLength(1);
  });

  it('re-submitting unchanged fields keeps the revision; editing a field moves it', async () => {
    const { engine } = s;
    const inv = await newInvoice(engine);
    const fields = {
      txnType: inv.txnType!, purchaseAccountId: inv.purchaseAccountId, projectProfileId: inv.projectProfileId, costCodeProfileId: inv.costCodeProfileId,
      vendorId: inv.vendorId, vendorName: inv.vendorName, amountCents: inv.amountCents, currency: inv.currency, invoiceNumber: inv.invoiceNumber,
      invoiceDate: inv.invoiceDate, dueDate: inv.dueDate, memo: inv.memo,
    };
    expect((await engine.invoices.confirm(inv.id, fields, 'UPM')).revision).toBe(inv.revision);
    expect((await engine.invoices.confirm(inv.id, { ...fields, amountCents: 999 }, 'UPM')).revision).toBe(inv.revision + 1);
  });

  it('a duplicate (same file already synced) is caught before QBO', async () => {
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM);
    const bytes = pdf('same bytes');
    const first = await newInvoice(engine, { bytes });
    await engine.worker.start();
    await engine.sync.submit(first.id, 'UPM');
    await engine.worker.idle();
    const second = await newInvoice(engine, { bytes, invoiceNumber: 'OTHER-1' });
    const out = (await engine.sync.submit(second.id, 'UPM')).invoice;
    expect(out.status).toBe('duplicate');
    expect(out.duplicateOfId).toBe(first.id);
    expect(out.qboUrl).toBe((await engine.invoices.byId(first.id))!.qboUrl);
    const third = await newInvoice(engine, { invoiceNumber: first.invoiceNumber });
    expect((await engine.sync.submit(third.id, 'UPM')).invoice.status).toBe('duplicate');
    await engine.worker.idle();
    expect(emu.entities(realm, 'Bill')).toHaveLength(1);
  });
});

describe('sync: QuickBooks already has the bill (entered by hand)', () => {
  it('QBO refuses the duplicate number (6140): the invoice is a duplicate with a link; Sync anyway then books it once', async () => {
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM);
    const vendor = byName(engine, TEAM, 'Vendor', 'United Rentals');
    const materials = byName(engine, TEAM, 'Account', 'Job Materials');
    // Someone in the office already typed this bill into QuickBooks.
    const typed = await engine.qbo.create<any>(TEAM, 'Bill', {
      VendorRef: { value: vendor.id }, DocNumber: 'UR-HAND-1',
      Line: [{ Amount: 10, DetailType: 'AccountBasedExpenseLineDetail', AccountBasedExpenseLineDetail: { AccountRef: { value: materials.id } } }],
    });
    const inv = await newInvoice(engine, { invoiceNumber: 'UR-HAND-1' });
    await engine.worker.start();
    await engine.sync.submit(inv.id, 'UPM');
    await engine.worker.idle();
    const dup = (await engine.invoices.byId(inv.id))!;
    expect(dup).toMatchObject({ status: 'duplicate', qboCode: '6140' });
    expect(dup.qboUrl).toBe(`https://app.sandbox.qbo.intuit.com/app/bill?txnId=${typed.Id}`);
    expect(emu.entities(realm, 'Bill')).toHaveLength(1);

    await engine.invoices.patch(inv.id, { allowDuplicate: true }); // an admin's "Sync anyway"
    await engine.sync.submit(inv.id, 'UADMIN');
    await engine.worker.idle();
    expect((await engine.invoices.byId(inv.id))!.status).toBe('synced');
    expect(emu.entities(realm, 'Bill')).toHaveLength(2);
    const posts = emu.requests.filter((r) => r.method === 'POST' && /\/bill$/.test(r.path));
    expect(posts.at(-1)!.query.include).toBe('allowduplicatedocnum');
  });
});

describe('sync: preconditions block with a reason and send nothing', () => {
  const creates = (s: EngineStack) => s.emu.requests.filter((r) => r.method === 'POST' && /\/(bill|purchase)$/.test(r.path)).length;

  it('no purchase account', async () => {
    const { engine } = s;
    await configureWorkspace(engine, TEAM);
    await engine.store.workspaces.updateSettings(TEAM, { defaultPurchaseAccountId: null }, 'UADMIN');
    const out = (await engine.sync.submit((await newInvoice(engine)).id, 'UPM')).invoice;
    expect(out).toMatchObject({ status: 'blocked', blockCause: 'no_purchase_account' });
    expect(statusText(out)).toMatch(/No purchase account/);
    expect(creates(s)).toBe(0);
  });

  it('an unlinked project names the project, and resumes by itself once linked (one Bill)', async () => {
    const { engine, emu } = s;
    const ws = await configureWorkspace(engine, TEAM);
    const harbor = addProfile(engine.db, TEAM, 'project', 'Harbor View');
    const inv = await newInvoice(engine, { projectProfileId: harbor.id });
    await engine.worker.start();
    const out = (await engine.sync.submit(inv.id, 'UPM')).invoice;
    expect(out).toMatchObject({ status: 'blocked', blockCause: `unlinked:project:${harbor.id}` });
    expect(statusText(out)).toContain('"Harbor View" is not linked');
    await engine.worker.idle();
    expect(creates(s)).toBe(0);
    linkProfile(engine.db, TEAM, harbor.id, { entity: 'Customer', id: ws.customer.id, name: ws.customer.fullName });
    expect((await engine.sync.resumeBlocked(TEAM, 'UADMIN')).map((i) => i.id)).toEqual([inv.id]);
    await engine.worker.idle();
    expect((await engine.invoices.byId(inv.id))!.status).toBe('synced');
    expect(emu.entities(realm, 'Bill')).toHaveLength(1);
    await engine.sync.resumeBlocked(TEAM, 'UADMIN');
    await engine.worker.idle();
    expect(emu.entities(realm, 'Bill')).toHaveLength(1);
  });

  it('an unlinked cost code', async () => {
    const { engine } = s;
    await configureWorkspace(engine, TEAM);
    const cc = addProfile(engine.db, TEAM, 'cost_code', '09-900 Painting');
    const out = (await engine.sync.submit((await newInvoice(engine, { costCodeProfileId: cc.id })).id, 'UPM')).invoice;
    expect(out).toMatchObject({ status: 'blocked', blockCause: `unlinked:cost_code:${cc.id}` });
    expect(statusText(out)).toContain('cost code "09-900 Painting" is not linked');
  });

  it('QBO not connected', async () => {
    const { engine } = s;
    await configureWorkspace(engine, TEAM);
    await engine.connections.disconnect(TEAM);
    const out = (await engine.sync.submit((await newInvoice(engine)).id, 'UPM')).invoice;
    expect(out).toMatchObject({ status: 'blocked', blockCause: 'not_connected' });
    expect(statusText(out)).toMatch(/not connected/);
    expect(creates(s)).toBe(0);
  });

  it('an inactive purchase account, or one that is not Bank/Credit Card, as the cached lists have it (no QBO call)', async () => {
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM);
    const checking = byName(engine, TEAM, 'Account', 'Operating Checking');
    emu.setActive(realm, 'Account', checking.id, false);
    await engine.lists.refresh(TEAM); // the cache learns it (list refresh / webhook)
    const before = emu.requests.length;
    const inv = await newInvoice(engine);
    await engine.worker.start();
    await engine.sync.submit(inv.id, 'UPM');
    await engine.worker.idle();
    const out = (await engine.invoices.byId(inv.id))!;
    expect(out).toMatchObject({ status: 'blocked', blockCause: 'bad_purchase_account' });
    expect(statusText(out)).toMatch(/"Operating Checking" is inactive/);
    const materials = byName(engine, TEAM, 'Account', 'Job Materials');
    const inv2 = await newInvoice(engine, { purchaseAccountId: materials.id });
    await engine.sync.submit(inv2.id, 'UPM');
    await engine.worker.idle();
    expect(statusText((await engine.invoices.byId(inv2.id))!)).toMatch(/Bank or Credit Card/);
    expect(creates(s)).toBe(0);
    expect(emu.requests.slice(before)).toEqual([]);
  });
});

describe('sync: QBO refusals and outages', () => {
  it('an inactive vendor fails in plain words; after it is fixed, Retry succeeds', async () => {
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM);
    const vendor = byName(engine, TEAM, 'Vendor', 'United Rentals');
    emu.setActive(realm, 'Vendor', vendor.id, false);
    const inv = await newInvoice(engine);
    await engine.worker.start();
    await engine.sync.submit(inv.id, 'UPM');
    await engine.worker.idle();
    const failed = (await engine.invoices.byId(inv.id))!;
    expect(failed.status).toBe('failed');
    expect(failed.qboCode).toBe('610');
    expect(statusText(failed)).toMatch(/inactive or was deleted/);
    expect(statusText(failed)).not.toMatch(/Error|at .*\.ts/);
    emu.setActive(realm, 'Vendor', vendor.id, true);
    await engine.sync.enqueue(inv.id, 'UPM');
    await engine.worker.idle();
    expect((await engine.invoices.byId(inv.id))!.status).toBe('synced');
    expect(emu.entities(realm, 'Bill')).toHaveLength(1);
  });

  it('an outage is retried with backoff until QBO is back', async () => {
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM);
    const inv = await newInvoice(engine);
    emu.injectFault({ method: 'POST', path: /\/bill$/, status: 503, count: 3 });
    await engine.worker.start();
    await engine.sync.submit(inv.id, 'UPM');
    await engine.worker.idle();
    expect((await engine.invoices.byId(inv.id))!.status).toBe('synced');
    expect(emu.entities(realm, 'Bill')).toHaveLength(1);
  });
});

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
    engine.db.$client.prepare('UPDATE qbo_connections SET access_expires_at = 0').run();
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
    engine.db.$client.pragma('wal_checkpoint(TRUNCATE)');
    const raw = readFileSync(s.dbPath).toString('latin1');
    const tokenLogs = s.logs.join('\n');
    const issued = emu.requests.filter((r) => r.path.includes('tokens/bearer')).length;
    expect(issued).toBeGreaterThan(0);
    // Every token the emulator handed out is a random string; none appears in the file or the logs.
    const sealed = engine.db.$client.prepare('SELECT access_token_enc a, refresh_token_enc r FROM qbo_connections').get() as { a: string; r: string };
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
    const vendor = byName(engine, TEAM, 'Vendor', 'United Rentals');
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
    const waiting = (await engine.sync.submit((await newInvoice(engine, { projectProfileId: ws.project.id, costCodeProfileId: ws.costCode.id })).id, 'UPM')).invoice;
    expect(waiting.status).toBe('ready');
    const synced = await newInvoice(engine);
    await engine.sync.sync((await engine.sync.submit(synced.id, 'UPM')).invoice.id, 'UPM');
    const other = emu.addCompany('Other Company Inc');
    await s.connect(TEAM, other);
    const { listProfiles } = await import('../../src/workspace/profiles.ts');
    expect(await engine.store.workspaces.getSettings(TEAM)).toMatchObject({ defaultPurchaseAccountId: null, defaultExpenseAccountId: null });
    expect(listProfiles(engine.db, TEAM).every((p) => p.qboId === null)).toBe(true);
    const after = (await engine.invoices.byId(waiting.id))!;
    expect(after).toMatchObject({ status: 'needs_input', vendorId: null });
    expect(statusText(after)).toMatch(/different company/);
    await expect(engine.sync.markPaid(synced.id, 'UPM')).rejects.toThrow(/connected before/);
    expect(emu.entities(other, 'Bill')).toHaveLength(0);
    expect(engine.lists.purchaseAccounts(TEAM).length).toBeGreaterThan(0); // the new company's lists
  });
});
