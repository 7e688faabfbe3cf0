import { afterEach, describe, expect, it } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import {
  T,
  byName,
  dmsTo,
  expectNothingRejected,
  fixture,
  handmadePdf,
  invoiceOf,
  latest,
  onlyInvoice,
  openReview,
  settle,
  setUpWorkspace,
  share,
  textOf,
  threadCard,
} from './intake-helpers.ts';

/** The flows around the happy path, end to end over HTTP (Slack fake + the real app + QBO emulator): deliveries, bad files, the review modal, Mark paid. */

let stack: Stack;
async function boot(env: Record<string, string> = {}) {
  stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN', ...env } });
  return stack;
}
afterEach(async () => {
  await stack?.stop();
});

describe("Slack's deliveries", () => {
  it('the two events of one upload and their retries produce one invoice and one card', async () => {
    await boot();
    await setUpWorkspace(stack);
    const file = stack.slack.addFile(T, {
      name: 'invoice2data-AzureInterior.pdf',
      mimetype: 'application/pdf',
      bytes: fixture('invoice2data-AzureInterior.pdf'),
      user: 'UFOREMAN',
    });
    const msg = stack.slack.postUserMessage(T, { channel: 'CJOB1', user: 'UFOREMAN', files: [file] });
    const fileShared = {
      type: 'file_shared',
      channel_id: 'CJOB1',
      file_id: file.id,
      user_id: 'UFOREMAN',
      file: { id: file.id },
    };
    const message = {
      type: 'message',
      subtype: 'file_share',
      files: [file],
      user: 'UFOREMAN',
      ts: msg.ts,
      channel: 'CJOB1',
      channel_type: 'channel',
      text: '',
    };
    const sends = [
      stack.driver.event({ teamId: T, event: fileShared, eventId: 'EvFS1' }),
      stack.driver.event({ teamId: T, event: message, eventId: 'EvMSG1' }),
      stack.driver.event({ teamId: T, event: fileShared, eventId: 'EvFS1', retryNum: 1 }),
      stack.driver.event({ teamId: T, event: message, eventId: 'EvMSG1', retryNum: 1 }),
    ];
    for (const r of await Promise.all(sends)) expect(r.status).toBe(200);
    await waitFor(() => threadCard(stack, 'CJOB1', msg.ts), 'card', 60_000); // the card shows what was read once the pool has read it
    await stack.driver.event({ teamId: T, event: message, eventId: 'EvMSG1', retryNum: 2 });
    await settle(stack);
    expect(await stack.app.engine.invoices.list(T)).toHaveLength(1);
    const cards = stack.slack.messages('CJOB1').filter((m) => m.thread_ts === msg.ts && m.author !== 'UFOREMAN');
    expect(cards).toHaveLength(1);
    expectNothingRejected(stack);
  }, 60_000);
});

describe('bad files get a clear message and are kept', () => {
  const cases: Array<{ name: string; bytes: () => Buffer; mimetype: string; says: RegExp; code: string }> = [
    {
      name: 'photo.png',
      bytes: () => Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
      mimetype: 'image/png',
      says: /isn't a PDF/,
      code: 'not_pdf',
    },
    {
      name: 'locked.pdf',
      bytes: () => handmadePdf({ encrypted: true, text: 'Invoice 1' }),
      mimetype: 'application/pdf',
      says: /password-protected/,
      code: 'encrypted',
    },
    {
      name: 'scan.pdf',
      bytes: () => handmadePdf({}),
      mimetype: 'application/pdf',
      says: /no text layer/,
      code: 'no_text',
    },
    {
      name: 'broken.pdf',
      bytes: () => Buffer.from(`%PDF-1.7\n${'garbage '.repeat(80)}`),
      mimetype: 'application/pdf',
      says: /damaged/,
      code: 'corrupt',
    },
  ];
  it.each(cases)(
    '$code: $name',
    async ({ name, bytes, mimetype, says, code }) => {
      await boot();
      const ws = await setUpWorkspace(stack);
      const { card } = await share(stack, name, { bytes: bytes(), mimetype });
      const text = textOf(card);
      expect(text).toContain("couldn't read this file — enter the details");
      expect(text).toMatch(says);
      const inv = await onlyInvoice(stack);
      expect(inv.status).toBe('needs_input');
      expect(inv.extractionError).toBe(code);
      expect(Buffer.compare(await stack.app.engine.files.bytes(inv.id), bytes())).toBe(0);

      // A person finishes it by hand.
      const modal = await openReview(stack, card);
      expect(textOf({ blocks: modal.blocks })).toMatch(says);
      const vendor = await byName(stack.app.engine, 'Vendor', 'Home Depot');
      await stack.driver.submitView({
        teamId: T,
        userId: 'UFOREMAN',
        view: modal,
        values: { Vendor: { value: vendor.id, text: vendor.name }, Amount: '1,250.10', 'Invoice number': 'HD-77' },
      });
      await settle(stack);
      expect((await invoiceOf(stack, inv.id)).status).toBe('synced');
      const bill = stack.qbo.entities(ws.realmId, 'Bill')[0];
      expect(bill.TotalAmt).toBe(1250.1);
      expect(bill.VendorRef.value).toBe(vendor.id);
      expectNothingRejected(stack);
    },
    60_000,
  );

  it('a file over the size limit: said in the thread, kept as needs_input, can still be entered by hand', async () => {
    await boot({ MAX_FILE_BYTES: '20000' });
    const ws = await setUpWorkspace(stack);
    const { card } = await share(stack, 'invoice2data-AzureInterior.pdf');
    expect(textOf(card)).toMatch(/too large \(40 KB\): the limit is 20 KB/);
    const inv = await onlyInvoice(stack);
    expect(inv.status).toBe('needs_input');
    expect(inv.extractionError).toBe('too_large');
    const vendor = await byName(stack.app.engine, 'Vendor', 'Azure Interior');
    await stack.driver.submitView({
      teamId: T,
      userId: 'UFOREMAN',
      view: await openReview(stack, card),
      values: { Vendor: { value: vendor.id, text: vendor.name }, Amount: '279.84' },
    });
    await settle(stack);
    expect((await invoiceOf(stack, inv.id)).status).toBe('synced');
    expect(stack.qbo.entities(ws.realmId, 'Attachable')).toHaveLength(0);
    expectNothingRejected(stack);
  }, 60_000);
});

describe('the review modal checks every field', () => {
  it('errors come back on the field', async () => {
    await boot();
    const ws = await setUpWorkspace(stack);
    const { card } = await share(stack, 'invoice2data-AzureInterior.pdf');
    const modal = await openReview(stack, card);
    const submit = (values: Record<string, any>) => stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: modal, values });
    const oldSavings = await byName(stack.app.engine, 'Account', 'Old Savings');
    const lumber = await byName(stack.app.engine, 'Vendor', 'Mile High Lumber (closed)');
    const r1 = await submit({
      Amount: '12.345',
      'Invoice number': 'X'.repeat(22),
      'Invoice date': '2023-02-30',
      'Purchase account': { value: oldSavings.id, text: 'Old Savings (Bank)' },
      Vendor: { value: lumber.id, text: lumber.name },
    });
    expect(r1.errors).toMatchObject({
      review_amount: expect.stringContaining('at most 2 decimals'),
      review_number: expect.stringContaining('21'),
      review_date: expect.stringContaining('does not exist'),
      review_account: expect.stringContaining('inactive'),
      review_vendor: expect.stringContaining('inactive'),
    });
    const r2 = await submit({
      Amount: '0',
      'Invoice number': 'INV-1',
      'Invoice date': '2023-03-20',
      'Due date': '2023-03-01',
      'Purchase account': { value: (await byName(stack.app.engine, 'Account', 'Job Materials')).id, text: 'Job Materials' },
      Vendor: { value: (await byName(stack.app.engine, 'Vendor', 'Azure Interior')).id, text: 'Azure Interior' },
    });
    expect(r2.errors).toMatchObject({
      review_amount: expect.stringContaining('more than zero'),
      review_due: expect.stringContaining('before the invoice date'),
      review_account: expect.stringContaining('Bank or Credit Card'),
    });
    expect((await onlyInvoice(stack)).status).toBe('extracted');
    const ok = await submit({
      Amount: '$1,279.84',
      'Due date': '2023-04-04',
      'Purchase account': { value: ws.checking.id, text: 'Operating Checking (Bank)' },
    });
    expect(ok.errors).toBeUndefined();
    await settle(stack);
    expect(stack.qbo.entities(ws.realmId, 'Bill')[0].TotalAmt).toBe(1279.84);
    expectNothingRejected(stack);
  }, 60_000);
});

const onlyByFile = async (s: Stack, name: string) => (await s.app.engine.invoices.list(T)).find((i) => i.fileName === name)!;

describe('Mark paid', () => {
  it('a synced Bill → BillPayment from its purchase account (Check from a bank, CreditCard from a card); the thread and the uploader hear of it', async () => {
    await boot();
    const ws = await setUpWorkspace(stack);
    const a = await share(stack, 'invoice2data-AzureInterior.pdf');
    await stack.driver.submitView({
      teamId: T,
      userId: 'UPM',
      view: await openReview(stack, a.card, 'UPM'),
      values: {},
    });
    const b = await share(stack, 'invoice2data-QualityHosting.pdf');
    await stack.driver.submitView({
      teamId: T,
      userId: 'UFOREMAN',
      view: await openReview(stack, b.card),
      values: { 'Purchase account': { value: ws.visa.id, text: 'Visa Business (Credit Card)' } },
    });
    await settle(stack);
    const bills = stack.qbo.entities(ws.realmId, 'Bill');
    expect(bills).toHaveLength(2);

    // An admin pays them from App Home (the channel's card has no Mark paid).
    await stack.driver.appHomeOpened({ teamId: T, userId: 'UADMIN' });
    const payButtons = () =>
      (stack.slack.homeView(T, 'UADMIN')?.blocks ?? [])
        .flatMap((bl: any) => bl.elements ?? [])
        .filter((e: any) => e.action_id === 'invoice_mark_paid');
    await waitFor(() => payButtons().length === 2, 'Mark paid in the admin home');
    for (const inv of [await onlyByFile(stack, a.file.name), await onlyByFile(stack, b.file.name)]) {
      await stack.driver.clickButton({
        teamId: T,
        userId: 'UADMIN',
        where: stack.slack.homeView(T, 'UADMIN')!,
        actionId: 'invoice_mark_paid',
        value: String(inv.id),
      });
    }
    await waitFor(() => stack.qbo.entities(ws.realmId, 'BillPayment').length === 2, 'two payments');
    await settle(stack);
    const pays = stack.qbo.entities(ws.realmId, 'BillPayment');
    const billA = bills.find((x) => x.DocNumber === 'INV/2023/03/0008')!;
    const payA = pays.find((p) => p.Line[0].LinkedTxn[0].TxnId === billA.Id)!;
    expect(payA.PayType).toBe('Check');
    expect(payA.CheckPayment.BankAccountRef.value).toBe(ws.checking.id);
    expect(payA.TotalAmt).toBe(279.84);
    const payB = pays.find((p) => p !== payA)!;
    expect(payB.PayType).toBe('CreditCard');
    expect(payB.CreditCardPayment.CCAccountRef.value).toBe(ws.visa.id);
    expect(textOf(latest(stack, a.card))).toContain('paid');
    expect(textOf(latest(stack, a.card))).not.toContain('Mark paid');
    const threadNote = stack.slack.messages('CJOB1').find((m) => m.thread_ts === a.message.ts && /marked paid/.test(m.text ?? ''));
    expect(threadNote).toBeTruthy();
    expect(dmsTo(stack, 'UFOREMAN').some((m) => /marked paid/.test(m.text ?? ''))).toBe(true);
    expectNothingRejected(stack);
  }, 60_000);
});
