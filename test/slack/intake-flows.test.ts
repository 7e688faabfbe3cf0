import { afterEach, describe, expect, it } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import {
  T,
  byName,
  dmsTo,
  expectNothingRejected,
  invoiceOf,
  latest,
  onlyInvoice,
  openReview,
  settle,
  setUpWorkspace,
  share,
  textOf,
} from './intake-helpers.ts';

/** The flows around the happy path, end to end over HTTP (Slack fake + the real app + QBO emulator). */

let stack: Stack;
async function boot(env: Record<string, string> = {}) {
  stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN', ...env } });
  return stack;
}
afterEach(async () => {
  await stack?.stop();
});

describe('Expense on a credit card', () => {
  it('books an Expense (Purchase, PaymentType CreditCard) on the Visa account, file attached, DM links to the expense', async () => {
    await boot();
    const ws = await setUpWorkspace(stack);
    const { card } = await share(stack, 'invoice2data-AmazonWebServices.pdf');
    expect(textOf(card)).toContain('Amazon Web Services');
    const modal = await openReview(stack, card);
    // "Amazon Web Services, Inc." on the page is matched to the QBO vendor "Amazon Web Services".
    expect(modal.blocks.find((b: any) => b.label?.text === 'Vendor').element.initial_option.text.text).toBe('Amazon Web Services');
    const accounts = await stack.driver.suggest({
      teamId: T,
      userId: 'UFOREMAN',
      view: modal,
      label: 'Purchase account',
      query: '',
    });
    expect(accounts.options.map((o) => o.text)).toEqual(expect.arrayContaining(['Operating Checking (Bank)', 'Visa Business (Credit Card)']));
    expect(accounts.options.map((o) => o.text)).not.toContain('Old Savings (Bank)'); // inactive
    expect(accounts.options.every((o) => /\((Bank|Credit Card)\)$/.test(o.text))).toBe(true);

    const res = await stack.driver.submitView({
      teamId: T,
      userId: 'UFOREMAN',
      view: modal,
      values: {
        Type: 'Expense',
        'Purchase account': { value: ws.visa.id, text: 'Visa Business (Credit Card)' },
        'Cost code': { value: String(ws.costCode.id), text: 'Concrete' },
      },
    });
    expect(res.errors).toBeUndefined();
    await settle(stack);
    const inv = await onlyInvoice(stack);
    expect(inv.status).toBe('synced');
    const purchases = stack.qbo.entities(ws.realmId, 'Purchase');
    expect(purchases).toHaveLength(1);
    const p = purchases[0];
    expect(p.PaymentType).toBe('CreditCard');
    expect(p.AccountRef.value).toBe(ws.visa.id);
    expect(p.EntityRef).toMatchObject({
      value: (await byName(stack.app.engine, 'Vendor', 'Amazon Web Services')).id,
      type: 'Vendor',
    });
    expect(p.TotalAmt).toBe(4.11);
    expect(p.DocNumber).toBe('42183017');
    expect(p.Line[0].ItemBasedExpenseLineDetail.CustomerRef.value).toBe(ws.customer.id);
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(0);
    const att = stack.qbo.entities(ws.realmId, 'Attachable')[0];
    expect(att.AttachableRef[0].EntityRef).toMatchObject({ type: 'Purchase', value: p.Id });
    const dm = textOf(dmsTo(stack, 'UFOREMAN').at(-1));
    expect(dm).toContain('Expense');
    expect(dm).toContain('$4.11');
    expect(dm).toContain(`/app/expense?txnId=${p.Id}`);
    expect(textOf(latest(stack, card))).toContain('In QuickBooks as Expense 42183017');
    expect(textOf(latest(stack, card))).not.toContain('Mark paid'); // an Expense is already paid
    expectNothingRejected(stack);
  }, 60_000);
});

describe('Auto-sync', () => {
  it('off: the invoice waits as ready and the user is told; turned on: it syncs', async () => {
    await boot();
    const ws = await setUpWorkspace(stack, { autoSync: false });
    const { card } = await share(stack, 'invoice2data-AzureInterior.pdf');
    const modal = await openReview(stack, card);
    expect(modal.submit.text).toBe('Save');
    const res = await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: modal, values: {} });
    expect(textOf({ blocks: res.body.view.blocks })).toContain('Auto-sync is off');
    await settle(stack);
    const inv = await onlyInvoice(stack);
    expect(inv.status).toBe('ready');
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(0);
    expect(textOf(dmsTo(stack, 'UFOREMAN').at(-1))).toContain('Auto-sync is off');
    expect(textOf(latest(stack, card))).toContain('Ready — waiting (Auto-sync is off)');

    // An admin turns Auto-sync on (what the settings modal does): the ready invoice goes, even after the access token expired.
    stack.qbo.expireAccessTokens();
    await stack.app.engine.store.workspaces.updateSettings(T, { autoSync: true }, 'UADMIN');
    expect(await stack.app.engine.sync.queueReady(T, 'UADMIN')).toBe(1);
    await settle(stack);
    expect((await invoiceOf(stack, inv.id)).status).toBe('synced');
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(1);
    expect(textOf(dmsTo(stack, 'UFOREMAN').at(-1))).toContain('is in QuickBooks');
    expectNothingRejected(stack);
  }, 60_000);
});

describe('blocked → fixed in Slack → resends itself', () => {
  it('an unlinked project: the user is told which; one admin DM per cause with a picker; linking resends, exactly one Bill per invoice', async () => {
    await boot();
    const ws = await setUpWorkspace(stack, { linkProject: false });
    const { card } = await share(stack, 'invoice2data-AzureInterior.pdf');
    const modal = await openReview(stack, card);
    expect(modal.blocks.find((b: any) => b.label?.text === 'Project').element.initial_option.text.text).toBe('Oak Street (not linked)');

    // First submit: the error on the field says which profile and how to fix it.
    const first = await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: modal, values: {} });
    expect(first.errors?.review_project).toContain('“Oak Street” is not linked to QuickBooks');
    expect(first.errors?.review_project).toContain('/qbo settings');
    // Second submit keeps it: blocked, the user told why.
    const second = await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: modal, values: {} });
    expect(second.errors).toBeUndefined();
    expect(textOf({ blocks: second.body.view.blocks })).toContain('not linked');
    await settle(stack);
    const inv = await onlyInvoice(stack);
    expect(inv.status).toBe('blocked');
    expect(inv.blockCause).toBe(`unlinked:project:${ws.project.id}`);
    expect(textOf(dmsTo(stack, 'UFOREMAN').at(-1))).toContain('The project "Oak Street" is not linked to QuickBooks');
    expect(textOf(latest(stack, card))).toContain('blocked');

    // A second invoice blocked on the same cause: still one admin DM.
    const other = await share(stack, 'invoice2data-QualityHosting.pdf', { user: 'UPM' });
    const modal2 = await openReview(stack, other.card, 'UPM');
    await stack.driver.submitView({ teamId: T, userId: 'UPM', view: modal2, values: {} });
    await stack.driver.submitView({ teamId: T, userId: 'UPM', view: modal2, values: {} });
    await settle(stack);
    expect(await stack.app.engine.invoices.list(T, { statuses: ['blocked'] })).toHaveLength(2);
    const adminDms = dmsTo(stack, 'UADMIN').filter((m) => textOf(m).includes('Oak Street'));
    expect(adminDms).toHaveLength(1);
    expect(textOf(adminDms[0])).toContain('waiting');

    // The admin links it on the spot from the DM: both resend themselves.
    const fix = adminDms[0];
    const options = await stack.driver.selectOption({
      teamId: T,
      userId: 'UADMIN',
      view: fix,
      label: `invoice_fix_link:${ws.project.id}`,
      value: `C:${ws.customer.id}`,
      text: ws.customer.fullName,
    });
    expect(options.sent).toBe(true);
    await settle(stack);
    expect((await invoiceOf(stack, inv.id)).status).toBe('synced');
    const bills = stack.qbo.entities(ws.realmId, 'Bill');
    expect(bills).toHaveLength(2);
    expect(bills.filter((b) => b.DocNumber === 'INV/2023/03/0008')).toHaveLength(1);
    for (const b of bills)
      expect(b.Line[0].AccountBasedExpenseLineDetail?.CustomerRef?.value ?? b.Line[0].ItemBasedExpenseLineDetail?.CustomerRef?.value).toBe(
        ws.customer.id,
      );
    expect(textOf(latest(stack, fix))).toContain('Fixed by');
    expect(textOf(latest(stack, fix))).toContain('2 waiting invoices were resent');
    expect(textOf(dmsTo(stack, 'UFOREMAN').at(-1))).toContain('is in QuickBooks');

    // Resending again creates nothing more.
    await stack.app.engine.sync.resumeBlocked(T, 'UADMIN');
    await settle(stack);
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(2);
    expectNothingRejected(stack);
  }, 60_000);

  it('no purchase account: blocked, the admin picks the default in the DM and it syncs', async () => {
    await boot();
    const ws = await setUpWorkspace(stack, { defaultAccount: false });
    const { card } = await share(stack, 'invoice2data-AzureInterior.pdf');
    const modal = await openReview(stack, card);
    expect(modal.blocks.find((b: any) => b.label?.text === 'Purchase account').element.initial_option).toBeUndefined();
    await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: modal, values: {} });
    await settle(stack);
    expect((await onlyInvoice(stack)).status).toBe('blocked');
    expect(textOf(dmsTo(stack, 'UFOREMAN').at(-1))).toContain('No purchase account is chosen');
    const fix = dmsTo(stack, 'UADMIN').find((m) => textOf(m).includes('No purchase account'))!;
    await stack.driver.selectOption({
      teamId: T,
      userId: 'UADMIN',
      view: fix,
      label: 'invoice_fix_account_block',
      value: ws.checking.id,
      text: 'Operating Checking (Bank)',
    });
    await settle(stack);
    expect((await onlyInvoice(stack)).status).toBe('synced');
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(1);
    expectNothingRejected(stack);
  }, 60_000);
});

describe('QuickBooks not connected', () => {
  it('the invoice is kept, blocked with the reason; the admins get one DM telling them to connect', async () => {
    await boot();
    const { card } = await share(stack, 'invoice2data-AzureInterior.pdf');
    expect(textOf(card)).toContain('not matched in QuickBooks');
    const modal = await openReview(stack, card);
    const res = await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: modal, values: {} });
    expect(res.errors).toBeUndefined();
    await settle(stack);
    const inv = await onlyInvoice(stack);
    expect(inv).toMatchObject({ status: 'blocked', blockCause: 'not_connected' });
    expect(textOf(dmsTo(stack, 'UFOREMAN').at(-1))).toContain('QuickBooks is not connected');
    expect(dmsTo(stack, 'UADMIN').filter((m) => textOf(m).includes('QuickBooks is not connected'))).toHaveLength(1);
    expectNothingRejected(stack);
  }, 60_000);
});

describe('QBO refuses', () => {
  it('a validation fault is reported in plain words with Retry; Retry then succeeds', async () => {
    await boot();
    const ws = await setUpWorkspace(stack);
    stack.qbo.injectFault({
      method: 'POST',
      path: /\/bill(\?|$)/,
      status: 400,
      count: 1,
      body: {
        Fault: {
          Error: [
            {
              Message: 'A business validation error has occurred while processing your request',
              Detail: 'Business Validation Error: The transaction date is in a closed period.',
              code: '6000',
              element: '',
            },
          ],
          type: 'ValidationFault',
        },
        time: new Date().toISOString(),
      },
    });
    const { card } = await share(stack, 'invoice2data-AzureInterior.pdf');
    await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: await openReview(stack, card), values: {} });
    await settle(stack);
    const inv = await onlyInvoice(stack);
    expect(inv.status).toBe('failed');
    const dm = dmsTo(stack, 'UFOREMAN').at(-1)!;
    const text = textOf(dm);
    expect(text).toContain('was not booked in QuickBooks');
    expect(text).toContain('The transaction date is in a closed period');
    expect(text).not.toMatch(/\n\s+at |node_modules|QboError|AxiosError/); // no stack trace
    expect(textOf(latest(stack, card))).toContain('QuickBooks refused it');
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(0);

    await stack.driver.clickButton({ teamId: T, userId: 'UFOREMAN', where: dm, actionId: 'invoice_retry' });
    await settle(stack);
    expect((await invoiceOf(stack, inv.id)).status).toBe('synced');
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(1);
    expect(textOf(dmsTo(stack, 'UFOREMAN').at(-1))).toContain('is in QuickBooks');
    expectNothingRejected(stack);
  }, 60_000);

  it('an inactive vendor: QBO refuses in words; reactivated in QBO, Retry succeeds (a new requestid)', async () => {
    await boot();
    const ws = await setUpWorkspace(stack);
    const vendor = await byName(stack.app.engine, 'Vendor', 'Azure Interior');
    const { card } = await share(stack, 'invoice2data-AzureInterior.pdf');
    const modal = await openReview(stack, card);
    stack.qbo.setActive(ws.realmId, 'Vendor', vendor.id, false); // made inactive in QBO after our list was cached
    await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: modal, values: {} });
    await settle(stack);
    const inv = await onlyInvoice(stack);
    expect(inv.status).toBe('failed');
    const dm = dmsTo(stack, 'UFOREMAN').at(-1)!;
    expect(textOf(dm)).toMatch(/inactive|does not exist|deleted/);
    stack.qbo.setActive(ws.realmId, 'Vendor', vendor.id, true);
    await stack.driver.clickButton({ teamId: T, userId: 'UFOREMAN', where: dm, actionId: 'invoice_retry' });
    await settle(stack);
    expect((await invoiceOf(stack, inv.id)).status).toBe('synced');
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(1);
    expectNothingRejected(stack);
  }, 60_000);

  it('a QBO outage: retried, then failed with a plain reason and Retry; nothing lost', async () => {
    await boot({ WORKER_MAX_ATTEMPTS: '2' });
    const ws = await setUpWorkspace(stack);
    const { card } = await share(stack, 'invoice2data-AzureInterior.pdf');
    const modal = await openReview(stack, card);
    stack.qbo.injectFault({ status: 503, count: 2 }); // both attempts (WORKER_MAX_ATTEMPTS=2) meet the outage
    await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: modal, values: {} });
    await waitFor(async () => (await onlyInvoice(stack)).status === 'failed', 'failed after retries', 20_000);
    await settle(stack);
    expect(textOf(dmsTo(stack, 'UFOREMAN').at(-1))).toContain('QuickBooks could not be reached or had an outage');
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(0);
    // Retry from App Home, where failures are listed with a Retry button.
    await stack.driver.appHomeOpened({ teamId: T, userId: 'UFOREMAN' });
    const home = await waitFor(() => stack.slack.homeView(T, 'UFOREMAN'), 'home');
    expect(textOf({ blocks: home.blocks })).toContain('QuickBooks could not be reached');
    await stack.driver.clickButton({ teamId: T, userId: 'UFOREMAN', where: home, actionId: 'invoice_retry' });
    await settle(stack);
    expect((await onlyInvoice(stack)).status).toBe('synced');
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(1);
    expectNothingRejected(stack);
  }, 60_000);
});
