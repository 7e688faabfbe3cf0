/**
 * Vendor rules in use (issue 14): what a booked invoice teaches about its vendor, and what the next invoice from the
 * vendor is preselected with. A rule never carries the project: cost stays on the channel's job.
 */
import type { Logger } from '../log.ts';
import type { VendorRule, VendorRulesStore } from '../store/vendor-rules.ts';
import { documentTypeOf, memoFor, memoPattern } from './coding.ts';

/** The fields of a booked invoice the rules learn from. */
export interface BookedInvoice {
  teamId: string;
  vendorId: string | null;
  vendorName: string | null;
  txnType: 'Bill' | 'Expense' | null;
  purchaseAccountId: string | null;
  costCodeProfileId: number | null;
  memo: string | null;
  invoiceNumber: string | null;
  extracted: Record<string, unknown> | null;
}

/** After a booking: the vendor's rule learns this coding (a pinned rule stays). A failure here never fails the sync. */
export async function learnCoding(rules: VendorRulesStore | undefined, inv: BookedInvoice, log: Logger): Promise<VendorRule | null> {
  if (!rules || !inv.vendorId || documentTypeOf(inv.extracted) === 'credit_note') return null;
  try {
    return await rules.learn(
      inv.teamId,
      { id: inv.vendorId, name: inv.vendorName ?? inv.vendorId },
      {
        txnType: inv.txnType,
        purchaseAccountId: inv.purchaseAccountId,
        costCodeProfileId: inv.costCodeProfileId,
        memoPattern: memoPattern(inv.memo, inv.invoiceNumber),
      },
    );
  } catch (err) {
    log.warn('vendor rule not learned', { teamId: inv.teamId, error: err });
    return null;
  }
}

/** What the review modal starts from for a vendor with a rule; nulls where the invoice or the workspace decide. */
export interface Preselection {
  txnType: 'Bill' | 'Expense' | null;
  purchaseAccountId: string | null;
  costCodeProfileId: number | null;
  memo: string | null;
  /** "coded like the last 3 invoices from Cascade Lumber" / "coded by the rule an admin pinned for …". */
  note: string;
}

export function preselectionFrom(rule: VendorRule | null, invoiceNumber: string | null): Preselection | null {
  if (!rule || (!rule.pinned && rule.streak < 1)) return null;
  const note = rule.pinned
    ? `coded by the rule an admin set for ${rule.vendorName}`
    : `coded like the last ${rule.streak === 1 ? 'invoice' : `${rule.streak} invoices`} from ${rule.vendorName}`;
  return {
    txnType: rule.txnType,
    purchaseAccountId: rule.purchaseAccountId,
    costCodeProfileId: rule.costCodeProfileId,
    memo: memoFor(rule.memoPattern, invoiceNumber),
    note,
  };
}
