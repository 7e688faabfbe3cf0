import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness.ts';
import { T, dmsTo, expectNothingRejected, latest, onlyInvoice, openReview, settle, share, textOf } from './intake-helpers.ts';

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
    const read = onlyInvoice(stack).vendorName;
    expect(read).toContain('Azure Interior');
    const modal = await openReview(stack, card);
    const res = await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: modal, values: {} });
    expect(res.errors).toBeUndefined();
    await settle(stack);
    const inv = onlyInvoice(stack);
    expect(inv).toMatchObject({ status: 'blocked', blockCause: 'not_connected', vendorId: null, vendorName: read });
    expect(textOf(latest(stack, card))).toContain('Azure Interior');
    expect(textOf(dmsTo(stack, 'UFOREMAN').at(-1))).toContain('QuickBooks is not connected');
    expectNothingRejected(stack);
  }, 60_000);
});
