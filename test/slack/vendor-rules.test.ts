import { afterEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness.ts';
import { latest, openReview, settle, setUpWorkspace, share, T, textOf } from './intake-helpers.ts';
import { captureQboBodies, lumberPdf } from './accounting-helpers.ts';

/** Vendor rules end to end: what one booked invoice from a vendor teaches, and what the next one is given. */

let stack: Stack;
afterEach(async () => {
  await stack?.stop();
});

const VENDOR = 'Cascade Lumber & Building Supply, Inc.';
/** As Slack's mrkdwn carries it (the app escapes &, < and >). */
const VENDOR_MRKDWN = VENDOR.replace('&', '&amp;');
const field = (v: { blocks: any[] }, label: string) => v.blocks.find((b: any) => b.label?.text === label)?.element;

describe('vendor rules', () => {
  it('the second invoice from a vendor preselects the first one’s coding, and the card says so', async () => {
    stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN' } });
    const ws = await setUpWorkspace(stack);
    const bodies = captureQboBodies(stack);
    const first = await share(stack, 'cascade-1.pdf', {
      bytes: await lumberPdf({ vendor: VENDOR, number: 'CL-1001', lines: [['Framing lumber', 480]] }),
    });
    const m1 = await openReview(stack, first.card);
    expect(m1.blocks.some((b: any) => b.block_id === 'review_coding_note')).toBe(false);
    const r1 = await stack.driver.submitView({
      teamId: T,
      userId: 'UFOREMAN',
      view: m1,
      values: {
        Type: 'Expense',
        'Purchase account': { value: ws.visa.id, text: 'Visa Business (Credit Card)' },
        'Cost code': { value: String(ws.costCode.id), text: 'Concrete' },
        Memo: 'Lumber, invoice CL-1001',
      },
    });
    expect(r1.errors).toBeUndefined();
    await settle(stack);

    const second = await share(stack, 'cascade-2.pdf', {
      bytes: await lumberPdf({ vendor: VENDOR, number: 'CL-1002', lines: [['Sheathing', 275.5]] }),
      user: 'UPM',
    });
    expect(textOf(latest(stack, second.card))).toContain(`Coded like the last invoice from ${VENDOR_MRKDWN}`);
    const m2 = await openReview(stack, second.card, 'UPM');
    expect(textOf({ blocks: m2.blocks })).toContain(
      `Coded like the last invoice from ${VENDOR_MRKDWN}: type, account, cost code and memo are preselected.`,
    );
    expect(field(m2, 'Type').initial_option.value).toBe('Expense');
    expect(field(m2, 'Purchase account').initial_option.value).toBe(ws.visa.id);
    expect(field(m2, 'Cost code').initial_option.text.text).toBe('Concrete');
    expect(field(m2, 'Memo').initial_value).toBe('Lumber, invoice CL-1002');
    // The project still comes from the channel.
    expect(field(m2, 'Project').initial_option.text.text).toBe('Oak Street');
    const r2 = await stack.driver.submitView({ teamId: T, userId: 'UPM', view: m2, values: {} });
    expect(r2.errors).toBeUndefined();
    await settle(stack);
    const purchases = stack.qbo.entities(ws.realmId, 'Purchase');
    expect(purchases).toHaveLength(2);
    expect(purchases[1]).toMatchObject({
      PaymentType: 'CreditCard',
      AccountRef: { value: ws.visa.id },
      TotalAmt: 275.5,
      PrivateNote: 'Lumber, invoice CL-1002',
    });
    expect(purchases[1].Line[0].ItemBasedExpenseLineDetail.ItemRef.value).toBe(ws.item.id);
    await bodies.save('vendor-rule-preselected-expense', 'Purchase');
    const rule = await stack.app.engine.vendorRules.get(T, purchases[1].EntityRef.value);
    expect([rule?.streak, rule?.pinned, rule?.memoPattern]).toEqual([2, false, 'Lumber, invoice {number}']);
  }, 90_000);
});
