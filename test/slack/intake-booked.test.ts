import { afterEach, describe, expect, it } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import { T, dmsTo, expectNothingRejected, fixture, invoiceOf, latest, openReview, settle, setUpWorkspace, share, textOf } from './intake-helpers.ts';
import { statusText } from '../../src/slack/copy/reasons.ts';

/** A file already in QuickBooks says so at once, in the thread; only an admin books it again. */

let stack: Stack;
async function boot() {
  stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN' } });
  return stack;
}
afterEach(async () => {
  await stack?.stop();
});

const AZURE = 'invoice2data-AzureInterior.pdf';
const buttons = (m: any) => (m.blocks ?? []).filter((b: any) => b.type === 'actions').flatMap((b: any) => b.elements);

async function bookFirst() {
  const ws = await setUpWorkspace(stack);
  const a = await share(stack, AZURE);
  await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: await openReview(stack, a.card), values: {} });
  await settle(stack);
  const first = (await stack.app.engine.invoices.list(T))[0];
  expect(first.status).toBe('synced');
  return { ws, first };
}

describe('a file already in QuickBooks', () => {
  it('the same bytes again: "Already in QuickBooks as Bill … (shared by @… on …)", a link, no Review & sync; a non-admin cannot Book again, an admin can', async () => {
    await boot();
    const { ws, first } = await bookFirst();

    const b = await share(stack, AZURE, { user: 'UPM', channel: 'CJOB2' });
    const text = textOf(b.card);
    expect(text).toContain(`Already in QuickBooks as Bill ${first.qboDocNumber}`);
    expect(text).toMatch(/shared by <@UFOREMAN> on \d{1,2} [A-Z][a-z]{2}/);
    expect(text).toContain(first.qboUrl!);
    expect(text).not.toContain('Read it — please review');
    expect(text).not.toContain('same file was shared before');
    const els = buttons(b.card);
    expect(els.map((e: any) => e.action_id)).not.toContain('invoice_review');
    expect(els.some((e: any) => e.style === 'primary')).toBe(false);
    expect(els.find((e: any) => e.action_id === 'invoice_open')?.url).toBe(first.qboUrl);
    const dup = (await stack.app.engine.invoices.list(T, { statuses: ['duplicate'] }))[0];
    // Nothing lost: the file is kept, and its fields are the booked invoice's.
    expect(Buffer.compare(await stack.app.engine.files.bytes(dup.id), fixture(AZURE))).toBe(0);
    expect(dup).toMatchObject({
      duplicateOfId: first.id,
      vendorId: first.vendorId,
      amountCents: first.amountCents,
      invoiceNumber: first.invoiceNumber,
    });

    // Book again is checked on the server: a non-admin is refused and nothing changes.
    await stack.driver.clickButton({ teamId: T, userId: 'UPM', where: latest(stack, b.card), actionId: 'invoice_book_again' });
    await waitFor(
      () => stack.slack.messages('CJOB2').find((m) => m.ephemeral && m.user === 'UPM' && /Only a QuickBooks admin/.test(m.text ?? '')),
      'refusal',
    );
    expect(await invoiceOf(stack, dup.id)).toMatchObject({ status: 'duplicate', allowDuplicate: false });
    expect(stack.slack.openModalStack(T, 'UPM')).toHaveLength(0);

    // An admin gets the review, and booking it makes a second Bill.
    await stack.driver.clickButton({ teamId: T, userId: 'UADMIN', where: latest(stack, b.card), actionId: 'invoice_book_again' });
    const modal = await waitFor(() => stack.slack.openModalStack(T, 'UADMIN').find((v) => v.callback_id === 'review_submit'), 'review modal');
    expect(textOf({ blocks: modal.blocks })).toContain('book it again');
    const res = await stack.driver.submitView({ teamId: T, userId: 'UADMIN', view: modal, values: {} });
    expect(res.errors).toBeUndefined();
    await settle(stack);
    expect((await invoiceOf(stack, dup.id)).status).toBe('synced');
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(2);
    expectNothingRejected(stack);
  }, 60_000);

  it('another file with the same vendor and invoice number says so at once too', async () => {
    await boot();
    const { ws, first } = await bookFirst();
    const copy = Buffer.concat([fixture(AZURE), Buffer.from('\n% rescanned copy\n')]);
    const b = await share(stack, 'azure-copy.pdf', { bytes: copy, channel: 'CJOB2' });
    expect(textOf(b.card)).toContain(`Already in QuickBooks as Bill ${first.qboDocNumber}`);
    expect(buttons(b.card).map((e: any) => e.action_id)).not.toContain('invoice_review');
    // Said first: the thread never showed "please review" for it, not even for a moment.
    await settle(stack);
    const shown = stack.slack.calls.filter(
      (c) => (c.method === 'chat.postMessage' && c.args.thread_ts === b.message.ts) || (c.method === 'chat.update' && c.args.ts === b.card.ts),
    );
    expect(shown.length).toBeGreaterThan(0);
    for (const c of shown) expect(textOf(c.args)).not.toContain('please review');
    const dup = await stack.app.engine.invoices.list(T, { statuses: ['duplicate'] });
    expect(dup).toHaveLength(1);
    expect(statusText(dup[0])).toContain('the same vendor and invoice number (INV/2023/03/0008)');
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(1);
    expectNothingRejected(stack);
  }, 60_000);

  it('a repeat found only at submit (the first was booked after the second was shared): Sync anyway, admins only', async () => {
    await boot();
    const ws = await setUpWorkspace(stack);
    const a = await share(stack, AZURE);
    const b = await share(stack, AZURE, { user: 'UPM' });
    expect(textOf(b.card)).toContain('This same file was shared before'); // not booked yet: a heads-up only
    await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: await openReview(stack, a.card), values: {} });
    await settle(stack);
    const res = await stack.driver.submitView({ teamId: T, userId: 'UPM', view: await openReview(stack, b.card, 'UPM'), values: {} });
    expect(textOf({ blocks: res.body.view.blocks })).toContain('Not synced');
    await settle(stack);
    const first = (await stack.app.engine.invoices.list(T, { statuses: ['synced'] }))[0];
    const dup = (await stack.app.engine.invoices.list(T, { statuses: ['duplicate'] }))[0];
    expect(textOf(dmsTo(stack, 'UPM').at(-1))).toContain('looks like a duplicate');
    const cardNow = latest(stack, b.card);
    expect(textOf(cardNow)).toContain(`Already in QuickBooks as Bill ${first.qboDocNumber}`);

    await stack.driver.clickButton({ teamId: T, userId: 'UPM', where: cardNow, actionId: 'invoice_sync_anyway' });
    await waitFor(
      () => stack.slack.messages('CJOB1').find((m) => m.ephemeral && m.user === 'UPM' && /Only a QuickBooks admin/.test(m.text ?? '')),
      'refusal',
    );
    expect((await invoiceOf(stack, dup.id)).status).toBe('duplicate');
    await stack.driver.clickButton({ teamId: T, userId: 'UADMIN', where: cardNow, actionId: 'invoice_sync_anyway' });
    await settle(stack);
    expect((await invoiceOf(stack, dup.id)).status).toBe('synced');
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(2);
    expectNothingRejected(stack);
  }, 60_000);
});
