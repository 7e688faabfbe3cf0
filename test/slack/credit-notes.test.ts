import { afterEach, describe, expect, it } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import { dmsTo, expectNothingRejected, latest, openReview, settle, setUpWorkspace, share, T, textOf } from './intake-helpers.ts';
import { captureQboBodies, lumberPdf } from './accounting-helpers.ts';

/** Credit notes end to end: booked as QBO VendorCredits, and applied when the vendor's next Bill is marked paid. */

let stack: Stack;
afterEach(async () => {
  await stack?.stop();
});

const VENDOR = 'Cascade Lumber & Building Supply, Inc.';

async function book(name: string, pdf: Buffer, user = 'UADMIN') {
  const { card } = await share(stack, name, { bytes: pdf, user });
  const modal = await openReview(stack, card, user);
  const res = await stack.driver.submitView({ teamId: T, userId: user, view: modal, values: {} });
  expect(res.errors).toBeUndefined();
  await settle(stack);
  return card;
}

describe('credit notes', () => {
  it('a credit note is booked as a VendorCredit for its amount, file attached, called a credit note; Mark paid on the next Bill applies it and pays the difference', async () => {
    stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN' } });
    const ws = await setUpWorkspace(stack);
    const bodies = captureQboBodies(stack);

    const creditCard = await book(
      'cascade-credit.pdf',
      await lumberPdf({ vendor: VENDOR, title: 'CREDIT NOTE', number: 'CN-77', lines: [['Returned studs', 300]] }),
    );
    const [vc] = stack.qbo.entities(ws.realmId, 'VendorCredit');
    expect(vc).toMatchObject({ DocNumber: 'CN-77', TotalAmt: 300, Balance: 300 });
    expect(vc.Line[0].ItemBasedExpenseLineDetail?.CustomerRef?.value ?? vc.Line[0].AccountBasedExpenseLineDetail?.CustomerRef?.value).toBe(
      ws.customer.id,
    );
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(0);
    const att = stack.qbo.entities(ws.realmId, 'Attachable').at(-1);
    expect(att.AttachableRef[0].EntityRef).toMatchObject({ type: 'VendorCredit', value: vc.Id });
    expect(textOf(latest(stack, creditCard))).toContain('In QuickBooks as Credit note CN-77');
    const creditDm = textOf(dmsTo(stack, 'UADMIN').at(-1));
    expect(creditDm).toContain('Credit note CN-77 is in QuickBooks');
    expect(creditDm).toContain(`/app/vendorcredit?txnId=${vc.Id}`);
    expect(creditDm).not.toContain('Mark paid');
    await bodies.save('credit-note-vendorcredit', 'VendorCredit');

    await book('cascade-bill.pdf', await lumberPdf({ vendor: VENDOR, number: 'CL-9001', lines: [['Framing lumber', 1000]] }));
    const [bill] = stack.qbo.entities(ws.realmId, 'Bill');
    expect(bill.TotalAmt).toBe(1000);
    const billDm = dmsTo(stack, 'UADMIN').at(-1)!;
    await stack.driver.clickButton({ teamId: T, userId: 'UADMIN', where: billDm, actionId: 'invoice_mark_paid' });
    const offer = await waitFor(
      () => stack.slack.openModalStack(T, 'UADMIN').find((v) => v.callback_id === 'mark_paid_credits'),
      'credits modal',
      5000,
    );
    expect(textOf({ blocks: offer.blocks })).toContain('Credit note CN-77: $300.00');
    expect(textOf({ blocks: offer.blocks })).toContain('is $700.00 (the difference)');
    await stack.driver.submitView({ teamId: T, userId: 'UADMIN', view: offer, values: {} });
    const payment = await waitFor(() => stack.qbo.entities(ws.realmId, 'BillPayment')[0], 'bill payment', 10_000);
    await settle(stack);
    expect(payment.TotalAmt).toBe(700);
    expect(payment.Line.map((l: any) => [l.Amount, l.LinkedTxn[0].TxnType, l.LinkedTxn[0].TxnId])).toEqual([
      [1000, 'Bill', bill.Id],
      [300, 'VendorCredit', vc.Id],
    ]);
    expect(stack.qbo.entities(ws.realmId, 'Bill')[0].Balance).toBe(0);
    expect(stack.qbo.entities(ws.realmId, 'VendorCredit')[0].Balance).toBe(0);
    await bodies.save('mark-paid-with-credit', 'BillPayment');
    expect(textOf(stack.slack.openModalStack(T, 'UADMIN').at(-1) as any)).toContain('a vendor credit applied, $700.00 paid');
    // The credit is used up: the next bill from the vendor is paid in full, without the offer.
    expect(await stack.app.engine.sync.openCredits((await stack.app.engine.invoices.list(T, { statuses: ['synced'] }))[0].id)).toEqual([]);
    expectNothingRejected(stack);
  }, 90_000);
});
