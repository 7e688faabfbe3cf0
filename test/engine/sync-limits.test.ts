import { describe, it, expect, afterEach } from 'vitest';
import { startEngineStack, configureWorkspace, byName, type EngineStack } from './engine-harness.ts';
import type { Engine } from '../../src/engine.ts';
import { statusText } from '../../src/slack/copy/reasons.ts';

/** QBO calls per invoice, Intuit's rate window, and what a 429 does. */

const TEAM = 'T1';
let n = 0;
let s: EngineStack;
afterEach(async () => {
  await s?.stop();
});

async function confirmed(engine: Engine, o: { txnType?: 'Bill' | 'Expense'; purchaseAccountId?: string | null } = {}) {
  const { invoice } = await engine.invoices.create({
    teamId: TEAM,
    source: 'upload',
    bytes: Buffer.from(`%PDF-1.4\n% limits ${++n}\n%%EOF\n`),
    fileName: 'invoice.pdf',
    mimeType: 'application/pdf',
    uploadedBy: 'UPM',
  });
  const vendor = await byName(engine, TEAM, 'Vendor', 'United Rentals');
  return await engine.invoices.confirm(
    invoice.id,
    {
      txnType: o.txnType ?? 'Bill',
      purchaseAccountId: o.purchaseAccountId ?? null,
      projectProfileId: null,
      costCodeProfileId: null,
      vendorId: vendor.id,
      vendorName: vendor.name,
      amountCents: 5000 + n,
      currency: 'USD',
      invoiceNumber: `L-${n}`,
      invoiceDate: '2026-11-02',
      dueDate: null,
      memo: null,
    },
    'UPM',
  );
}

const api = (s: EngineStack, from: number) => s.emu.requests.slice(from).filter((r) => r.realmId);

describe('QBO calls per invoice', () => {
  it('books each invoice with two calls (create + upload) and no read, inside a short rate window without a 429', async () => {
    // Intuit's 500 a minute counted over 1.2 s windows: 10 requests per window, for 24 requests.
    s = await startEngineStack({
      emu: { latencyMs: 5, rateLimitPerMinute: 10, rateWindowMs: 1200 },
      env: { QBO_RATE_WINDOW_MS: '1200' },
    });
    await s.connect(TEAM);
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM);
    await new Promise((r) => setTimeout(r, 1300)); // a fresh window
    const from = emu.requests.length;
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) ids.push((await confirmed(engine, { txnType: i % 2 ? 'Expense' : 'Bill' })).id);
    await engine.worker.start();
    for (const id of ids) await engine.sync.submit(id, 'UPM');
    await engine.worker.idle();
    expect((await Promise.all(ids.map((id) => engine.invoices.byId(id)))).map((i) => i!.status)).toEqual(ids.map(() => 'synced'));
    const calls = api(s, from);
    expect(emu.stats.throttled).toBe(0);
    expect(calls.filter((r) => r.method === 'GET')).toEqual([]);
    expect(calls).toHaveLength(24);
    expect(calls.every((r) => r.status === 200)).toBe(true);
  }, 20_000);

  it('an account made inactive in QuickBooks after the lists were cached: QBO refuses, the account is re-read, the invoice waits for another', async () => {
    s = await startEngineStack();
    const realm = await s.connect(TEAM);
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM);
    const visa = await byName(engine, TEAM, 'Account', 'Visa Business');
    emu.setActive(realm, 'Account', visa.id, false); // QBO knows, our cache does not yet
    const inv = await confirmed(engine, { txnType: 'Expense', purchaseAccountId: visa.id });
    const from = emu.requests.length;
    await engine.worker.start();
    await engine.sync.submit(inv.id, 'UPM');
    await engine.worker.idle();
    const out = (await engine.invoices.byId(inv.id))!;
    expect(out).toMatchObject({ status: 'blocked', blockCause: 'bad_purchase_account', qboId: null });
    expect(statusText(out)).toMatch(/"Visa Business" is inactive/);
    expect(api(s, from).map((r) => `${r.method} ${r.path.split('/').pop()}`)).toEqual(['POST purchase', `GET ${visa.id}`]);
    expect((await engine.lists.get(TEAM, 'Account', visa.id))?.active).toBe(false); // the cache learnt it
    // Another account chosen: it books (a new requestid, not QBO's replay of the refusal).
    const checking = await byName(engine, TEAM, 'Account', 'Operating Checking');
    await engine.invoices.confirm(inv.id, { ...pick(out), purchaseAccountId: checking.id }, 'UPM');
    await engine.sync.submit(inv.id, 'UPM');
    await engine.worker.idle();
    expect((await engine.invoices.byId(inv.id))!.status).toBe('synced');
    expect(emu.entities(realm, 'Purchase')).toHaveLength(1);
  });
});

describe('a 429', () => {
  it("on the attachment waits for Intuit's window before the upload is tried again (not the queue's few ms)", async () => {
    s = await startEngineStack({ env: { QBO_RATE_WINDOW_MS: '1500' } });
    const realm = await s.connect(TEAM);
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM);
    const inv = await confirmed(engine);
    emu.injectFault({ method: 'POST', path: /\/upload/, status: 429, count: 1 });
    const from = emu.requests.length;
    await engine.worker.start();
    await engine.sync.submit(inv.id, 'UPM');
    await engine.worker.idle();
    expect(await engine.invoices.byId(inv.id)).toMatchObject({ status: 'synced' });
    expect((await engine.invoices.byId(inv.id))!.qboAttachableId).toBeTruthy();
    const uploads = api(s, from).filter((r) => r.path.endsWith('/upload'));
    expect(uploads.map((r) => r.status)).toEqual([429, 200]);
    expect(uploads[1].at - uploads[0].at).toBeGreaterThanOrEqual(1400);
    expect(emu.entities(realm, 'Attachable')).toHaveLength(1);
  }, 20_000);
});

function pick(inv: NonNullable<Awaited<ReturnType<Engine['invoices']['byId']>>>) {
  const {
    txnType,
    purchaseAccountId,
    projectProfileId,
    costCodeProfileId,
    vendorId,
    vendorName,
    amountCents,
    currency,
    invoiceNumber,
    invoiceDate,
    dueDate,
    memo,
  } = inv;
  return {
    txnType: txnType!,
    purchaseAccountId,
    projectProfileId,
    costCodeProfileId,
    vendorId,
    vendorName,
    amountCents,
    currency,
    invoiceNumber,
    invoiceDate,
    dueDate,
    memo,
  };
}
