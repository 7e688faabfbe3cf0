import { CHECK_BELOW } from './extract/read-layout.ts';
import type { Invoice } from './service.ts';

/**
 * Which of an invoice's fields a person should check: those the reader was unsure of (confidence below the
 * threshold), while they still hold what was read and nobody has confirmed them. Slack-free; the thread card and
 * the review modal mark them instead of presenting a guess as fact.
 */

/** Below this confidence (0..1) a field read from the file is marked "check": the reader's own threshold. */
export { CHECK_BELOW };

export type CheckedField = 'vendor' | 'invoiceNumber' | 'invoiceDate' | 'dueDate' | 'total';

/** In the order people read a card. */
const ORDER: CheckedField[] = ['vendor', 'invoiceNumber', 'invoiceDate', 'dueDate', 'total'];

export const CHECK_WORD: Record<CheckedField, string> = {
  vendor: 'the vendor',
  invoiceNumber: 'the invoice number',
  invoiceDate: 'the date',
  dueDate: 'the due date',
  total: 'the amount',
};

type Checkable = Pick<Invoice, 'extracted' | 'submittedBy' | 'vendorName' | 'invoiceNumber' | 'invoiceDate' | 'dueDate' | 'amountCents'>;

const centsOf = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? Math.round(Number((n * 100).toFixed(4))) : null);

/** Does the invoice still hold the value the reader produced for this field (nobody changed it)? */
function stillAsRead(inv: Checkable, field: CheckedField, read: Record<string, unknown>): boolean {
  switch (field) {
    case 'vendor':
      return !!inv.vendorName; // matched to a QuickBooks vendor or not, it is still the reader's guess
    case 'total':
      return inv.amountCents != null && inv.amountCents === centsOf(read.total);
    default:
      return inv[field] != null && inv[field] === read[field];
  }
}

export function fieldsToCheck(inv: Checkable, threshold = CHECK_BELOW): CheckedField[] {
  if (inv.submittedBy) return []; // a person has confirmed what the invoice says
  const read = inv.extracted;
  const confidence = read?.confidence;
  if (!read || !confidence || typeof confidence !== 'object') return [];
  const c = confidence as Record<string, unknown>;
  return ORDER.filter((f) => typeof c[f] === 'number' && (c[f] as number) < threshold && stillAsRead(inv, f, read));
}

/** "the amount", "the vendor and the amount", "the vendor, the date and the amount". */
export function checkList(fields: CheckedField[]): string {
  const words = fields.map((f) => CHECK_WORD[f]);
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
