// VendorCredit (a supplier's credit note) and its use in a BillPayment, as QBO has them.
//
// Schema: Intuit's Finance.xsd (intuit/QuickBooks-V3-Java-SDK, ipp-v3-java-data/src/main/xsd) declares
//   <xs:complexType name="VendorCredit"> extension of PurchaseByVendor + VendorCreditEx (IntuitAnyType) + Balance
// and PurchaseByVendor = Transaction + VendorRef, APAccountRef, TotalAmt, BillEmail, ReplyEmail, Memo,
// GlobalTaxCalculation. qbo-entities.json (derived from the same XSD) has no VendorCredit root, so the type is
// built here from the Bill type's inherited fields (Bill extends the same PurchaseByVendor), cut where Bill's own
// fields begin, plus VendorCredit's two.
//
// Behaviour (Intuit's VendorCredit and BillPayment references): TotalAmt is the sum of the lines and is computed by
// QBO; Balance is what is still unapplied; a BillPayment applies a credit with a Line whose LinkedTxn has TxnType
// "VendorCredit", next to the Bill lines; the payment's TotalAmt is what leaves the bank (bills minus credits).
import { Faults } from './faults.ts';
import { schema } from './schema.ts';
import type { Company, Entity } from './store.ts';

type FieldSpec = [type: string, min: number, max: number | 'unbounded'];

/** The last PurchaseByVendor field in the Bill type (the XSD's order); Bill's own fields follow it. */
const LAST_PURCHASE_BY_VENDOR_FIELD = 'GlobalTaxCalculation';

function vendorCreditType(): { extends: string[]; fields: Record<string, FieldSpec>; attrs: unknown } {
  const bill = schema.types.Bill;
  const fields: Record<string, FieldSpec> = {};
  for (const [name, spec] of Object.entries(bill.fields ?? {})) {
    fields[name] = spec;
    if (name === LAST_PURCHASE_BY_VENDOR_FIELD) break;
  }
  fields.VendorCreditEx = ['IntuitAnyType', 0, 1];
  fields.Balance = ['xs:decimal', 0, 1];
  return { extends: ['PurchaseByVendor', 'Transaction', 'IntuitEntity'], fields, attrs: bill.attrs };
}

if (!schema.types.VendorCredit) (schema.types as Record<string, unknown>).VendorCredit = vendorCreditType();

const cents = (n: number) => Math.round(n * 100);
const fromCents = (c: number) => c / 100;

/** What createVendorCredit needs from the Bill code (shared line validation, A/P default, header checks). */
export interface TxnHelpers {
  resolveRef(c: Company, entity: string, ref: Entity | undefined, element: string, required: boolean): Entity | undefined;
  expenseLines(c: Company, lines: unknown, owner: string): number;
  defaultApAccount(c: Company): Entity;
  checkHeader(body: Entity): void;
  adjustBalance(acct: Entity | undefined, deltaCents: number): void;
  today(): string;
}

/** POST /vendorcredit: lines validated like a Bill's (2500 missing ref, 610 inactive), TotalAmt and Balance computed. */
export function createVendorCredit(c: Company, body: Entity, h: TxnHelpers): Entity {
  const vendor = h.resolveRef(c, 'Vendor', body.VendorRef, 'VendorRef', true)!;
  if (body.Line === undefined || body.Line === null) throw Faults.requiredMissing('Line');
  const total = h.expenseLines(c, body.Line, 'VendorCredit');
  let ap: Entity;
  if (body.APAccountRef) {
    ap = h.resolveRef(c, 'Account', body.APAccountRef, 'APAccountRef', true)!;
    if (ap.AccountType !== 'Accounts Payable') {
      throw Faults.business(`APAccountRef must be an Accounts Payable account; "${ap.Name}" is ${ap.AccountType}.`, 'APAccountRef');
    }
  } else {
    ap = h.defaultApAccount(c);
    body.APAccountRef = { value: ap.Id, name: ap.Name };
  }
  h.checkHeader(body);
  body.TxnDate ??= h.today();
  body.TotalAmt = fromCents(total);
  body.Balance = fromCents(total);
  delete body.LinkedTxn;
  // A credit lowers what the company owes the vendor.
  vendor.Balance = fromCents(cents(vendor.Balance ?? 0) - total);
  h.adjustBalance(ap, -total);
  return c.insert('VendorCredit', body);
}

export interface CreditApplication {
  credit: Entity;
  amount: number; // cents
}

/** Validates one BillPayment line that links a VendorCredit; the credit must be the vendor's and still open. */
export function creditApplication(c: Company, vendor: Entity, line: Entity, el: string, earlier: CreditApplication[]): CreditApplication {
  const link = line.LinkedTxn[0];
  if (link.TxnId === undefined || link.TxnId === null || link.TxnId === '') throw Faults.requiredMissing('LinkedTxn.TxnId', `${el}.LinkedTxn`);
  const credit = c.get('VendorCredit', String(link.TxnId));
  if (!credit) throw Faults.invalidReference('VendorCredit', String(link.TxnId), `${el}.LinkedTxn`);
  if (credit.VendorRef?.value !== vendor.Id) throw Faults.business(`VendorCredit ${credit.Id} belongs to another vendor.`, `${el}.LinkedTxn`);
  const amount = cents(line.Amount);
  const already = earlier.filter((a) => a.credit === credit).reduce((s, a) => s + a.amount, 0);
  if (amount + already > cents(credit.Balance)) {
    throw Faults.business(
      `The ${fromCents(amount)} applied is more than the open balance ${credit.Balance} of VendorCredit ${credit.Id}.`,
      `${el}.Amount`,
    );
  }
  link.TxnId = String(link.TxnId);
  return { credit, amount };
}

/** After the BillPayment is stored: each credit's Balance goes down and it links the payment, as QBO shows it. */
export function applyCredits(c: Company, payment: Entity, apps: CreditApplication[], txnType: string): void {
  for (const { credit, amount } of apps) {
    credit.Balance = fromCents(cents(credit.Balance) - amount);
    credit.LinkedTxn = [...(credit.LinkedTxn ?? []), { TxnId: payment.Id, TxnType: txnType }];
    c.touch(credit);
  }
}

/** Deleting a BillPayment gives its credits back. */
export function releaseCredits(c: Company, payment: Entity): void {
  for (const line of payment.Line ?? []) {
    const link = line.LinkedTxn?.[0];
    if (link?.TxnType !== 'VendorCredit') continue;
    const credit = c.get('VendorCredit', link.TxnId);
    if (!credit) continue;
    credit.Balance = fromCents(cents(credit.Balance) + cents(line.Amount));
    credit.LinkedTxn = (credit.LinkedTxn ?? []).filter((l: Entity) => l.TxnId !== payment.Id);
    if (credit.LinkedTxn.length === 0) delete credit.LinkedTxn;
    c.touch(credit);
  }
}
