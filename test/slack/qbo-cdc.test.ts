import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import { T, dmsTo, latest, openReview, settle, setUpWorkspace, share, textOf } from './intake-helpers.ts';

/** Issue 15.3: a webhook Intuit never delivered is caught by the next change-data-capture run. */

const TOKEN = 'intuit-verifier-token-for-tests';
let stack: Stack;
let realmId = '';

beforeAll(async () => {
  stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN', QBO_WEBHOOK_TOKEN: TOKEN, QBO_CDC_INTERVAL_MS: '400' } });
  ({ realmId } = await setUpWorkspace(stack));
  stack.qbo.setWebhook({ url: `${stack.app.url}/qbo/webhooks`, verifierToken: TOKEN, retryScale: 0.001 });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('change data capture', () => {
  it('a payment and a deactivated vendor whose webhooks were lost reach Slack on the next run, once', async () => {
    const { card } = await share(stack, 'invoice2data-AzureInterior.pdf');
    await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: await openReview(stack, card), values: {} });
    await settle(stack);
    const inv = (await stack.app.engine.invoices.list(T))[0];
    expect(inv.status).toBe('synced');
    stack.qbo.webhooks.dropping = true; // Intuit loses these
    const deliveries = stack.qbo.webhooks.deliveries.length;
    stack.qbo.payBill(realmId, inv.qboId!, { date: '2026-03-12' });
    const vendor = stack.qbo.entities(realmId, 'Vendor').find((v) => v.Active !== false && v.Id !== inv.vendorId)!;
    stack.qbo.setActive(realmId, 'Vendor', vendor.Id, false);
    await waitFor(async () => (await stack.app.engine.invoices.byId(inv.id))!.qboPaymentId, 'payment found by CDC');
    await waitFor(async () => (await stack.app.engine.lists.get(T, 'Vendor', vendor.Id))?.active === false, 'vendor inactive in the cache');
    await settle(stack);
    expect(stack.qbo.webhooks.deliveries.length).toBe(deliveries);
    expect(textOf(latest(stack, card))).toContain('Paid on 12 Mar');
    // Later runs see the same objects again (the overlap) and change nothing.
    const cdcCalls = () => stack.qbo.requests.filter((r) => r.path.endsWith('/cdc')).length;
    const before = cdcCalls();
    await waitFor(() => cdcCalls() >= before + 2, 'two more CDC runs', 5000);
    await settle(stack);
    expect(dmsTo(stack, 'UFOREMAN').filter((m) => /Paid on 12 Mar/.test(m.text ?? ''))).toHaveLength(1);
  });
});
