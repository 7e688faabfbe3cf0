import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, waitFor, TEAM_A, type Stack } from '../harness.ts';
import { button, connectQbo, followConnect, forge, rejectedCalls, textOf, topModal, userPart } from './settings-helpers.ts';

/** A QBO authorization that stops working: one admin DM (not one per failure), a way back, and one DM again next time. */

let stack: Stack;
const T = TEAM_A.id;
const A = 'UADMIN';
const reconnectDms = () => stack.slack.dms(T, A).filter((m) => /needs to be reconnected/.test(m.text ?? ''));

beforeAll(async () => {
  stack = await startStack();
  await connectQbo(stack, T, A);
  await stack.driver.closeView({ teamId: T, userId: A, view: topModal(stack, T, A)! });
});
afterAll(async () => {
  await stack?.stop();
});

async function blockedInvoice(): Promise<number> {
  const { engine } = stack.app;
  const accounts = stack.qbo.entities(stack.qbo.defaultRealmId, 'Account');
  await engine.store.workspaces.updateSettings(
    T,
    {
      defaultPurchaseAccountId: String(accounts.find((a) => a.Name === 'Visa Business')!.Id),
      defaultExpenseAccountId: String(accounts.find((a) => a.Name === 'Job Materials')!.Id),
    },
    A,
  );
  const vendor = stack.qbo.entities(stack.qbo.defaultRealmId, 'Vendor').find((v) => v.Active !== false)!;
  const { invoice } = await engine.invoices.create({
    teamId: T,
    source: 'upload',
    bytes: Buffer.from('%PDF-1.4 n'),
    fileName: 'n.pdf',
    mimeType: 'application/pdf',
    uploadedBy: 'UPM',
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
      amountCents: 5000,
      currency: 'USD',
      invoiceNumber: 'N-1',
      invoiceDate: '2024-05-02',
      dueDate: null,
      memo: null,
    },
    'UPM',
  );
  return (await engine.sync.submit(invoice.id, 'UPM')).invoice.id;
}

async function breakAuthorization() {
  const realm = (await stack.app.engine.connections.get(T))!.realmId;
  stack.qbo.revokeRefreshTokens(realm);
  stack.qbo.expireAccessTokens(realm);
  // Two QBO calls fail; the connection is marked once.
  for (let i = 0; i < 2; i++) await stack.app.engine.lists.refresh(T).catch(() => {});
  await waitFor(async () => (await stack.app.engine.connections.get(T))?.status === 'needs_reconnect', 'connection marked');
}

describe('reconnect notices', () => {
  it('one DM to the admin when the authorization is revoked, with a button back to settings', async () => {
    await breakAuthorization();
    await waitFor(() => reconnectDms().length === 1, 'reconnect DM');
    await new Promise((r) => setTimeout(r, 200));
    expect(reconnectDms()).toHaveLength(1);
    const dm = reconnectDms()[0];
    expect(textOf(dm)).toContain('Keystone Builders LLC');
    // The button opens settings, which offers Reconnect QuickBooks.
    await stack.driver.clickButton({ teamId: T, userId: A, where: dm, actionId: 'settings_open' });
    const v = await waitFor(() => topModal(stack, T, A));
    await waitFor(() =>
      stack.slack.view(v.id)!.blocks.some((b: any) => b.block_id === 'settings_connection_actions' && JSON.stringify(b).includes('url')),
    );
    const settings = stack.slack.view(v.id)!;
    expect(textOf(settings)).toContain('needs reconnecting');
    const reconnect = button(settings, 'settings_connect');
    expect(reconnect.text.text).toBe('Reconnect QuickBooks');
    // Meanwhile an invoice is blocked on the broken connection.
    const invoiceId = await blockedInvoice();
    expect(await stack.app.engine.invoices.byId(invoiceId)).toMatchObject({ status: 'blocked', blockCause: 'not_connected' });
    const r = await followConnect(reconnect.url);
    expect(r.status).toBe(200);
    await waitFor(async () => (await stack.app.engine.connections.get(T))?.status === 'connected');
    // It resends itself once QuickBooks is back (Auto-sync is off: it waits as ready).
    await waitFor(async () => (await stack.app.engine.invoices.byId(invoiceId))!.status === 'ready', 'blocked invoice resumed');
    // The open modal is updated after the callback page.
    await waitFor(() => textOf(stack.slack.view(v.id)).includes('connected to *Keystone Builders LLC*'), 'modal updated');
    await stack.driver.closeView({ teamId: T, userId: A, view: topModal(stack, T, A)! });
  });

  it('after a reconnect, a new break sends one new DM', async () => {
    await breakAuthorization();
    await waitFor(() => reconnectDms().length === 2, 'second reconnect DM');
    await new Promise((r) => setTimeout(r, 200));
    expect(reconnectDms()).toHaveLength(2);
    expect(rejectedCalls(stack)).toEqual([]);
  });

  it('a non-admin pressing the DM button (forwarded or forged) gets no settings modal', async () => {
    const opened = stack.slack.callsTo('views.open').length;
    const dm = reconnectDms()[0];
    const r = await forge(stack, {
      type: 'block_actions',
      ...userPart(T, 'UPM'),
      trigger_id: stack.slack.issueTriggerId(T, 'UPM'),
      container: { type: 'message', message_ts: dm.ts, channel_id: dm.channel, is_ephemeral: false },
      channel: { id: dm.channel, name: 'directmessage' },
      actions: [{ action_id: 'settings_open', block_id: 'b', type: 'button', value: 'reconnect', action_ts: '1' }],
    });
    expect(r.status).toBe(200);
    await new Promise((res) => setTimeout(res, 200));
    expect(stack.slack.callsTo('views.open').length).toBe(opened);
    expect(stack.slack.openModalStack(T, 'UPM')).toHaveLength(0);
  });
});
