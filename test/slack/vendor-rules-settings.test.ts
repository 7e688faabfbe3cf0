import { afterEach, describe, expect, it } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import type { SlackView } from '../../emulators/slack/index.ts';
import { byName, setUpWorkspace, T, textOf } from './intake-helpers.ts';
import { openSettings } from './settings-helpers.ts';

/** `/qbo settings` → Vendor rules: an admin lists, pins (edits) and deletes rules; a pinned rule is not relearned. */

let stack: Stack;
afterEach(async () => {
  await stack?.stop();
});

const modal = (callbackId: string, user = 'UADMIN') =>
  waitFor(() => stack.slack.openModalStack(T, user).find((v) => v.callback_id === callbackId), `modal ${callbackId}`, 5000);
const fresh = (v: SlackView) => stack.slack.view(v.id)!;

describe('vendor rules in settings', () => {
  it('lists learned rules; an admin pins one with the searchable vendor picker, learning leaves it, and deletes it', async () => {
    stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN' } });
    const ws = await setUpWorkspace(stack);
    const { engine } = stack.app;
    const cascade = await byName(engine, 'Vendor', 'Cascade Lumber & Building Supply, Inc.');
    await engine.vendorRules.learn(
      T,
      { id: cascade.id, name: cascade.name },
      { txnType: 'Bill', purchaseAccountId: ws.checking.id, costCodeProfileId: null, memoPattern: null },
    );

    const settings = await openSettings(stack, T, 'UADMIN');
    await stack.driver.clickButton({ teamId: T, userId: 'UADMIN', where: settings, actionId: 'settings_open_vendor_rules' });
    const list = await modal('vendor_rules_list');
    expect(textOf({ blocks: list.blocks })).toContain('learned from the last invoice');

    await stack.driver.clickButton({ teamId: T, userId: 'UADMIN', where: list, actionId: 'vendor_rule_add' });
    const form = await modal('vendor_rule_submit');
    const found = await stack.driver.suggest({ teamId: T, userId: 'UADMIN', view: form, label: 'Vendor', query: 'casc' });
    const option = found.options.find((o) => o.value === cascade.id)!;
    expect(option.text).toBe(cascade.name);
    const res = await stack.driver.submitView({
      teamId: T,
      userId: 'UADMIN',
      view: form,
      values: {
        Vendor: option,
        Type: 'Expense',
        'Purchase account': { value: ws.visa.id, text: 'Visa Business (Credit Card)' },
        'Cost code': { value: String(ws.costCode.id), text: 'Concrete' },
        Memo: 'Lumber {number}',
      },
    });
    expect(res.errors).toBeUndefined();
    await waitFor(() => (textOf({ blocks: fresh(list).blocks }).includes('Pinned the rule') ? true : undefined), 'list updated', 5000);
    expect(textOf({ blocks: fresh(list).blocks })).toContain(':pushpin: pinned by <@UADMIN>');
    const pinned = await engine.vendorRules.get(T, cascade.id);
    expect(pinned).toMatchObject({
      pinned: true,
      txnType: 'Expense',
      purchaseAccountId: ws.visa.id,
      costCodeProfileId: ws.costCode.id,
      memoPattern: 'Lumber {number}',
      autoBook: false,
    });
    // A booked invoice coded otherwise does not change a pinned rule.
    await engine.vendorRules.learn(
      T,
      { id: cascade.id, name: cascade.name },
      { txnType: 'Bill', purchaseAccountId: ws.checking.id, costCodeProfileId: null, memoPattern: null },
    );
    expect((await engine.vendorRules.get(T, cascade.id))?.txnType).toBe('Expense');

    // Not an admin: the button does nothing.
    await stack.driver.clickButton({ teamId: T, userId: 'UFOREMAN', where: list, actionId: 'vendor_rule_add' }).catch(() => undefined);
    expect(stack.slack.openModalStack(T, 'UFOREMAN').some((v) => v.callback_id === 'vendor_rule_submit')).toBe(false);

    await stack.driver.selectOption({
      teamId: T,
      userId: 'UADMIN',
      view: fresh(list),
      label: `vendor_rule_${cascade.id}`,
      value: `delete:${cascade.id}`,
    });
    await waitFor(() => (textOf({ blocks: fresh(list).blocks }).includes('Deleted the rule') ? true : undefined), 'list after delete', 5000);
    expect(await engine.vendorRules.get(T, cascade.id)).toBeNull();
    expect(textOf({ blocks: fresh(list).blocks })).toContain('No vendor rules yet');
  }, 60_000);
});
