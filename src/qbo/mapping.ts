/**
 * Pure functions: a confirmed invoice → the QBO Bill or Purchase (QBO's "Expense") body. No I/O, no Slack.
 * The whole invoice goes on one line for the full amount, coded to the project (CustomerRef, for job costing) and
 * the cost code (an Item, or an expense Account).
 */

export type PurchaseAccountType = 'Bank' | 'Credit Card';

export interface MappingInput {
  type: 'Bill' | 'Expense';
  amountCents: number;
  vendor: { id: string; name?: string };
  purchaseAccount: { id: string; name?: string; type: PurchaseAccountType };
  project?: { customerId: string; name?: string } | null;
  costCode?: { entity: 'Item'; id: string; name?: string } | { entity: 'Account'; id: string; name?: string } | null;
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
  constructor(message: string, readonly field: string) {
    super(message);
    this.name = 'MappingError';
  }
}

/** Cents → QBO decimal (a JS number whose shortest representation has at most two decimals). */
export const toAmount = (cents: number) => Math.round(cents) / 100;

const ref = (r: { id: string; name?: string }) => (r.name ? { value: r.id, name: r.name } : { value: r.id });

function line(input: MappingInput): Record<string, unknown> {
  if (!Number.isInteger(input.amountCents) || input.amountCents <= 0) throw new MappingError('The amount must be more than zero', 'amount');
  const amount = toAmount(input.amountCents);
  const customer = input.project ? { CustomerRef: ref({ id: input.project.customerId, name: input.project.name }) } : {};
  const description = (input.description ?? [input.vendor.name, input.invoiceNumber && `invoice ${input.invoiceNumber}`].filter(Boolean).join(' ')) || undefined;
  if (input.costCode?.entity === 'Item') {
    return {
      Amount: amount,
      ...(description ? { Description: description.slice(0, 4000) } : {}),
      DetailType: 'ItemBasedExpenseLineDetail',
      ItemBasedExpenseLineDetail: { ItemRef: ref(input.costCode), Qty: 1, UnitPrice: amount, ...customer },
    };
  }
  const account = input.costCode?.entity === 'Account' ? input.costCode : input.defaultExpenseAccount;
  if (!account) throw new MappingError('No expense account for the line: link the cost code to an account or item, or set a default expense account', 'costCode');
  return {
    Amount: amount,
    ...(description ? { Description: description.slice(0, 4000) } : {}),
    DetailType: 'AccountBasedExpenseLineDetail',
    AccountBasedExpenseLineDetail: { AccountRef: ref(account), ...customer },
  };
}

function common(input: MappingInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (input.invoiceNumber) {
    if (input.invoiceNumber.length > MAX_DOC_NUMBER) throw new MappingError(`The invoice number is longer than QuickBooks allows (${MAX_DOC_NUMBER} characters)`, 'invoiceNumber');
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
    Line: [line(input)],
  };
}

export function toPurchase(input: MappingInput): Record<string, unknown> {
  return {
    PaymentType: input.purchaseAccount.type === 'Credit Card' ? 'CreditCard' : 'Check',
    AccountRef: ref(input.purchaseAccount),
    EntityRef: { ...ref(input.vendor), type: 'Vendor' },
    ...common(input),
    Line: [line(input)],
  };
}

export function toTransaction(input: MappingInput): { entity: 'Bill' | 'Purchase'; body: Record<string, unknown> } {
  return input.type === 'Bill' ? { entity: 'Bill', body: toBill(input) } : { entity: 'Purchase', body: toPurchase(input) };
}

/** A BillPayment paying `bill` in full from the purchase account (Check for Bank, CreditCard for Credit Card). */
export function toBillPayment(p: {
  billId: string;
  vendorId: string;
  amountCents: number;
  account: { id: string; type: PurchaseAccountType };
  date?: string;
}): Record<string, unknown> {
  const amount = toAmount(p.amountCents);
  const payFrom =
    p.account.type === 'Credit Card'
      ? { PayType: 'CreditCard', CreditCardPayment: { CCAccountRef: { value: p.account.id } } }
      : { PayType: 'Check', CheckPayment: { BankAccountRef: { value: p.account.id } } };
  return {
    VendorRef: { value: p.vendorId },
    ...payFrom,
    TotalAmt: amount,
    ...(p.date ? { TxnDate: p.date } : {}),
    Line: [{ Amount: amount, LinkedTxn: [{ TxnId: p.billId, TxnType: 'Bill' }] }],
  };
}

/** The link that opens the transaction in QBO's web app. */
export function transactionUrl(appUrl: string, entity: 'Bill' | 'Purchase', id: string): string {
  return `${appUrl}/app/${entity === 'Bill' ? 'bill' : 'expense'}?txnId=${encodeURIComponent(id)}`;
}
