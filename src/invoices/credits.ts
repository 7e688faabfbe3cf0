/**
 * A vendor's open credits (credit notes booked as QBO VendorCredits and not applied yet), and how much of each a
 * payment of one Bill uses: the BillPayment links the Bill and each VendorCredit, and pays the difference.
 */
import { documentTypeOf } from './coding.ts';

export interface CreditCandidate {
  id: number;
  teamId: string;
  status: string;
  vendorId: string | null;
  qboId: string | null;
  qboRealmId: string | null;
  qboPaymentId: string | null;
  qboDocNumber: string | null;
  invoiceNumber: string | null;
  amountCents: number | null;
  extracted: Record<string, unknown> | null;
}

export interface OpenCredit {
  invoiceId: number;
  vendorCreditId: string;
  amountCents: number;
  number: string | null;
}

/**
 * The bill's vendor's credits in the same QuickBooks company, booked and not applied, oldest first, that fit in the
 * bill together (a credit larger than what is left of the bill is not offered: QBO would leave part of it open,
 * which this app does not track).
 */
export function openCreditsFor(bill: CreditCandidate, all: CreditCandidate[]): OpenCredit[] {
  let left = bill.amountCents ?? 0;
  const out: OpenCredit[] = [];
  const credits = all
    .filter((c) => c.id !== bill.id && c.teamId === bill.teamId && c.vendorId && c.vendorId === bill.vendorId)
    .filter((c) => c.status === 'synced' && c.qboId && !c.qboPaymentId && documentTypeOf(c.extracted) === 'credit_note')
    .filter((c) => !bill.qboRealmId || !c.qboRealmId || c.qboRealmId === bill.qboRealmId)
    .sort((a, b) => a.id - b.id);
  for (const c of credits) {
    const cents = c.amountCents ?? 0;
    if (cents <= 0 || cents > left) continue;
    left -= cents;
    out.push({ invoiceId: c.id, vendorCreditId: c.qboId!, amountCents: cents, number: c.qboDocNumber ?? c.invoiceNumber });
  }
  return out;
}
