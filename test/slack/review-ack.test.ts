import { afterEach, describe, expect, it } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import type { SlackView } from '../../emulators/slack/index.ts';
import { lumberPdf } from './accounting-helpers.ts';
import { T, dmsTo, expectNothingRejected, onlyInvoice, openReview, settle, setUpWorkspace, share, textOf, topModal } from './intake-helpers.ts';

/**
 * The review submit answers Slack in bounded time (src/slack/listeners/views/review-submit.ts): when creating the
 * new vendor in QuickBooks is slow, the modal says "Saving…" at once and shows the outcome when it comes.
 */

const NAME = 'Northwind Drywall Supply';
/** Slack's own limit for a view_submission's answer. */
const SLACK_ACK_MS = 3000;

let stack: Stack;
afterEach(async () => {
  await stack?.stop();
});

async function boot() {
  stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN' }, logLevel: 'info' });
  return { stack, ws: await setUpWorkspace(stack) };
}

/** Types a new vendor's name in the review modal and submits; resolves with the ack and how long it took. */
async function submitNewVendor(modal: SlackView, more: Record<string, unknown> = {}) {
  const { options } = await stack.driver.suggest({ teamId: T, userId: 'UFOREMAN', view: modal, label: 'Vendor', query: NAME });
  const create = options.find((o) => o.value === `new:${NAME}`);
  expect(create, JSON.stringify(options)).toBeTruthy();
  const started = Date.now();
  const res = await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: modal, values: { ...more, Vendor: create! } as any });
  return { res, ackMs: Date.now() - started };
}

const modalText = (v: SlackView) => textOf({ blocks: v.blocks });
const input = (v: SlackView, label: string) => v.blocks.find((b: any) => b.label?.text === label);

/** A refusal of the vendor create that QuickBooks gives only after `delayMs`. */
function refuseVendorLate(delayMs: number) {
  stack.qbo.injectFault({
    method: 'POST',
    path: /\/vendor$/,
    status: 400,
    delayMs,
    count: 1,
    body: {
      Fault: {
        Error: [{ Message: 'Invalid character', Detail: 'DisplayName has a character QuickBooks does not allow', code: '6000' }],
        type: 'ValidationFault',
      },
    },
  });
}

/** Clicks *Split* in the review modal and waits for the lines. */
async function splitOpen(modal: SlackView): Promise<SlackView> {
  const before = topModal(stack).hash;
  await stack.driver.clickButton({ teamId: T, userId: 'UFOREMAN', where: modal, actionId: 'split_start' });
  return waitFor(() => (topModal(stack).hash !== before ? topModal(stack) : undefined), 'split lines', 5000);
}
const vendorsNamed = (realmId: string) => stack.qbo.entities(realmId, 'Vendor').filter((v: any) => v.DisplayName === NAME);

describe('a review submit whose new vendor QuickBooks creates at once', () => {
  it('answers with the outcome in the ack itself, as before: no "Saving…", no later update', async () => {
    const { ws } = await boot();
    const { card } = await share(stack, 'invoice2data-AzureInterior.pdf');
    const modal = await openReview(stack, card);
    const { res } = await submitNewVendor(modal);
    expect(res.body).toMatchObject({ response_action: 'update' });
    expect(textOf({ blocks: (res.body as any).view.blocks })).toContain('Sent to QuickBooks');
    await settle(stack);
    expect(vendorsNamed(ws.realmId)).toHaveLength(1);
    expect(stack.slack.callsTo('views.update')).toEqual([]);
    expectNothingRejected(stack);
  }, 60_000);
});

describe('a review submit whose new vendor QuickBooks is slow to create', () => {
  it('is acked with "Saving…" within Slack’s deadline, and the modal then shows the outcome', async () => {
    const { ws } = await boot();
    const { card } = await share(stack, 'invoice2data-AzureInterior.pdf');
    const modal = await openReview(stack, card);
    // QuickBooks answers the create (successfully) only after 3.5 s.
    stack.qbo.injectFault({ method: 'POST', path: /\/vendor$/, status: 200, delayMs: 3500, count: 1 });
    const { res, ackMs } = await submitNewVendor(modal);
    expect(res.errors).toBeUndefined();
    expect(ackMs).toBeLessThan(SLACK_ACK_MS);
    expect(topModal(stack).id).toBe(modal.id);
    expect(modalText(topModal(stack))).toContain('Saving…');
    expect(vendorsNamed(ws.realmId)).toHaveLength(0); // really not done yet when Slack got its answer

    const done = await waitFor(() => (modalText(topModal(stack)).includes('Sent to QuickBooks') ? topModal(stack) : undefined), 'outcome', 10_000);
    expect(done.id).toBe(modal.id);
    await settle(stack);
    const vendors = vendorsNamed(ws.realmId);
    expect(vendors).toHaveLength(1);
    expect(await onlyInvoice(stack)).toMatchObject({ status: 'synced', vendorId: String(vendors[0].Id), vendorName: NAME });
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(1);
    expectNothingRejected(stack);
  }, 60_000);

  it('a vendor QuickBooks refuses after the deadline: the review comes back with the problem and what was typed, nothing saved', async () => {
    const { ws } = await boot();
    const { card } = await share(stack, 'invoice2data-AzureInterior.pdf');
    const before = await onlyInvoice(stack);
    const modal = await openReview(stack, card);
    stack.qbo.injectFault({
      method: 'POST',
      path: /\/vendor$/,
      status: 400,
      delayMs: 2500,
      count: 1,
      body: {
        Fault: {
          Error: [{ Message: 'Invalid character', Detail: 'DisplayName has a character QuickBooks does not allow', code: '6000' }],
          type: 'ValidationFault',
        },
      },
    });
    const { res, ackMs } = await submitNewVendor(modal);
    expect(res.errors).toBeUndefined();
    expect(ackMs).toBeLessThan(SLACK_ACK_MS);
    expect(modalText(topModal(stack))).toContain('Saving…');

    const again = await waitFor(() => (topModal(stack).callback_id === 'review_submit' ? topModal(stack) : undefined), 'review again', 10_000);
    expect(again.id).toBe(modal.id);
    expect(modalText(again)).toContain('Not saved yet');
    expect(modalText(again)).toContain('DisplayName has a character QuickBooks does not allow');
    expect(modalText(again)).toContain(NAME); // the name they typed, offered again
    await settle(stack);
    const inv = await onlyInvoice(stack);
    expect(inv).toMatchObject({ status: before.status, vendorId: before.vendorId, revision: before.revision });
    expect(vendorsNamed(ws.realmId)).toHaveLength(0);
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(0);
    expectNothingRejected(stack);
  }, 60_000);

  it('submitted again meanwhile (Saving… closed, reviewed again): one vendor, one Bill, and the first submit changes nothing', async () => {
    const { ws } = await boot();
    const { card } = await share(stack, 'invoice2data-AzureInterior.pdf');
    const first = await openReview(stack, card);
    stack.qbo.injectFault({ method: 'POST', path: /\/vendor$/, status: 200, delayMs: 3500, count: 1 });
    const { res } = await submitNewVendor(first);
    expect(res.errors).toBeUndefined();
    expect(modalText(topModal(stack))).toContain('Saving…');
    await stack.driver.closeView({ teamId: T, userId: 'UFOREMAN', view: topModal(stack) });

    // The second submit goes straight through (QuickBooks answers it at once) while the first still waits.
    const second = await openReview(stack, card);
    const { res: res2 } = await submitNewVendor(second);
    expect(res2.errors).toBeUndefined();
    await waitFor(() => modalText(topModal(stack)).includes('Sent to QuickBooks'), 'the second submit’s outcome', 10_000);
    expect(topModal(stack).id).toBe(second.id);

    // The first one's create lands later (QuickBooks: the name is taken), finds the vendor, and loses the move.
    const told = () => stack.logs.filter((l) => l.includes('late review outcome not shown'));
    await waitFor(() => told().length > 0, 'the late update of the closed modal', 10_000);
    await settle(stack);
    const vendors = vendorsNamed(ws.realmId);
    expect(vendors).toHaveLength(1);
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(1);
    expect(await onlyInvoice(stack)).toMatchObject({ status: 'synced', vendorId: String(vendors[0].Id) });
    // Slack's answer to an update of a closed modal, as the real one: not_found (logged, nothing else breaks).
    const late = stack.slack.rejected().filter((c) => c.method === 'views.update');
    expect(late.map((c) => c.error)).toEqual(['not_found']);
    const shown = told();
    expect(shown, shown.join('\n')).toHaveLength(1);
    expect(shown[0]).toMatch(/"outcome":"lost".*"slackError":"not_found"/);
    expect(stack.slack.rejected().filter((c) => c.method !== 'views.update' && c.method !== 'users.list')).toEqual([]);
  }, 60_000);

  it('split lines entered, vendor refused after the deadline: the review comes back with the lines as typed', async () => {
    const { ws } = await boot();
    const bytes = await lumberPdf({
      vendor: 'Some Lumber Yard',
      lines: [
        ['Framing lumber', 2100],
        ['Sheathing', 1250],
      ],
    });
    const { card } = await share(stack, 'two-lines.pdf', { bytes });
    const before = await onlyInvoice(stack);
    const split = await splitOpen(await openReview(stack, card));
    expect(input(split, 'Line 2 amount').element.initial_value).toBe('1250.00');
    refuseVendorLate(2500);
    const { res, ackMs } = await submitNewVendor(split, {
      'Line 1 description': 'Framing, 2x6 studs',
      'Line 1 cost code': { value: String(ws.costCode.id), text: 'Concrete' },
      'Line 2 description': 'Roof sheathing',
    });
    expect(res.errors).toBeUndefined();
    expect(ackMs).toBeLessThan(SLACK_ACK_MS);
    expect(modalText(topModal(stack))).toContain('Saving…');

    const again = await waitFor(() => (topModal(stack).callback_id === 'review_submit' ? topModal(stack) : undefined), 'review again', 10_000);
    expect(modalText(again)).toContain('Not saved yet');
    expect(input(again, 'Project')).toBeUndefined(); // still split, not back to one line
    expect(input(again, 'Line 1 description').element.initial_value).toBe('Framing, 2x6 studs');
    expect(input(again, 'Line 1 amount').element.initial_value).toBe('2100.00');
    expect(input(again, 'Line 1 cost code').element.initial_option.text.text).toBe('Concrete');
    expect(input(again, 'Line 2 description').element.initial_value).toBe('Roof sheathing');
    expect(input(again, 'Line 2 amount').element.initial_value).toBe('1250.00');
    expect(input(again, 'Line 2 project').element.initial_option.text.text).toBe('Oak Street');
    await settle(stack);
    expect(await onlyInvoice(stack)).toMatchObject({ status: before.status, revision: before.revision });

    // Submitted again as shown (QuickBooks now takes the vendor): one Bill with the two lines typed.
    const { res: res2 } = await submitNewVendor(again);
    expect(res2.errors).toBeUndefined();
    await settle(stack);
    const [bill] = stack.qbo.entities(ws.realmId, 'Bill');
    expect(bill.Line.map((l: any) => [l.Amount, l.Description])).toEqual([
      [2100, 'Framing, 2x6 studs'],
      [1250, 'Roof sheathing'],
    ]);
    expectNothingRejected(stack);
  }, 60_000);

  it('"Saving…" closed, then the vendor refused: a DM says what failed, once, and its Review opens the review again', async () => {
    const { ws } = await boot();
    const { card } = await share(stack, 'invoice2data-AzureInterior.pdf');
    const before = await onlyInvoice(stack);
    const modal = await openReview(stack, card);
    const dmsBefore = dmsTo(stack, 'UFOREMAN').length;
    refuseVendorLate(3500);
    const { res } = await submitNewVendor(modal);
    expect(res.errors).toBeUndefined();
    expect(modalText(topModal(stack))).toContain('Saving…');
    await stack.driver.closeView({ teamId: T, userId: 'UFOREMAN', view: topModal(stack) });

    const told = await waitFor(
      () =>
        dmsTo(stack, 'UFOREMAN')
          .slice(dmsBefore)
          .find((m) => textOf(m).includes('was not saved')),
      'the not-saved DM',
      15_000,
    );
    expect(textOf(told)).toContain('DisplayName has a character QuickBooks does not allow');
    expect(textOf(told)).toContain(before.invoiceNumber ?? before.fileName);
    await settle(stack);
    expect(
      dmsTo(stack, 'UFOREMAN')
        .slice(dmsBefore)
        .filter((m) => textOf(m).includes('was not saved')),
    ).toHaveLength(1);
    expect(await onlyInvoice(stack)).toMatchObject({ status: before.status, revision: before.revision });
    expect(vendorsNamed(ws.realmId)).toHaveLength(0);

    await stack.driver.clickButton({ teamId: T, userId: 'UFOREMAN', where: told, actionId: 'invoice_review' });
    const again = await waitFor(
      () => stack.slack.openModalStack(T, 'UFOREMAN').find((v) => v.callback_id === 'review_submit'),
      'review from the DM',
      5000,
    );
    expect(input(again, 'Vendor')).toBeTruthy();
    const late = stack.slack.rejected().filter((c) => c.method === 'views.update');
    expect(late.map((c) => c.error)).toEqual(['not_found']);
  }, 60_000);
});
