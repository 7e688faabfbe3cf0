import { afterEach, describe, expect, it } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import {
  T,
  dmsTo,
  expectNothingRejected,
  latest,
  onlyInvoice,
  openReview,
  settle,
  setUpWorkspace,
  share,
  textOf,
  topModal,
} from './intake-helpers.ts';

/** The review modal's submit, end to end over HTTP (Slack fake + the real app + QBO emulator). */

let stack: Stack;
async function boot(env: Record<string, string> = {}) {
  stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN', ...env } });
  return stack;
}
afterEach(async () => {
  await stack?.stop();
});

describe('review while QuickBooks is not connected', () => {
  it('saving without a vendor (nothing to pick) keeps the vendor name read from the file', async () => {
    await boot();
    const { card } = await share(stack, 'invoice2data-AzureInterior.pdf');
    const read = (await onlyInvoice(stack)).vendorName;
    expect(read).toContain('Azure Interior');
    const modal = await openReview(stack, card);
    const res = await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: modal, values: {} });
    expect(res.errors).toBeUndefined();
    const outcome = () => textOf({ blocks: topModal(stack).blocks });
    await waitFor(() => outcome().includes('Saved, but not synced:'), 'the outcome in the modal', 10_000);
    expect(outcome()).toContain('QuickBooks is not connected');
    await settle(stack);
    const inv = await onlyInvoice(stack);
    expect(inv).toMatchObject({ status: 'blocked', blockCause: 'not_connected', vendorId: null, vendorName: read });
    expect(textOf(latest(stack, card))).toContain('Azure Interior');
    expect(textOf(dmsTo(stack, 'UFOREMAN').at(-1))).toContain('QuickBooks is not connected');
    expectNothingRejected(stack);
  }, 60_000);
});

describe('a new vendor typed in the review modal', () => {
  const NAME = 'Northwind Drywall Supply';

  async function submitNewVendor() {
    const { card } = await share(stack, 'invoice2data-AzureInterior.pdf');
    const modal = await openReview(stack, card);
    const { options } = await stack.driver.suggest({ teamId: T, userId: 'UFOREMAN', view: modal, label: 'Vendor', query: NAME });
    const create = options.find((o) => o.value === `new:${NAME}`);
    expect(create, JSON.stringify(options)).toBeTruthy();
    return stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: modal, values: { Vendor: create! } });
  }

  it('QBO says the name is taken (6240, made in QuickBooks since the last list refresh): that vendor is looked up and used', async () => {
    await boot();
    const ws = await setUpWorkspace(stack);
    // Someone adds the vendor in QuickBooks by hand; the app's list cache does not know it yet.
    const made: any = await stack.app.engine.qbo.create(T, 'Vendor', { DisplayName: NAME });
    expect(await stack.app.engine.lists.get(T, 'Vendor', String(made.Id))).toBeNull();
    const res = await submitNewVendor();
    expect(res.errors).toBeUndefined();
    await settle(stack);
    const inv = await onlyInvoice(stack);
    expect(inv).toMatchObject({ status: 'synced', vendorId: String(made.Id), vendorName: NAME });
    expect(stack.qbo.entities(ws.realmId, 'Vendor').filter((v: any) => v.DisplayName === NAME)).toHaveLength(1);
    expect(stack.qbo.entities(ws.realmId, 'Bill')[0].VendorRef.value).toBe(String(made.Id));
    expect((await stack.app.engine.lists.get(T, 'Vendor', String(made.Id)))?.name).toBe(NAME);
    expectNothingRejected(stack);
  }, 60_000);

  it('QBO is too slow to answer the create (it still makes the vendor): the vendor is looked up and used, not created twice', async () => {
    await boot();
    const ws = await setUpWorkspace(stack);
    // QuickBooks creates the vendor but answers after Slack's deadline would have passed.
    stack.qbo.injectFault({ method: 'POST', path: /\/vendor$/, status: 503, afterWork: true, delayMs: 2600, count: 1 });
    const res = await submitNewVendor();
    expect(res.errors).toBeUndefined();
    expect(stack.slack.rejected().filter((c) => c.error === 'ack_timeout')).toEqual([]);
    // Past the submit's deadline the modal said "Saving…"; it shows the outcome once QuickBooks has answered.
    await waitFor(() => textOf({ blocks: topModal(stack).blocks }).includes('Sent to QuickBooks'), 'the outcome in the modal', 10_000);
    await settle(stack);
    const vendors = stack.qbo.entities(ws.realmId, 'Vendor').filter((v: any) => v.DisplayName === NAME);
    expect(vendors).toHaveLength(1);
    const inv = await onlyInvoice(stack);
    expect(inv).toMatchObject({ status: 'synced', vendorId: String(vendors[0].Id), vendorName: NAME });
    expect(stack.qbo.entities(ws.realmId, 'Bill')[0].VendorRef.value).toBe(String(vendors[0].Id));
  }, 60_000);
});
