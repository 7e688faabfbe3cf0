import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, waitFor, TEAM_A, type Stack } from '../harness.ts';
import { notificationsIdle } from '../../src/slack/notify.ts';
import { button, connectQbo, followConnect, openSettings, textOf, topModal } from './settings-helpers.ts';

/** A revoked authorization: one message per person per outage (issue 11.8), not one per blocked invoice. */

let stack: Stack;
const T = TEAM_A.id;
const A = 'UADMIN';
const bot = TEAM_A.botUserId;
const dmsSince = (user: string, n: number) =>
  stack.slack
    .dms(T, user)
    .filter((m) => m.author === bot)
    .slice(n);
const blockedDms = (user: string, n = 0) => dmsSince(user, n).filter((m) => /not synced yet/.test(m.text ?? ''));
const reconnectDms = (user: string, n = 0) => dmsSince(user, n).filter((m) => /needs to be reconnected/.test(m.text ?? ''));

beforeAll(async () => {
  stack = await startStack();
  await connectQbo(stack, T, A);
  await stack.driver.closeView({ teamId: T, userId: A, view: topModal(stack, T, A)! });
  await waitFor(() => stack.slack.dms(T, A).some((m) => /is connected to/.test(m.text ?? '')), 'connected DM');
  const accounts = stack.qbo.entities(stack.qbo.defaultRealmId, 'Account');
  await stack.app.engine.store.workspaces.updateSettings(
    T,
    {
      defaultPurchaseAccountId: String(accounts.find((a) => a.Name === 'Visa Business')!.Id),
      defaultExpenseAccountId: String(accounts.find((a) => a.Name === 'Job Materials')!.Id),
    },
    A,
  );
});
afterAll(async () => {
  await stack?.stop();
});

let n = 0;
async function submitInvoice(user: string): Promise<number> {
  const { engine } = stack.app;
  const vendor = stack.qbo.entities(stack.qbo.defaultRealmId, 'Vendor').find((v) => v.Active !== false)!;
  const { invoice } = await engine.invoices.create({
    teamId: T,
    source: 'upload',
    bytes: Buffer.from(`%PDF-1.4 outage ${++n}`),
    fileName: `o${n}.pdf`,
    mimeType: 'application/pdf',
    uploadedBy: user,
  });
  await engine.invoices.confirm(
    invoice.id,
    {
      txnType: 'Bill',
      purchaseAccountId: null,
      projectProfileId: null,
      costCodeProfileId: null,
      vendorId: String(vendor.Id),
      vendorName: vendor.DisplayName,
      amountCents: 1000 + n,
      currency: 'USD',
      invoiceNumber: `OUT-${n}`,
      invoiceDate: '2024-05-02',
      dueDate: null,
      memo: null,
    },
    user,
  );
  return (await engine.sync.submit(invoice.id, user)).invoice.id;
}

async function breakAuthorization() {
  const realm = (await stack.app.engine.connections.get(T))!.realmId;
  stack.qbo.revokeRefreshTokens(realm);
  stack.qbo.expireAccessTokens(realm);
  for (let i = 0; i < 2; i++) await stack.app.engine.lists.refresh(T).catch(() => {});
  await waitFor(async () => (await stack.app.engine.connections.get(T))?.status === 'needs_reconnect', 'connection marked');
}

async function quiet() {
  await notificationsIdle();
  await new Promise((r) => setTimeout(r, 300));
  await notificationsIdle();
}

describe('a revoked authorization', () => {
  it('tells each person once: uploaders one DM however many invoices wait, admins only the reconnect notice', async () => {
    const pm0 = stack.slack.dms(T, 'UPM').length;
    const admin0 = stack.slack.dms(T, A).length;
    await breakAuthorization();
    await waitFor(() => reconnectDms(A, admin0).length === 1, 'reconnect notice');
    const ids = [await submitInvoice('UPM'), await submitInvoice('UPM'), await submitInvoice('UPM'), await submitInvoice(A)];
    for (const id of ids) expect(await stack.app.engine.invoices.byId(id)).toMatchObject({ status: 'blocked', blockCause: 'not_connected' });
    await quiet();
    expect(blockedDms('UPM', pm0)).toHaveLength(1);
    expect(dmsSince('UPM', pm0)).toHaveLength(1);
    expect(dmsSince(A, admin0)).toHaveLength(1); // the reconnect notice, nothing per invoice on top
    expect(textOf(dmsSince(A, admin0)[0])).toContain('needs to be reconnected');
  });

  it('after a reconnect, the next outage tells each person once again', async () => {
    const v = await openSettings(stack, T, A);
    const r = await followConnect(button(v, 'settings_connect').url);
    expect(r.status).toBe(200);
    await waitFor(async () => (await stack.app.engine.connections.get(T))?.status === 'connected', 'reconnected');
    await stack.driver.closeView({ teamId: T, userId: A, view: topModal(stack, T, A)! });
    await quiet();
    const pm0 = stack.slack.dms(T, 'UPM').length;
    await breakAuthorization();
    await submitInvoice('UPM');
    await submitInvoice('UPM');
    await quiet();
    expect(blockedDms('UPM', pm0)).toHaveLength(1);
  });
});
