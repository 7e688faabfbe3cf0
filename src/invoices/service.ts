import { createHash } from 'node:crypto';

/**
 * The invoice aggregate as the rest of the app sees it. The data lives behind the store (src/store/invoices.ts:
 * `InvoiceStore`, async); the lifecycle rules in src/invoices/lifecycle.ts.
 */
export { InvoiceStore as Invoices, InvoiceNotFound, sha256 } from '../store/invoices.ts';
export type { ConfirmedFields, Invoice, InvoiceEvent, Moved, NewInvoice, StatusChange, TransitionHook } from '../store/invoices.ts';
export { isEditable } from './lifecycle.ts';

/** Deterministic QBO requestid (≤ 50 chars) for one revision of one invoice: a retry can never create a second transaction. */
export function requestIdFor(inv: { teamId: string; id: number; revision: number }, step: 'txn' | 'att' | 'pay' = 'txn'): string {
  const team = createHash('sha256').update(inv.teamId).digest('hex').slice(0, 10);
  return `inv-${team}-${inv.id}-r${inv.revision}-${step}`;
}
