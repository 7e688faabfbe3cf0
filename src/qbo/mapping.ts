/**
 * Pure functions: a confirmed invoice → the QBO Bill, Purchase (QBO's "Expense") or VendorCredit body. No I/O, no
 * Slack. One QBO Line per split line (or one line for the full amount), each coded to its project (CustomerRef, for
 * job costing) and its cost code (an Item, or an expense Account). QBO computes TotalAmt from the lines, so the lines
 * must add up to the invoice total to the cent.
 */

export type { PurchaseAccountType } from './accounts.ts';
import type { PurchaseAccountType } from './accounts.ts';

export type CostCodeRef = { entity: 'Item'; id: string; name?: string } | { entity: 'Account'; id: string; name?: string };

/** One split line: its own amount, description, project and cost code. */
export interface SplitLineInput {
  amountCents: number;
  description?: string | null;
  project?: { customerId: string; name?: string } | null;
  costCode?: CostCodeRef | null;
}

export interface MappingInput {
  type: 'Bill' | 'Expense';
  amountCents: number;
  vendor: { id: string; name?: string };
  purchaseAccount: { id: string; name?: string; type: PurchaseAccountType };
  project?: { customerId: string; name?: string } | null;
  costCode?: CostCodeRef | null;
  /** Split lines; when absent, one line for amountCents with the project and cost code above. */
  lines?: SplitLineInput[] | null;
  /** Used for the line when the cost code is not an Item and carries no account. */
  defaultExpenseAccount?: { id: string; name?: string } | null;
  invoiceNumber?: string | null;
  invoiceDate?: string | null;
  dueDate?: string | null;
  memo?: string | null;
  description?: string | null;
  /** Who approved it and when ("Approved by Pat 2026-03-04, Chris 2026-03-05"), after the memo in PrivateNote. */
  approvalNote?: string | null;
}

export const MAX_DOC_NUMBER = 21;
export const MAX_PRIVATE_NOTE = 4000;

export class MappingError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'MappingError';
  }
}

/** Cents → QBO decimal (a JS number whose shortest representation has at most two decimals). */
export const toAmount = (cents: number) => Math.round(cents) / 100;

const ref = (r: { id: string; name?: string }) => (r.name ? { value: r.id, name: r.name } : { value: r.id });

function line(input: MappingInput, l: SplitLineInput, field: string): Record<string, unknown> {
  if (!Number.isInteger(l.amountCents) || l.amountCents <= 0) throw new MappingError('The amount must be more than zero', field);
  const amount = toAmount(l.amountCents);
  const customer = l.project ? { CustomerRef: ref({ id: l.project.customerId, name: l.project.name }) } : {};
  const description =
    (l.description ?? [input.vendor.name, input.invoiceNumber && `invoice ${input.invoiceNumber}`].filter(Boolean).join(' ')) || undefined;
  if (l.costCode?.entity === 'Item') {
    return {
      Amount: amount,
      ...(description ? { Description: description.slice(0, 4000) } : {}),
      DetailType: 'ItemBasedExpenseLineDetail',
      ItemBasedExpenseLineDetail: { ItemRef: ref(l.costCode), Qty: 1, UnitPrice: amount, ...customer },
    };
  }
  const account = l.costCode?.entity === 'Account' ? l.costCode : input.defaultExpenseAccount;
  if (!account)
    throw new MappingError('No expense account for the line: link the cost code to an account or item, or set a default expense account', 'costCode');
  return {
    Amount: amount,
    ...(description ? { Description: description.slice(0, 4000) } : {}),
    DetailType: 'AccountBasedExpenseLineDetail',
    AccountBasedExpenseLineDetail: { AccountRef: ref(account), ...customer },
  };
}

/** The QBO lines: one per split line (which must add up to the total to the cent), or one for the full amount. */
export function lines(input: MappingInput): Record<string, unknown>[] {
  if (!Number.isInteger(input.amountCents) || input.amountCents <= 0) throw new MappingError('The amount must be more than zero', 'amount');
  const split = input.lines ?? [];
  if (split.length === 0) {
    return [
      line(input, { amountCents: input.amountCents, description: input.description, project: input.project, costCode: input.costCode }, 'amount'),
    ];
  }
  const out = split.map((l, i) => line(input, l, `lines.${i}.amount`));
  const sum = split.reduce((s, l) => s + l.amountCents, 0);
  if (sum !== input.amountCents) {
    throw new MappingError(
      `The lines add up to ${toAmount(sum).toFixed(2)}, not the invoice total ${toAmount(input.amountCents).toFixed(2)}`,
      'lines',
    );
  }
  return out;
}

function common(input: MappingInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (input.invoiceNumber) {
    if (input.invoiceNumber.length > MAX_DOC_NUMBER)
      throw new MappingError(`The invoice number is longer than QuickBooks allows (${MAX_DOC_NUMBER} characters)`, 'invoiceNumber');
    out.DocNumber = input.invoiceNumber;
  }
  if (input.invoiceDate) out.TxnDate = input.invoiceDate;
  const note = [input.memo, input.approvalNote].filter(Boolean).join('\n');
  if (note) out.PrivateNote = note.slice(0, MAX_PRIVATE_NOTE);
  return out;
}

export function toBill(input: MappingInput): Record<string, unknown> {
  return {
    VendorRef: ref(input.vendor),
    ...common(input),
    ...(input.dueDate ? { DueDate: input.dueDate } : {}),
    Line: lines(input),
  };
}

export function toPurchase(input: MappingInput): Record<string, unknown> {
  return {
    PaymentType: input.purchaseAccount.type === 'Credit Card' ? 'CreditCard' : 'Check',
    AccountRef: ref(input.purchaseAccount),
    EntityRef: { ...ref(input.vendor), type: 'Vendor' },
    ...common(input),
    Line: lines(input),
  };
}

/** A supplier's credit note: a VendorCredit for its amount (positive), coded and split like a Bill. */
export function toVendorCredit(input: MappingInput): Record<string, unknown> {
  return { VendorRef: ref(input.vendor), ...common(input), Line: lines(input) };
}

export function toTransaction(input: MappingInput): { entity: 'Bill' | 'Purchase'; body: Record<string, unknown> } {
  return input.type === 'Bill' ? { entity: 'Bill', body: toBill(input) } : { entity: 'Purchase', body: toPurchase(input) };
}

/**
 * A BillPayment paying `bill` in full from the purchase account (Check for Bank, CreditCard for Credit Card). With
 * vendor credits, each credit is a line linking its VendorCredit next to the Bill's line, and what is paid from the
 * account (TotalAmt) is the difference.
 */
export function toBillPayment(p: {
  billId: string;
  vendorId: string;
  amountCents: number;
  account: { id: string; type: PurchaseAccountType };
  date?: string;
  credits?: Array<{ vendorCreditId: string; amountCents: number }>;
}): Record<string, unknown> {
  const credits = p.credits ?? [];
  const credited = credits.reduce((s, c) => s + c.amountCents, 0);
  if (credits.some((c) => !Number.isInteger(c.amountCents) || c.amountCents <= 0) || credited > p.amountCents) {
    throw new MappingError('The credits applied must be above zero and no more than the bill', 'credits');
  }
  const amount = toAmount(p.amountCents);
  const payFrom =
    p.account.type === 'Credit Card'
      ? { PayType: 'CreditCard', CreditCardPayment: { CCAccountRef: { value: p.account.id } } }
      : { PayType: 'Check', CheckPayment: { BankAccountRef: { value: p.account.id } } };
  return {
    VendorRef: { value: p.vendorId },
    ...payFrom,
    TotalAmt: toAmount(p.amountCents - credited),
    ...(p.date ? { TxnDate: p.date } : {}),
    Line: [
      { Amount: amount, LinkedTxn: [{ TxnId: p.billId, TxnType: 'Bill' }] },
      ...credits.map((c) => ({ Amount: toAmount(c.amountCents), LinkedTxn: [{ TxnId: c.vendorCreditId, TxnType: 'VendorCredit' }] })),
    ],
  };
}

const WEB_PATH = { Bill: 'bill', Purchase: 'expense', VendorCredit: 'vendorcredit' } as const;

/** The link that opens the transaction in QBO's web app. */
export function transactionUrl(appUrl: string, entity: 'Bill' | 'Purchase' | 'VendorCredit', id: string): string {
  return `${appUrl}/app/${WEB_PATH[entity]}?txnId=${encodeURIComponent(id)}`;
}
