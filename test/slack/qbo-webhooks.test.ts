import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startStack, waitFor, type Stack } from '../harness.ts';
import { signWebhook, webhookBody } from '../../emulators/qbo/index.ts';
import { T, byName, dmsTo, latest, openReview, settle, setUpWorkspace, share, textOf } from './intake-helpers.ts';
import { buttonsOf } from './settings-helpers.ts';

/** Issue 15: what the bookkeeper does in QuickBooks reaches Slack through Intuit's webhooks. */

const TOKEN = 'intuit-verifier-token-for-tests';
let stack: Stack;
let realmId = '';
let hook = '';
const stored = () => stack.app.engine.conn.db.get<{ n: number }>(sql`select count(*) as n from qbo_changes`).n;
const metered = () => stack.qbo.stats.metered[realmId] ?? 0;
const paidDms = (text: RegExp) => dmsTo(stack, 'UFOREMAN').filter((m) => text.test(m.text ?? ''));

async function bookedBill(file: string) {
  const { card } = await share(stack, file);
  await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: await openReview(stack, card), values: {} });
  await settle(stack);
  const inv = (await stack.app.engine.invoices.list(T)).find((i) => i.cardTs === card.ts)!;
  expect(inv).toMatchObject({ status: 'synced', txnType: 'Bill' });
  await stack.qbo.webhooks.idle(); // the Bill's own "created" notification
  await settle(stack);
  return { card, inv };
}

async function home(user: string) {
  const published = () => stack.slack.calls.filter((c) => c.method === 'views.publish' && c.args?.user_id === user).length;
  const before = published();
  await stack.driver.appHomeOpened({ teamId: T, userId: user });
  await waitFor(() => published() > before, `home for ${user}`);
  return stack.slack.homeView(T, user)!;
}

const post = (body: string, signature: string) =>
  fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json', 'intuit-signature': signature }, body });

beforeAll(async () => {
  stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN', QBO_WEBHOOK_TOKEN: TOKEN } });
  ({ realmId } = await setUpWorkspace(stack));
  hook = `${stack.app.url}/qbo/webhooks`;
  stack.qbo.setWebhook({ url: hook, verifierToken: TOKEN, format: 'cloudevents', retryScale: 0.001 });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('QuickBooks webhooks', () => {
  it('a Bill paid in QuickBooks: card and App Home show it paid, Mark paid is gone, the uploader gets a DM', async () => {
    const { card, inv } = await bookedBill('invoice2data-AzureInterior.pdf');
    expect(buttonsOf(await home('UADMIN')).some((b) => b.action_id === 'invoice_mark_paid')).toBe(true);
    const checking = await byName(stack.app.engine, 'Account', 'Operating Checking');
    stack.qbo.payBill(realmId, inv.qboId!, { accountId: checking.id, date: '2026-03-12' });
    const dm = await waitFor(() => paidDms(/Paid on 12 Mar from Operating Checking/)[0], 'paid DM');
    expect(textOf(dm)).toContain('Paid on 12 Mar from Operating Checking');
    await settle(stack);
    expect((await stack.app.engine.invoices.byId(inv.id))!.qboPaymentId).toBe(String(stack.qbo.entities(realmId, 'BillPayment')[0].Id));
    expect(textOf(latest(stack, card))).toMatch(/paid/i);
    expect(textOf(latest(stack, card))).toContain('Paid on 12 Mar from Operating Checking');
    const h = await home('UADMIN');
    expect(textOf(h)).toMatch(/, paid/);
    expect(buttonsOf(h).some((b) => b.action_id === 'invoice_mark_paid')).toBe(false);
  });

  it('the same notifications delivered three more times, out of order: nothing changes twice and nothing more is read', async () => {
    const bodies = stack.qbo.webhooks.deliveries.filter((d) => d.status === 200 && /billpayment|bill\./.test(d.body)).map((d) => d.body);
    expect(bodies.length).toBeGreaterThan(0);
    const before = {
      dms: paidDms(/Paid on/).length,
      metered: metered(),
      history: await Promise.all((await stack.app.engine.invoices.list(T)).map(async (i) => (await stack.app.engine.invoices.history(i.id)).length)),
    };
    for (let round = 0; round < 3; round++) {
      for (const body of [...bodies].reverse()) expect((await stack.qbo.webhooks.send(body)).status).toBe(200);
    }
    await settle(stack);
    expect(paidDms(/Paid on/)).toHaveLength(before.dms);
    expect(metered()).toBe(before.metered);
    expect(
      await Promise.all((await stack.app.engine.invoices.list(T)).map(async (i) => (await stack.app.engine.invoices.history(i.id)).length)),
    ).toEqual(before.history);
  });

  it('a forged signature, or a company the app does not know: 401 and nothing stored', async () => {
    const n = stored();
    const body = webhookBody([{ realmId, name: 'Bill', id: '1', operation: 'Update', lastUpdated: new Date().toISOString() }], 'legacy');
    expect((await post(body, signWebhook(body, 'not-the-token'))).status).toBe(401);
    expect((await post(body, '')).status).toBe(401);
    const stranger = webhookBody(
      [{ realmId: '1234567890', name: 'Bill', id: '1', operation: 'Update', lastUpdated: new Date().toISOString() }],
      'cloudevents',
    );
    expect((await post(stranger, signWebhook(stranger, TOKEN))).status).toBe(401);
    expect(stored()).toBe(n);
  });

  it('a Bill deleted in QuickBooks (legacy payload): the card says so and the uploader is told to share it again', async () => {
    stack.qbo.setWebhook({ url: hook, verifierToken: TOKEN, format: 'legacy', retryScale: 0.001 });
    const { card, inv } = await bookedBill('invoice2data-QualityHosting.pdf');
    stack.qbo.deleteTransaction(realmId, 'Bill', inv.qboId!);
    await waitFor(async () => (await stack.app.engine.invoices.byId(inv.id))!.status === 'deleted_in_qbo', 'deleted status');
    await settle(stack);
    expect(textOf(latest(stack, card))).toContain('Deleted in QuickBooks');
    expect(buttonsOf(latest(stack, card)).some((b) => b.action_id === 'invoice_review')).toBe(false);
    expect(paidDms(/Deleted in QuickBooks — share it again to re-book/)).toHaveLength(1);
    expect((await stack.app.engine.invoices.byId(inv.id))!.qboId).toBeNull();
  });

  it('a vendor renamed in QuickBooks: the review picker offers the new name, with no query at sync', async () => {
    const vendor = stack.qbo.entities(realmId, 'Vendor').find((v) => v.Active !== false)!;
    const before = metered();
    stack.qbo.rename(realmId, 'Vendor', vendor.Id, 'Renamed Timber Supply');
    await waitFor(async () => (await stack.app.engine.lists.get(T, 'Vendor', vendor.Id))?.name === 'Renamed Timber Supply', 'renamed in the cache');
    await settle(stack);
    expect(metered() - before).toBe(1); // one change-data-capture call for the notification, no per-record read
    const { card } = await share(stack, 'invoice2data-AmazonWebServices.pdf');
    const modal = await openReview(stack, card);
    const { options } = await stack.driver.suggest({ teamId: T, userId: 'UFOREMAN', view: modal, label: 'Vendor', query: 'Renamed Tim' });
    expect(options.map((o) => o.text)).toContain('Renamed Timber Supply');
  });
});

describe('linked records', () => {
  it('the customer a project is linked to made inactive in QuickBooks: the admins hear once, before an invoice fails on it', async () => {
    const admins = () => dmsTo(stack, 'UADMIN').filter((m) => /made inactive in QuickBooks/.test(textOf(m)));
    const project = stack.app.engine.conn.db.get<{ id: number; qbo_id: string }>(
      sql`select id, qbo_id from profiles where team_id = ${T} and kind = 'project'`,
    )!;
    stack.qbo.setActive(realmId, 'Customer', project.qbo_id, false);
    await waitFor(async () => (await stack.app.engine.lists.get(T, 'Customer', project.qbo_id))?.active === false, 'inactive in the cache');
    await waitFor(() => admins().length === 1, 'admin DM');
    expect(textOf(admins()[0])).toContain('Oak Street');
    stack.qbo.rename(realmId, 'Customer', project.qbo_id, 'Kitchen Remodel (closed)'); // a later change to the same record
    await waitFor(async () => (await stack.app.engine.lists.get(T, 'Customer', project.qbo_id))?.name === 'Kitchen Remodel (closed)', 'renamed');
    await settle(stack);
    expect(admins()).toHaveLength(1);
    expect(stack.app.engine.conn.db.get<{ n: string }>(sql`select qbo_name as n from profiles where id = ${project.id}`)!.n).toMatch(
      /Kitchen Remodel \(closed\)$/,
    );
  });
});
