import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { startEngineStack, configureWorkspace, byName, type EngineStack } from './engine-harness.ts';
import { addProfile, linkProfile } from '../../src/workspace/profiles.ts';
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
    const harbor = await addProfile(engine.store, TEAM, 'project', 'Harbor View');
    const inv = await newInvoice(engine, { projectProfileId: harbor.id });
    await engine.worker.start();
    const out = (await engine.sync.submit(inv.id, 'UPM')).invoice;
    expect(out).toMatchObject({ status: 'blocked', blockCause: `unlinked:project:${harbor.id}` });
    expect(statusText(out)).toContain('"Harbor View" is not linked');
    await engine.worker.idle();
    expect(creates(s)).toBe(0);
    await linkProfile(engine.store, TEAM, harbor.id, { entity: 'Customer', id: ws.customer.id, name: ws.customer.fullName });
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
    const cc = await addProfile(engine.store, TEAM, 'cost_code', '09-900 Painting');
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
    const checking = await byName(engine, TEAM, 'Account', 'Operating Checking');
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
    const materials = await byName(engine, TEAM, 'Account', 'Job Materials');
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
    const vendor = await byName(engine, TEAM, 'Vendor', 'United Rentals');
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
