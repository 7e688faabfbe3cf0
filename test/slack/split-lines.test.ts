import { afterEach, describe, expect, it } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import { addProfile } from '../../src/workspace/profiles.ts';
import type { SlackView } from '../../emulators/slack/index.ts';
import {
  dmsTo,
  expectNothingRejected,
  invoiceOf,
  latest,
  onlyInvoice,
  openReview,
  settle,
  setUpWorkspace,
  share,
  T,
  textOf,
  topModal,
} from './intake-helpers.ts';
import { captureQboBodies, lumberPdf } from './accounting-helpers.ts';
import { statusText } from '../../src/slack/copy/reasons.ts';

/** Split lines end to end: the real app over HTTP, the Slack fake, the QBO emulator. */

let stack: Stack;
afterEach(async () => {
  await stack?.stop();
});

const VENDOR = 'Cascade Lumber & Building Supply, Inc.';

async function boot() {
  stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN' } });
  const ws = await setUpWorkspace(stack);
  const { engine } = stack.app;
  const elmCustomer = (await engine.lists.search(T, 'Customer', '', { types: ['Project'], limit: 50 })).find((c) => c.id !== ws.customer.id)!;
  const elm = await addProfile(engine.store, T, 'project', 'Elm Avenue', { entity: 'Customer', id: elmCustomer.id, name: elmCustomer.fullName });
  return { ws, elm, elmCustomer };
}

/** Clicks a button of the open review modal and waits for the modal to change. */
async function click(view: SlackView, actionId: string, user = 'UFOREMAN'): Promise<SlackView> {
  const before = topModal(stack, user).hash;
  await stack.driver.clickButton({ teamId: T, userId: user, where: view, actionId });
  return waitFor(
    () => {
      const v = topModal(stack, user);
      return v.hash !== before ? v : undefined;
    },
    `modal updated by ${actionId}`,
    5000,
  );
}

const input = (v: SlackView, label: string) => v.blocks.find((b: any) => b.label?.text === label);

describe('split lines', () => {
  it('a two-job split: one Bill, two lines, each with its own CustomerRef, amounts summing to the total', async () => {
    const { ws, elm, elmCustomer } = await boot();
    const bodies = captureQboBodies(stack);
    const { card } = await share(stack, 'cascade-two-jobs.pdf', {
      bytes: await lumberPdf({
        vendor: VENDOR,
        lines: [
          ['Framing lumber', 2100],
          ['Sheathing', 1250],
        ],
      }),
    });
    const modal = await openReview(stack, card);
    const split = await click(modal, 'split_start');
    // The lines as read, each on the channel's job.
    expect(input(split, 'Line 1 amount').element.initial_value).toBe('2100.00');
    expect(input(split, 'Line 2 amount').element.initial_value).toBe('1250.00');
    expect(input(split, 'Line 2 description').element.initial_value).toBe('Sheathing');
    expect(input(split, 'Line 2 project').element.initial_option.text.text).toBe('Oak Street');
    expect(input(split, 'Project')).toBeUndefined();

    const res = await stack.driver.submitView({
      teamId: T,
      userId: 'UFOREMAN',
      view: split,
      values: {
        'Line 1 cost code': { value: String(ws.costCode.id), text: 'Concrete' },
        'Line 2 project': { value: String(elm.id), text: 'Elm Avenue' },
      },
    });
    expect(res.errors).toBeUndefined();
    await settle(stack);
    expect((await onlyInvoice(stack)).status).toBe('synced');
    const bills = stack.qbo.entities(ws.realmId, 'Bill');
    expect(bills).toHaveLength(1);
    const [bill] = bills;
    expect(bill.TotalAmt).toBe(3350);
    expect(
      bill.Line.map((l: any) => [l.Amount, l.Description, (l.ItemBasedExpenseLineDetail ?? l.AccountBasedExpenseLineDetail).CustomerRef.value]),
    ).toEqual([
      [2100, 'Framing lumber', ws.customer.id],
      [1250, 'Sheathing', elmCustomer.id],
    ]);
    expect(bill.Line[0].ItemBasedExpenseLineDetail.ItemRef.value).toBe(ws.item.id);
    expect(bill.Line[1].AccountBasedExpenseLineDetail.AccountRef.name).toBe('Job Materials');
    await bodies.save('split-two-jobs', 'Bill');
    // The card and the DM show the split.
    expect(textOf(latest(stack, card))).toContain('2 lines: Oak Street $2,100.00 · Elm Avenue $1,250.00');
    expect(textOf(dmsTo(stack, 'UFOREMAN').at(-1))).toContain('2 lines: Oak Street $2,100.00');
    expectNothingRejected(stack);
  }, 60_000);

  it('lines that do not add up: an error on the field, nothing saved or sent; Add line keeps what was typed', async () => {
    const { ws } = await boot();
    const { card } = await share(stack, 'cascade-off.pdf', {
      bytes: await lumberPdf({
        vendor: VENDOR,
        lines: [
          ['Framing lumber', 2100],
          ['Sheathing', 1250],
        ],
      }),
    });
    let view = await click(await openReview(stack, card), 'split_start');
    const creates = () => stack.qbo.requests.filter((r) => r.method === 'POST' && /\/(bill|purchase)$/.test(r.path)).length;
    const res = await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view, values: { 'Line 2 amount': '1249.99' } });
    expect(res.errors?.review_amount).toBe('The lines add up to $3,349.99, not the invoice total $3,350.00 ($0.01 short).');
    await settle(stack);
    expect(creates()).toBe(0);
    expect((await onlyInvoice(stack)).status).not.toBe('synced');

    // Add a line for the cent; the typed 1249.99 is still there.
    view = await click(topModal(stack), 'split_add');
    expect(input(view, 'Line 2 amount').element.initial_value).toBe('1249.99');
    expect(input(view, 'Line 3 project').element.initial_option.text.text).toBe('Oak Street');
    const zero = await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view, values: { 'Line 3 amount': '0' } });
    expect(Object.values(zero.errors ?? {})).toEqual(['A line must be more than zero; remove it instead']);
    const ok = await stack.driver.submitView({
      teamId: T,
      userId: 'UFOREMAN',
      view,
      values: { 'Line 3 amount': '0.01', 'Line 3 description': 'Rounding' },
    });
    expect(ok.errors).toBeUndefined();
    await settle(stack);
    const [bill] = stack.qbo.entities(ws.realmId, 'Bill');
    expect(bill.Line.map((l: any) => l.Amount)).toEqual([2100, 1249.99, 0.01]);
    expect(bill.TotalAmt).toBe(3350);
  }, 60_000);

  it('one unlinked cost code in a split: blocked naming it; linked from the admin DM → one Bill', async () => {
    const { ws } = await boot();
    const { engine } = stack.app;
    const unlinked = await addProfile(engine.store, T, 'cost_code', 'Rough Carpentry');
    const { card } = await share(stack, 'cascade-unlinked.pdf', {
      bytes: await lumberPdf({
        vendor: VENDOR,
        lines: [
          ['Framing lumber', 2100],
          ['Sheathing', 1250],
        ],
      }),
    });
    const view = await click(await openReview(stack, card), 'split_start');
    const values = {
      'Line 1 cost code': { value: String(ws.costCode.id), text: 'Concrete' },
      'Line 2 cost code': { value: String(unlinked.id), text: 'Rough Carpentry (not linked)' },
    };
    const first = await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view, values });
    expect(Object.values(first.errors ?? {}).join(' ')).toContain('“Rough Carpentry” is not linked to QuickBooks');
    const second = await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view, values });
    expect(second.errors).toBeUndefined();
    await settle(stack);
    const inv = await onlyInvoice(stack);
    expect(inv.status).toBe('blocked');
    expect(inv.blockCause).toBe(`unlinked:cost_code:${unlinked.id}`);
    expect(statusText(inv)).toContain('"Rough Carpentry" (line 2) is not linked');
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(0);

    const fix = await waitFor(() => dmsTo(stack, 'UADMIN').find((m) => textOf(m).includes('Rough Carpentry')), 'admin fix-it DM', 10_000);
    const sent = await stack.driver.selectOption({
      teamId: T,
      userId: 'UADMIN',
      view: fix,
      label: `invoice_fix_link:${unlinked.id}`,
      value: `I:${ws.item.id}`,
      text: ws.item.fullName,
    });
    expect(sent.sent).toBe(true);
    await settle(stack);
    await waitFor(async () => ((await invoiceOf(stack, inv.id)).status === 'synced' ? true : undefined), 'invoice synced after the fix', 10_000);
    const bills = stack.qbo.entities(ws.realmId, 'Bill');
    expect(bills).toHaveLength(1);
    expect(bills[0].Line.map((l: any) => l.ItemBasedExpenseLineDetail?.ItemRef?.value)).toEqual([ws.item.id, ws.item.id]);
  }, 60_000);

  it('a 40-line invoice is grouped to stay within Slack’s modal limits, and still books the full total', async () => {
    const { ws } = await boot();
    const lines: Array<[string, number]> = Array.from({ length: 40 }, (_, i) => [`Stud bundle lot ${i + 1}`, 100 + i]);
    const { card } = await share(stack, 'cascade-40.pdf', { bytes: await lumberPdf({ vendor: VENDOR, lines }) });
    const view = await click(await openReview(stack, card), 'split_start');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect((view.private_metadata ?? '').length).toBeLessThanOrEqual(3000);
    expect(JSON.stringify(view.blocks).length).toBeLessThan(250_000);
    expect(textOf({ blocks: view.blocks })).toMatch(/This invoice has 40 lines, more than a Slack form holds \(20\)/);
    expect(input(view, 'Line 20 amount')).toBeDefined();
    expect(input(view, 'Line 21 amount')).toBeUndefined();
    const res = await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view, values: {} });
    expect(res.errors).toBeUndefined();
    await settle(stack);
    const [bill] = stack.qbo.entities(ws.realmId, 'Bill');
    expect(bill.Line).toHaveLength(20);
    expect(bill.TotalAmt).toBe(4780);
    expectNothingRejected(stack);
  }, 60_000);
});
