// Field rules shared by the QBO emulator's entities: amounts, references, DocNumber, PrivateNote, currency,
// expense lines (validated, totalled in cents), balances and the default A/P account.
import { Faults } from './faults.ts';
import type { Company, Entity } from './store.ts';

const USD = { value: 'USD', name: 'United States Dollar' };
const EXPENSE_LINE_DETAILS = ['AccountBasedExpenseLineDetail', 'ItemBasedExpenseLineDetail'];
const NOT_FOR_EXPENSE_LINES = ['Bank', 'Credit Card', 'Accounts Payable'];
const TAX_CODES = ['TAX', 'NON'];
const DOC_NUMBER_MAX = 21;
const PRIVATE_NOTE_MAX = 4000;

export const cents = (n: number) => Math.round(n * 100);
export const fromCents = (c: number) => c / 100;

export function isBlank(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

function refName(entity: string, obj: Entity): string {
  if (entity === 'Vendor' || entity === 'Customer') return obj.DisplayName;
  return obj.FullyQualifiedName ?? obj.Name ?? obj.DisplayName;
}

/**
 * Resolves a ReferenceType against the company: missing id → 2500, inactive → 610.
 * Fills in `name` the way QBO answers it.
 */
export function resolveRef(c: Company, entity: string, ref: Entity | undefined, element: string, required: boolean): Entity | undefined {
  if (ref === undefined || ref === null) {
    if (required) throw Faults.requiredMissing(element);
    return undefined;
  }
  if (isBlank(ref.value)) {
    if (required) throw Faults.requiredMissing(`${element}.value`, element);
    return undefined;
  }
  const target = c.get(entity, String(ref.value));
  if (!target) throw Faults.invalidReference(entity, String(ref.value), element);
  if (target.Active === false) throw Faults.inactive(element);
  ref.value = String(ref.value);
  ref.name = refName(entity, target);
  return target;
}

export function checkAmount(v: unknown, element: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw Faults.requiredMissing(element);
  if (v < 0) throw Faults.business(`${element} must be zero or positive; a supplier credit is a VendorCredit, not a negative amount.`, element);
  if (Math.abs(v * 100 - Math.round(v * 100)) > 1e-6) {
    throw Faults.business(`${element} ${v} has more than 2 decimal places.`, element);
  }
  return v;
}

export function checkDocNumber(doc: unknown): void {
  if (isBlank(doc)) return;
  const s = String(doc);
  if (s.length > DOC_NUMBER_MAX) {
    throw Faults.business(`DocNumber "${s}" is ${s.length} characters long; the maximum is ${DOC_NUMBER_MAX}.`, 'DocNumber');
  }
}

export function checkPrivateNote(note: unknown): void {
  if (!isBlank(note) && String(note).length > PRIVATE_NOTE_MAX) {
    throw Faults.business(`PrivateNote is longer than ${PRIVATE_NOTE_MAX} characters.`, 'PrivateNote');
  }
}

export function checkCurrency(obj: Entity): void {
  if (obj.CurrencyRef && obj.CurrencyRef.value !== undefined && obj.CurrencyRef.value !== 'USD') {
    throw Faults.business(
      `Multicurrency is not enabled for this company; CurrencyRef ${obj.CurrencyRef.value} is not the home currency (USD).`,
      'CurrencyRef',
    );
  }
  obj.CurrencyRef = { ...USD };
}

/** Validates and normalises Bill/Purchase expense lines; returns the total in cents. */
export function expenseLines(c: Company, lines: unknown, owner: string): number {
  if (!Array.isArray(lines) || lines.length === 0) throw Faults.requiredMissing('Line');
  let total = 0;
  lines.forEach((line: Entity, i: number) => {
    const el = `Line[${i}]`;
    if (line.Amount === undefined || line.Amount === null) throw Faults.requiredMissing('Line.Amount', `${el}.Amount`);
    total += cents(checkAmount(line.Amount, `${el}.Amount`));
    if (isBlank(line.DetailType)) throw Faults.requiredMissing('Line.DetailType', `${el}.DetailType`);
    if (!EXPENSE_LINE_DETAILS.includes(line.DetailType)) {
      throw Faults.business(
        `Line DetailType ${line.DetailType} is not supported on ${owner}; use AccountBasedExpenseLineDetail or ItemBasedExpenseLineDetail.`,
        `${el}.DetailType`,
      );
    }
    const detail = line[line.DetailType];
    if (!detail) throw Faults.requiredMissing(`Line.${line.DetailType}`, `${el}.${line.DetailType}`);
    if (line.DetailType === 'AccountBasedExpenseLineDetail') {
      const acct = resolveRef(c, 'Account', detail.AccountRef, `${el}.AccountBasedExpenseLineDetail.AccountRef`, true)!;
      if (NOT_FOR_EXPENSE_LINES.includes(acct.AccountType)) {
        throw Faults.business(
          `Account "${acct.FullyQualifiedName}" (${acct.AccountType}) cannot be used on an expense line of a ${owner}; choose an expense or cost of goods sold account.`,
          `${el}.AccountBasedExpenseLineDetail.AccountRef`,
        );
      }
    } else {
      const item = resolveRef(c, 'Item', detail.ItemRef, `${el}.ItemBasedExpenseLineDetail.ItemRef`, true)!;
      if (!item.ExpenseAccountRef) {
        throw Faults.business(
          `Item "${item.Name}" has no expense account and cannot be used on a ${owner}.`,
          `${el}.ItemBasedExpenseLineDetail.ItemRef`,
        );
      }
    }
    resolveRef(c, 'Customer', detail.CustomerRef, `${el}.${line.DetailType}.CustomerRef`, false);
    resolveRef(c, 'Class', detail.ClassRef, `${el}.${line.DetailType}.ClassRef`, false);
    if (detail.TaxCodeRef && !TAX_CODES.includes(String(detail.TaxCodeRef.value))) {
      throw Faults.invalidReference('TaxCode', String(detail.TaxCodeRef.value), `${el}.${line.DetailType}.TaxCodeRef`);
    }
    if (detail.BillableStatus === undefined) detail.BillableStatus = 'NotBillable';
    line.Id = String(i + 1);
    line.LineNum = i + 1;
  });
  return total;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function adjustBalance(acct: Entity | undefined, deltaCents: number): void {
  if (!acct) return;
  acct.CurrentBalance = fromCents(cents(acct.CurrentBalance ?? 0) + deltaCents);
  acct.CurrentBalanceWithSubAccounts = acct.CurrentBalance;
}

export function defaultApAccount(c: Company): Entity {
  const ap = c.all('Account').find((a) => a.AccountType === 'Accounts Payable' && a.Active !== false);
  if (!ap) throw Faults.business('No Accounts Payable account exists.');
  return ap;
}
