import type { Invoice } from '../../invoices/service.ts';
import { esc, money, truncate } from './common.ts';
import { statusText } from '../copy/reasons.ts';

/** What the invoice views show besides the invoice row: names resolved by the caller (views stay pure). */
export interface InvoiceInfo {
  inv: Invoice;
  projectName?: string | null;
  projectLinked?: boolean;
  costCodeName?: string | null;
  accountName?: string | null;
  autoSync: boolean;
  /** The earlier invoice this one duplicates, if known. */
  duplicateOf?:
    | (Pick<Invoice, 'id' | 'qboUrl' | 'qboDocNumber' | 'txnType'> & Partial<Pick<Invoice, 'qboId' | 'uploadedBy' | 'createdAt' | 'syncedAt'>>)
    | null;
  /** While the file is being read (status `received`): what it is and how far the reader got. */
  reading?: ReadingState | null;
  /** An earlier invoice with the same file (heads-up at intake). */
  sameFileAs?: Pick<Invoice, 'id' | 'status'> | null;
  /** The workspace's QuickBooks connection needs a new consent: blocked cards offer Reconnect. */
  needsReconnect?: boolean;
  /** The card's approval section (src/slack/views/approvals-card.ts), when a rule applies. */
  approval?: any[];
  /** Split lines: "3 lines: Oak St $2,100.00 · Elm Ave $1,250.00 · …" (null for one line). */
  splitSummary?: string | null;
  /** Where the coding came from: "coded like the last 3 invoices from Cascade Lumber". */
  codingNote?: string | null;
  /** A pinned rule will book it when the Undo window ends (issue 14). */
  autoBook?: { at: number; coding: string } | null;
}

/** What the thread card says while a file is read: "Reading your photo…", "Reading your scan… page 2 of 6". */
export interface ReadingState {
  kind: 'photo' | 'scan' | 'file';
  page?: number;
  pages?: number;
}

export function readingLine(r: ReadingState): string {
  const what = r.kind === 'photo' ? 'your photo' : r.kind === 'scan' ? 'your scan' : 'your file';
  const page = r.pages && r.pages > 1 && r.page ? ` page ${Math.min(r.page, r.pages)} of ${r.pages}` : '';
  return `:hourglass_flowing_sand: Reading ${what}…${page}`;
}

/** "4 Mar" (with the year when it is not `now`'s): when an earlier invoice was shared. */
export function shortDate(at: number | null | undefined, now: Date = new Date()): string | null {
  if (at == null) return null;
  const d = new Date(at); // epoch ms, shown in UTC
  if (Number.isNaN(d.getTime())) return null;
  const month = d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' });
  const year = d.getUTCFullYear() !== now.getUTCFullYear() ? ` ${d.getUTCFullYear()}` : '';
  return `${d.getUTCDate()} ${month}${year}`;
}

/** The booked invoice an intake-time duplicate repeats (in QuickBooks), if that is what it is. */
export function bookedOriginal(info: InvoiceInfo) {
  const of = info.duplicateOf;
  return info.inv.status === 'duplicate' && of && (of.qboId || of.qboDocNumber) ? of : null;
}

/** "Already in QuickBooks as Bill 204871 (shared by @frank on 4 Mar)". */
export function alreadyBookedLine(info: InvoiceInfo): string | null {
  const of = bookedOriginal(info);
  if (!of) return null;
  const by = of.uploadedBy && /^[UW][A-Z0-9]+$/.test(of.uploadedBy) ? `by <@${of.uploadedBy}>` : '';
  const on = shortDate(of.createdAt);
  const shared = by || on ? ` (shared${by ? ` ${by}` : ''}${on ? ` on ${on}` : ''})` : '';
  return `:white_check_mark: Already in QuickBooks as ${esc(qboName({ txnType: of.txnType, qboDocNumber: of.qboDocNumber, qboId: of.qboId ?? null }))}${shared}`;
}

export const ACTION = {
  review: 'invoice_review',
  retry: 'invoice_retry',
  syncAnyway: 'invoice_sync_anyway',
  syncNow: 'invoice_sync_now',
  markPaid: 'invoice_mark_paid',
  open: 'invoice_open',
  fixLink: 'invoice_fix_link',
  fixAccount: 'invoice_fix_account',
  fixExpense: 'invoice_fix_expense',
  resume: 'invoice_resume',
  bookAgain: 'invoice_book_again',
  undoAutoBook: 'invoice_undo_auto_book',
} as const;

export const TXN_LABEL = { Bill: 'Bill', Expense: 'Expense' } as const;

/** A supplier's credit note (booked as a QBO VendorCredit, never paid). */
export const isCreditNote = (inv: { extracted?: Invoice['extracted'] }) =>
  (inv.extracted as { documentType?: unknown } | null | undefined)?.documentType === 'credit_note';

export function typeLabel(inv: Pick<Invoice, 'txnType'> & { extracted?: Invoice['extracted'] }): string {
  if (isCreditNote(inv)) return 'Credit note';
  return inv.txnType ?? 'Bill';
}

/** "Bill 1042" / "Expense 88": what the transaction is called in QuickBooks. */
export function qboName(inv: Pick<Invoice, 'txnType' | 'qboDocNumber' | 'qboId'> & { extracted?: Invoice['extracted'] }): string {
  const n = inv.qboDocNumber ?? inv.qboId;
  return `${typeLabel(inv)}${n ? ` ${n}` : ''}`;
}

export function amountText(inv: Pick<Invoice, 'amountCents' | 'currency'>): string {
  return money(inv.amountCents, inv.currency && /^[A-Z]{3}$/.test(inv.currency) ? inv.currency : 'USD');
}

/** One line that names an invoice for people: "INV-7 from Azure Interior ($279.84)". */
export function invoiceTitle(inv: Invoice): string {
  const who = inv.vendorName ? ` from ${inv.vendorName}` : '';
  const num = inv.invoiceNumber ? `Invoice ${inv.invoiceNumber}` : `Invoice ${inv.fileName}`;
  const amt = inv.amountCents != null ? ` (${amountText(inv)})` : '';
  return truncate(`${num}${who}${amt}`, 200);
}

export function statusLine(info: InvoiceInfo): string {
  const { inv } = info;
  switch (inv.status) {
    case 'received':
      return info.reading ? readingLine(info.reading) : ':inbox_tray: Received — reading it…';
    case 'extracted':
      return ':mag: Read it — please review and sync';
    case 'needs_input':
      return ':pencil2: Needs your input';
    case 'awaiting_approval':
      return ':raised_hand: Waiting for approval';
    case 'ready':
      return info.autoSync ? ':hourglass_flowing_sand: Queued for QuickBooks' : ':double_vertical_bar: Ready — waiting (Auto-sync is off)';
    case 'syncing':
      return ':arrows_counterclockwise: Sending to QuickBooks…';
    case 'synced':
      return `:white_check_mark: In QuickBooks as ${qboName(inv)}${inv.qboPaymentId ? ' — paid' : ''}`;
    case 'blocked':
      return ':no_entry: Not synced — blocked';
    case 'failed':
      return ':x: QuickBooks refused it';
    case 'duplicate':
      return alreadyBookedLine(info) ?? ':warning: Duplicate — already in QuickBooks';
    case 'deleted_in_qbo':
      return `:wastebasket: ${esc(statusText(inv) || 'Deleted in QuickBooks')} — share it again to re-book`;
  }
}

export const STATUS_EMOJI: Record<Invoice['status'], string> = {
  received: ':inbox_tray:',
  extracted: ':mag:',
  needs_input: ':pencil2:',
  awaiting_approval: ':raised_hand:',
  ready: ':hourglass_flowing_sand:',
  syncing: ':arrows_counterclockwise:',
  synced: ':white_check_mark:',
  blocked: ':no_entry:',
  failed: ':x:',
  duplicate: ':warning:',
  deleted_in_qbo: ':wastebasket:',
};

export const STATUS_WORD: Record<Invoice['status'], string> = {
  received: 'received',
  extracted: 'to review',
  needs_input: 'needs input',
  awaiting_approval: 'awaiting approval',
  ready: 'ready',
  syncing: 'syncing',
  synced: 'synced',
  blocked: 'blocked',
  failed: 'failed',
  duplicate: 'duplicate',
  deleted_in_qbo: 'deleted in QuickBooks',
};

/** Can a person still change and (re)submit it? */
export { isEditable } from '../../invoices/service.ts';

export function linkButton(text: string, url: string, actionId: string = ACTION.open, value?: string) {
  return { type: 'button', text: { type: 'plain_text', text, emoji: true }, url, action_id: actionId, ...(value ? { value } : {}) };
}

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger') {
  return { type: 'button', text: { type: 'plain_text', text, emoji: true }, action_id: actionId, value, ...(style ? { style } : {}) };
}

/** What a person is told when their press lost to another change (another submit, a sync already under way). */
export function lostMessage(now: Invoice): string {
  return now.status === 'synced'
    ? `Already in QuickBooks as ${qboName(now)}.`
    : `Someone else moved this invoice first: it is ${now.status.replace('_', ' ')} now.`;
}
