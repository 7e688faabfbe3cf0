import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReview, type ReviewForm } from '../../src/app/review.ts';
import { reviewErrorText } from '../../src/slack/copy/review.ts';
import { byName, configureWorkspace, type EngineStack, startEngineStack } from '../engine/engine-harness.ts';

/** The review use case answers with codes (no Slack wording); the Slack copy turns each into the field's sentence. */

const T = 'T1';
let stack: EngineStack;
beforeAll(async () => {
  stack = await startEngineStack();
  await stack.connect(T);
  await configureWorkspace(stack.engine, T);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const blank: ReviewForm = {
  txnType: 'Bill',
  accountId: null,
  projectId: null,
  costCodeId: null,
  vendorId: null,
  vendorText: null,
  amount: '10.00',
  invoiceNumber: null,
  invoiceDate: null,
  dueDate: null,
  memo: null,
};
const required = { amountRequired: true, vendorRequired: true };

describe('checkReview', () => {
  it('format problems come back as codes on their fields', async () => {
    const out = await checkReview(
      stack.engine,
      T,
      { ...blank, amount: '12.345', invoiceNumber: 'X'.repeat(22), invoiceDate: '2023-02-30' },
      required,
    );
    expect(out).toEqual({
      ok: false,
      errors: {
        amount: { code: 'amount_format' },
        number: { code: 'number_too_long' },
        date: { code: 'date_unreal' },
        vendor: { code: 'vendor_missing' },
      },
    });
    const late = await checkReview(
      stack.engine,
      T,
      { ...blank, amount: '0', invoiceDate: '2023-03-20', dueDate: '2023-03-01', vendorId: 'new: ' },
      required,
    );
    expect(late).toEqual({
      ok: false,
      errors: { amount: { code: 'amount_not_positive' }, due: { code: 'due_before_date' }, vendor: { code: 'vendor_name_missing' } },
    });
  });

  it('what QuickBooks holds: the name and type of an unfit account, a deleted project, a missing vendor', async () => {
    const materials = await byName(stack.engine, T, 'Account', 'Job Materials');
    const out = await checkReview(stack.engine, T, { ...blank, accountId: materials.id, projectId: '999999', vendorId: '999999' }, required);
    expect(out).toEqual({
      ok: false,
      errors: {
        account: { code: 'account_wrong_type', params: { name: materials.fullName, type: materials.type } },
        project: { code: 'profile_deleted', params: { kind: 'project' } },
        vendor: { code: 'vendor_gone' },
      },
    });
  });
});

describe('the review copy', () => {
  it('says each code in the words the modal has always used', () => {
    expect(reviewErrorText({ code: 'amount_format' })).toBe('Enter an amount like 1234.56: digits, at most 2 decimals.');
    expect(reviewErrorText({ code: 'number_too_long' })).toBe('QuickBooks allows at most 21 characters here.');
    expect(reviewErrorText({ code: 'memo_too_long' })).toBe('At most 4000 characters.');
    expect(reviewErrorText({ code: 'vendor_needs_connection' })).toBe(
      'QuickBooks is not connected, so I can’t create vendors yet. An admin can connect it in `/qbo settings`.',
    );
    expect(reviewErrorText({ code: 'account_wrong_type', params: { name: 'Job Materials', type: 'Expense' } })).toBe(
      '“Job Materials” is a Expense account; choose a Bank or Credit Card account.',
    );
    expect(reviewErrorText({ code: 'profile_deleted', params: { kind: 'cost_code' } })).toBe('This cost code was deleted. Choose another.');
  });
});
