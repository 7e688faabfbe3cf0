import type { InvoiceStatus } from '../store/invoices.ts';

/**
 * The invoice lifecycle as data: which status may move to which. `InvoiceStore.transition` applies a move only as a
 * conditional update (`… WHERE id = ? AND status IN (froms of the target)`), so a move that lost a race (another
 * submit, a retry against a sync) is refused and reported instead of overwriting what happened meanwhile.
 *
 *   received → extracted | needs_input | duplicate            (reading the file)
 *   editable → ready | blocked | duplicate | needs_input      (a person confirms; preconditions)
 *   editable → awaiting_approval → ready | needs_input        (an approval rule applies: approved / rejected)
 *   ready | failed | blocked | duplicate → syncing → synced | failed | blocked | duplicate | needs_input
 *   synced → deleted_in_qbo                                   (QuickBooks deleted or voided it)
 */

export type { InvoiceStatus };

export const ALL_STATUSES: readonly InvoiceStatus[] = [
  'received',
  'extracted',
  'needs_input',
  'awaiting_approval',
  'ready',
  'syncing',
  'synced',
  'blocked',
  'failed',
  'duplicate',
  'deleted_in_qbo',
];

/** Statuses whose fields a person may still change (besides the QBO-side checks in `isEditable`). */
export const EDITABLE_STATUSES: readonly InvoiceStatus[] = [
  'received',
  'extracted',
  'needs_input',
  'awaiting_approval',
  'ready',
  'blocked',
  'failed',
  'duplicate',
  'deleted_in_qbo',
];
/** Statuses a sync attempt starts from (the worker's job, Sync now, Retry). */
export const SYNCABLE_STATUSES: readonly InvoiceStatus[] = ['ready', 'syncing', 'failed', 'blocked', 'duplicate'];
/** In QuickBooks, or on its way there: what a duplicate check compares against (with any stored QBO id). */
export const LIVE_STATUSES: readonly InvoiceStatus[] = ['synced', 'syncing'];
/** Waiting for someone (shown with their reason). */
export const ATTENTION_STATUSES: readonly InvoiceStatus[] = ['failed', 'blocked', 'needs_input', 'duplicate'];
/** Still to be booked: what App Home and `/qbo status` list as open work. */
export const OPEN_STATUSES: readonly InvoiceStatus[] = ['extracted', 'needs_input', 'awaiting_approval', 'blocked', 'duplicate', 'ready'];
/** Whose card shows the fields to check. */
export const REVIEW_STATUSES: readonly InvoiceStatus[] = ['extracted', 'needs_input'];
/** Whose card says how it is (or will be) booked. */
export const BOOKING_STATUSES: readonly InvoiceStatus[] = ['ready', 'syncing', 'synced'];
/** What a press of Retry may start from. */
export const RETRY_STATUSES: readonly InvoiceStatus[] = ['failed', 'blocked', 'needs_input', 'ready'];
/** The order `/qbo status` counts in. */
export const STATUS_ORDER: readonly InvoiceStatus[] = [
  'awaiting_approval',
  'ready',
  'syncing',
  'blocked',
  'failed',
  'needs_input',
  'duplicate',
  'synced',
  'deleted_in_qbo',
];

const EDITABLE = EDITABLE_STATUSES;

/** from → the statuses it may move to. A status not listed as its own target cannot be re-entered (e.g. synced). */
export const TRANSITIONS: Readonly<Record<InvoiceStatus, readonly InvoiceStatus[]>> = {
  received: ['extracted', 'needs_input', 'duplicate', 'ready', 'blocked', 'awaiting_approval'],
  extracted: ['needs_input', 'ready', 'blocked', 'duplicate', 'awaiting_approval'],
  needs_input: ['needs_input', 'ready', 'blocked', 'duplicate', 'awaiting_approval'],
  // Approvals (issue 16): each decision is recorded as awaiting_approval → awaiting_approval; the last → ready (or
  // blocked/duplicate by the checks after it); a rejection → needs_input. An edit + resubmit starts a new round.
  awaiting_approval: ['awaiting_approval', 'ready', 'blocked', 'duplicate', 'needs_input'],
  ready: ['ready', 'blocked', 'duplicate', 'needs_input', 'syncing', 'failed', 'awaiting_approval'],
  blocked: ['blocked', 'ready', 'duplicate', 'needs_input', 'syncing', 'failed', 'awaiting_approval'],
  failed: ['failed', 'ready', 'blocked', 'duplicate', 'needs_input', 'syncing', 'awaiting_approval'],
  duplicate: ['duplicate', 'ready', 'blocked', 'needs_input', 'syncing', 'failed', 'awaiting_approval'],
  syncing: ['synced', 'failed', 'blocked', 'duplicate', 'needs_input', 'awaiting_approval'],
  synced: ['deleted_in_qbo'],
  deleted_in_qbo: ['ready', 'blocked', 'duplicate', 'needs_input', 'awaiting_approval'],
};

/** The statuses `to` may be reached from (the `status IN (…)` of the conditional update). */
export function allowedFrom(to: InvoiceStatus): InvoiceStatus[] {
  return ALL_STATUSES.filter((from) => TRANSITIONS[from].includes(to));
}

export function canMove(from: InvoiceStatus, to: InvoiceStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

const has = (set: readonly InvoiceStatus[], s: InvoiceStatus) => set.includes(s);

/**
 * Whether people may still change an invoice's fields. Not once QuickBooks has (or may have) the transaction: a
 * stored QBO id, a create whose answer never came (`pendingRequestId`), or a sync under way.
 */
export function isEditable(inv: { status: InvoiceStatus; qboId: string | null; pendingRequestId: string | null }): boolean {
  return has(EDITABLE, inv.status) && !inv.qboId && !inv.pendingRequestId;
}

/** Whether Retry may be offered/accepted for this status. */
export function canRetry(inv: { status: InvoiceStatus }): boolean {
  return has(RETRY_STATUSES, inv.status);
}

/** Whether a sync attempt may start from this status (others are skipped). */
export function canSyncNow(inv: { status: InvoiceStatus }): boolean {
  return has(SYNCABLE_STATUSES, inv.status);
}

/** Whether the invoice is waiting for someone, with a reason to show. */
export function needsAttention(inv: { status: InvoiceStatus }): boolean {
  return has(ATTENTION_STATUSES, inv.status);
}

export function isOpen(inv: { status: InvoiceStatus }): boolean {
  return has(OPEN_STATUSES, inv.status);
}

/** What a change of QuickBooks company sends back to `needs_input` (vendor and accounts must be chosen again). */
export const COMPANY_RESET_STATUSES: readonly InvoiceStatus[] = ['ready', 'blocked', 'failed', 'duplicate', 'extracted'];
