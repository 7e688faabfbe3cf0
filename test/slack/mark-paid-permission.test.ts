import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import { T, dmsTo, expectNothingRejected, latest, openReview, settle, setUpWorkspace, share } from './intake-helpers.ts';
import { buttonsOf, forge, openSettings, userPart } from './settings-helpers.ts';

/** Mark paid is an accounting act (issue 11.7): admins and the payers an admin names, nobody else. */

let stack: Stack;
let realmId = '';
let invoiceId = 0;
let card: Awaited<ReturnType<typeof share>>['card'];
const payments = () => stack.qbo.entities(realmId, 'BillPayment');
const hasMarkPaid = (m: { blocks?: any[] } | undefined) => buttonsOf(m).some((b) => b.action_id === 'invoice_mark_paid');

async function home(user: string) {
  const published = () => stack.slack.calls.filter((c) => c.method === 'views.publish' && c.args?.user_id === user).length;
  const before = published();
  await stack.driver.appHomeOpened({ teamId: T, userId: user });
  await waitFor(() => published() > before, `home for ${user}`);
  return stack.slack.homeView(T, user)!;
}

beforeAll(async () => {
  stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN' } });
  ({ realmId } = await setUpWorkspace(stack));
  ({ card } = await share(stack, 'invoice2data-AzureInterior.pdf'));
  await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: await openReview(stack, card), values: {} });
  await settle(stack);
  const inv = (await stack.app.engine.invoices.list(T))[0];
  expect(inv).toMatchObject({ status: 'synced', txnType: 'Bill' });
  invoiceId = inv.id;
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('Mark paid permission', () => {
  it("the thread card (seen by the whole channel) and a non-payer's DM and App Home carry no Mark paid button", async () => {
    expect(hasMarkPaid(latest(stack, card))).toBe(false);
    const synced = dmsTo(stack, 'UFOREMAN').find((m) => /is in QuickBooks/.test(m.text ?? ''));
    expect(synced).toBeTruthy();
    expect(hasMarkPaid(synced)).toBe(false);
    expect(hasMarkPaid(await home('UFOREMAN'))).toBe(false);
    expect(hasMarkPaid(await home('UADMIN'))).toBe(true);
  });

  it('a forged click by a non-payer is refused with an ephemeral message and pays nothing', async () => {
    const c = latest(stack, card);
    const r = await forge(stack, {
      type: 'block_actions',
      ...userPart(T, 'UFOREMAN'),
      trigger_id: stack.slack.issueTriggerId(T, 'UFOREMAN'),
      container: { type: 'message', message_ts: c.ts, channel_id: c.channel, is_ephemeral: false, thread_ts: c.thread_ts },
      channel: { id: c.channel, name: 'job-oak-street' },
      actions: [{ action_id: 'invoice_mark_paid', block_id: 'invoice_actions', type: 'button', value: String(invoiceId), action_ts: '1' }],
    });
    expect(r.status).toBe(200);
    const note = await waitFor(
      () => stack.slack.messages(c.channel).find((m) => m.ephemeral && m.user === 'UFOREMAN' && /payers/i.test(m.text ?? '')),
      'refusal',
    );
    expect(note.text).toMatch(/admins/i);
    await settle(stack);
    expect(payments()).toHaveLength(0);
    expect((await stack.app.engine.invoices.byId(invoiceId))!.qboPaymentId).toBeNull();
  });

  it('an admin names a payer in /qbo settings; the payer sees Mark paid in App Home and pays the bill', async () => {
    const v = await openSettings(stack, T, 'UADMIN');
    const saved = await stack.driver.submitView({ teamId: T, userId: 'UADMIN', view: v, values: { Payers: ['UPM'] } });
    expect(saved.errors).toBeUndefined();
    expect((await stack.app.engine.store.workspaces.getSettings(T)).payerUserIds).toEqual(['UPM']);
    await stack.driver.appHomeOpened({ teamId: T, userId: 'UPM' });
    const h = await waitFor(
      () => (hasMarkPaid(stack.slack.homeView(T, 'UPM')) ? stack.slack.homeView(T, 'UPM') : null),
      'Mark paid in the payer home',
    );
    await stack.driver.clickButton({ teamId: T, userId: 'UPM', where: h, actionId: 'invoice_mark_paid', value: String(invoiceId) });
    await waitFor(() => payments().length === 1, 'payment recorded');
    await settle(stack);
    expect((await stack.app.engine.invoices.byId(invoiceId))!.qboPaymentId).toBe(String(payments()[0].Id));
    expectNothingRejected(stack);
  });
});
