import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness.ts';
import {
  T,
  dmsTo,
  expectNothingRejected,
  fixture,
  latest,
  onlyInvoice,
  openReview,
  settle,
  setUpWorkspace,
  share,
  textOf,
  type Workspace,
} from './intake-helpers.ts';

/** End to end over HTTP: Slack fake → the real app (Bolt) → QBO emulator (node-quickbooks, intuit-oauth). */

let stack: Stack;
let ws: Workspace;

beforeEach(async () => {
  stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN' } });
});
afterEach(async () => {
  await stack?.stop();
});

describe('share → thread card → review → QuickBooks', () => {
  it('books a shared PDF as a Bill with vendor, project, cost code, amount, DocNumber and the PDF attached, and DMs a working link', async () => {
    ws = await setUpWorkspace(stack);
    const { card, message } = await share(stack, 'invoice2data-AzureInterior.pdf');

    // The card in the file's thread: what was read and a Review & sync button.
    expect(card.thread_ts).toBe(message.ts);
    const cardText = textOf(card);
    expect(cardText).toContain('Azure Interior');
    expect(cardText).toContain('INV/2023/03/0008');
    expect(cardText).toContain('2023-03-20');
    expect(cardText).toContain('$279.84');
    expect(cardText).toContain('Review & sync');

    // The review modal: labelled inputs with the read values, the defaults and the channel's project preselected.
    const modal = await openReview(stack, card);
    const labels = modal.blocks.filter((b: any) => b.type === 'input').map((b: any) => b.label.text);
    expect(labels).toEqual([
      'Type',
      'Purchase account',
      'Project',
      'Cost code',
      'Vendor',
      'Amount',
      'Invoice number',
      'Invoice date',
      'Due date',
      'Memo',
    ]);
    const el = (label: string) => modal.blocks.find((b: any) => b.label?.text === label).element;
    expect(el('Type').initial_option.value).toBe('Bill');
    expect(el('Purchase account').initial_option.value).toBe(ws.checking.id);
    expect(el('Project').initial_option).toMatchObject({ value: String(ws.project.id), text: { text: 'Oak Street' } });
    expect(el('Vendor').initial_option.text.text).toBe('Azure Interior');
    expect(el('Amount').initial_value).toBe('279.84');
    expect(el('Invoice number').initial_value).toBe('INV/2023/03/0008');
    expect(el('Invoice date').initial_date).toBe('2023-03-20');
    expect(el('Due date').initial_date).toBe('2023-04-04');

    // Vendor search answers from QBO's vendors.
    const found = await stack.driver.suggest({ teamId: T, userId: 'UFOREMAN', view: modal, label: 'Vendor', query: 'azure' });
    expect(found.options.map((o) => o.text)).toContain('Azure Interior');

    const res = await stack.driver.submitView({
      teamId: T,
      userId: 'UFOREMAN',
      view: modal,
      values: { 'Cost code': { value: String(ws.costCode.id), text: 'Concrete' } },
    });
    expect(res.errors).toBeUndefined();
    expect(res.body.response_action).toBe('update');
    expect(textOf({ blocks: res.body.view.blocks })).toContain('Sent to QuickBooks');
    await settle(stack);

    const inv = await onlyInvoice(stack);
    expect(inv.status).toBe('synced');
    const bills = stack.qbo.entities(ws.realmId, 'Bill');
    expect(bills).toHaveLength(1);
    const bill = bills[0];
    expect(bill.VendorRef.value).toBe((await stack.app.engine.lists.search(T, 'Vendor', 'Azure Interior'))[0].id);
    expect(bill.DocNumber).toBe('INV/2023/03/0008');
    expect(bill.TxnDate).toBe('2023-03-20');
    expect(bill.DueDate).toBe('2023-04-04');
    expect(bill.TotalAmt).toBe(279.84);
    expect(bill.Line).toHaveLength(1);
    expect(bill.Line[0].Amount).toBe(279.84);
    expect(bill.Line[0].ItemBasedExpenseLineDetail.ItemRef.value).toBe(ws.item.id);
    expect(bill.Line[0].ItemBasedExpenseLineDetail.CustomerRef.value).toBe(ws.customer.id);
    const atts = stack.qbo.entities(ws.realmId, 'Attachable');
    expect(atts).toHaveLength(1);
    expect(atts[0].AttachableRef[0].EntityRef).toMatchObject({ type: 'Bill', value: bill.Id });
    expect(Buffer.compare(atts[0]._bytes, fixture('invoice2data-AzureInterior.pdf'))).toBe(0);

    // Success DM: type, QBO number, amount, vendor, project, a link that opens the Bill.
    const dm = dmsTo(stack, 'UFOREMAN').at(-1)!;
    const dmText = textOf(dm);
    expect(dmText).toContain('Bill');
    expect(dmText).toContain('INV/2023/03/0008');
    expect(dmText).toContain('$279.84');
    expect(dmText).toContain('Azure Interior');
    expect(dmText).toContain('Oak Street');
    const link = dm.blocks!.flatMap((b: any) => b.elements ?? []).find((e: any) => e.url)?.url;
    expect(link).toBe(`${stack.config.qbo.appUrl}/app/bill?txnId=${bill.Id}`);
    expect(inv.qboUrl).toBe(link);

    // The thread card now says it is in QuickBooks.
    const updated = textOf(latest(stack, card));
    expect(updated).toContain(`In QuickBooks as Bill INV/2023/03/0008`);
    expect(updated).not.toContain('Mark paid'); // only admins and payers may pay: not on a card the channel sees
    expectNothingRejected(stack);
  }, 60_000);
});
