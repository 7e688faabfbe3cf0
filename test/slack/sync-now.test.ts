import { afterEach, describe, expect, it } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import {
  T,
  dmsTo,
  expectNothingRejected,
  invoiceOf,
  latest,
  onlyInvoice,
  openReview,
  settle,
  setUpWorkspace,
  share,
  textOf,
} from './intake-helpers.ts';

/** Auto-sync off: a ready invoice waits until an admin syncs it — from the thread card or from App Home. */

let stack: Stack;
afterEach(async () => {
  await stack?.stop();
});

async function readyInvoice() {
  stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN' } });
  const ws = await setUpWorkspace(stack, { autoSync: false });
  const { card } = await share(stack, 'invoice2data-AzureInterior.pdf');
  await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: await openReview(stack, card), values: {} });
  await settle(stack);
  const inv = await onlyInvoice(stack);
  expect(inv.status).toBe('ready');
  return { ws, card, inv };
}

const homeButtons = (user: string) =>
  (stack.slack.homeView(T, user)?.blocks ?? [])
    .flatMap((b: any) => [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])])
    .filter((e: any) => e.type === 'button');

describe('Sync now (Auto-sync off)', () => {
  it('on the thread card: a non-admin is refused; an admin syncs the ready invoice', async () => {
    const { ws, card, inv } = await readyInvoice();
    const now = latest(stack, card);
    expect(textOf(now)).toContain('Sync now');

    await stack.driver.clickButton({ teamId: T, userId: 'UFOREMAN', where: now, actionId: 'invoice_sync_now' });
    await waitFor(
      () => stack.slack.messages('CJOB1').find((m) => m.ephemeral && m.user === 'UFOREMAN' && /Only a QuickBooks admin/.test(m.text ?? '')),
      'refusal',
    );
    await settle(stack);
    expect((await invoiceOf(stack, inv.id)).status).toBe('ready');
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(0);

    await stack.driver.clickButton({ teamId: T, userId: 'UADMIN', where: latest(stack, card), actionId: 'invoice_sync_now' });
    await settle(stack);
    expect((await invoiceOf(stack, inv.id)).status).toBe('synced');
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(1);
    expect(textOf(dmsTo(stack, 'UFOREMAN').at(-1))).toContain('is in QuickBooks');
    expect(textOf(latest(stack, card))).not.toContain('Sync now');
    expectNothingRejected(stack);
  }, 60_000);

  it('in App Home for admins only; a precondition that no longer holds blocks it instead', async () => {
    const { ws, inv } = await readyInvoice();
    await stack.driver.appHomeOpened({ teamId: T, userId: 'UADMIN' });
    await waitFor(() => homeButtons('UADMIN').some((b: any) => b.action_id === 'invoice_sync_now'), 'Sync now in the admin home');
    await stack.driver.appHomeOpened({ teamId: T, userId: 'UFOREMAN' });
    await waitFor(() => stack.slack.homeView(T, 'UFOREMAN'), 'the foreman home');
    expect(homeButtons('UFOREMAN').map((b: any) => b.action_id)).not.toContain('invoice_sync_now');

    // QuickBooks was disconnected since: Sync now re-checks and the invoice is blocked, not sent.
    await stack.app.engine.connections.disconnect(T);
    await stack.driver.clickButton({ teamId: T, userId: 'UADMIN', where: stack.slack.homeView(T, 'UADMIN')!, actionId: 'invoice_sync_now' });
    await settle(stack);
    expect(await invoiceOf(stack, inv.id)).toMatchObject({ status: 'blocked', blockCause: 'not_connected' });
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(0);
    await waitFor(() => !homeButtons('UADMIN').some((b: any) => b.action_id === 'invoice_sync_now'), 'home refreshed');
    expectNothingRejected(stack);
  }, 60_000);
});
