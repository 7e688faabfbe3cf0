/**
 * The one rule for which QuickBooks accounts the app may use: a purchase (what pays the Bill or Expense) is an
 * active Bank or Credit Card account; an expense line (a cost code linked to an account, the default expense
 * account) goes to an active account of an expense type. Every check — settings, the review form, the admins'
 * fix-it DMs, the sync itself — asks this module, so a payload a picker would never offer is refused the same way.
 */

export const PURCHASE_ACCOUNT_TYPES = ['Bank', 'Credit Card'] as const;
/** Account types that may carry an expense line. */
export const EXPENSE_ACCOUNT_TYPES = ['Expense', 'Cost of Goods Sold', 'Other Expense', 'Other Current Asset', 'Fixed Asset'] as const;

export type AccountUse = 'purchase' | 'expense';
export type PurchaseAccountType = (typeof PURCHASE_ACCOUNT_TYPES)[number];

const TYPES: Record<AccountUse, readonly string[]> = { purchase: PURCHASE_ACCOUNT_TYPES, expense: EXPENSE_ACCOUNT_TYPES };

export interface AccountFacts {
  active: boolean;
  type: string | null;
}

/** Whether an account type may serve this use. */
export function typeFits(type: string | null | undefined, use: AccountUse): boolean {
  return !!type && TYPES[use].includes(type);
}

/** Why the account cannot serve this use (`missing`, `inactive`, `wrong_type`), or null when it can. */
export function accountUnfit(a: AccountFacts | null | undefined, use: AccountUse): 'missing' | 'inactive' | 'wrong_type' | null {
  if (!a) return 'missing';
  if (!a.active) return 'inactive';
  return typeFits(a.type, use) ? null : 'wrong_type';
}

export function accountFits(a: AccountFacts | null | undefined, use: AccountUse): boolean {
  return accountUnfit(a, use) === null;
}
