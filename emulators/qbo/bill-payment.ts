// BillPayment create: QBO's validation of the pay account and the bills paid, and the balances it moves.
import { Faults, qboToday } from './faults.ts';
import {
  adjustBalance,
  cents,
  checkAmount,
  checkCurrency,
  checkDocNumber,
  checkPrivateNote,
  defaultApAccount,
  fromCents,
  isBlank,
  resolveRef,
} from './rules.ts';
import type { Company, Entity } from './store.ts';
import { applyCredits, type CreditApplication, creditApplication } from './vendor-credit.ts';

export function createBillPayment(c: Company, body: Entity): Entity {
  const vendor = resolveRef(c, 'Vendor', body.VendorRef, 'VendorRef', true)!;
  if (isBlank(body.PayType)) throw Faults.requiredMissing('PayType');
  let payAccount: Entity;
  if (body.PayType === 'Check') {
    if (body.CreditCardPayment) throw Faults.business('PayType Check cannot carry CreditCardPayment.', 'CreditCardPayment');
    if (!body.CheckPayment) throw Faults.requiredMissing('CheckPayment');
    payAccount = resolveRef(c, 'Account', body.CheckPayment.BankAccountRef, 'CheckPayment.BankAccountRef', true)!;
    if (payAccount.AccountType !== 'Bank') {
      throw Faults.business(
        `CheckPayment.BankAccountRef must be a Bank account; "${payAccount.Name}" is ${payAccount.AccountType}.`,
        'CheckPayment.BankAccountRef',
      );
    }
    body.CheckPayment.PrintStatus ??= 'NeedToPrint';
  } else {
    if (body.CheckPayment) throw Faults.business('PayType CreditCard cannot carry CheckPayment.', 'CheckPayment');
    if (!body.CreditCardPayment) throw Faults.requiredMissing('CreditCardPayment');
    payAccount = resolveRef(c, 'Account', body.CreditCardPayment.CCAccountRef, 'CreditCardPayment.CCAccountRef', true)!;
    if (payAccount.AccountType !== 'Credit Card') {
      throw Faults.business(
        `CreditCardPayment.CCAccountRef must be a Credit Card account; "${payAccount.Name}" is ${payAccount.AccountType}.`,
        'CreditCardPayment.CCAccountRef',
      );
    }
  }
  if (body.TotalAmt === undefined || body.TotalAmt === null) throw Faults.requiredMissing('TotalAmt');
  const totalAmt = cents(checkAmount(body.TotalAmt, 'TotalAmt'));
  if (!Array.isArray(body.Line) || body.Line.length === 0) throw Faults.requiredMissing('Line');
  let applied = 0;
  const applications: Array<{ bill: Entity; amount: number }> = [];
  const credits: CreditApplication[] = [];
  body.Line.forEach((line: Entity, i: number) => {
    const el = `Line[${i}]`;
    if (line.Amount === undefined || line.Amount === null) throw Faults.requiredMissing('Line.Amount', `${el}.Amount`);
    const amount = cents(checkAmount(line.Amount, `${el}.Amount`));
    if (!Array.isArray(line.LinkedTxn) || line.LinkedTxn.length === 0) throw Faults.requiredMissing('Line.LinkedTxn', `${el}.LinkedTxn`);
    if (line.LinkedTxn.length > 1) throw Faults.business('A BillPayment line links exactly one Bill or VendorCredit.', `${el}.LinkedTxn`);
    const link = line.LinkedTxn[0];
    if (link.TxnType === 'VendorCredit') return void credits.push(creditApplication(c, vendor, line, el, credits));
    if (link.TxnType !== 'Bill') throw Faults.business(`LinkedTxn.TxnType must be Bill or VendorCredit, not ${link.TxnType}.`, `${el}.LinkedTxn`);
    if (isBlank(link.TxnId)) throw Faults.requiredMissing('LinkedTxn.TxnId', `${el}.LinkedTxn`);
    const bill = c.get('Bill', String(link.TxnId));
    if (!bill) throw Faults.invalidReference('Bill', String(link.TxnId), `${el}.LinkedTxn`);
    if (bill.VendorRef?.value !== vendor.Id) {
      throw Faults.business(`Bill ${bill.Id} belongs to another vendor.`, `${el}.LinkedTxn`);
    }
    const already = applications.filter((a) => a.bill === bill).reduce((s, a) => s + a.amount, 0);
    if (amount + already > cents(bill.Balance)) {
      throw Faults.business(`The payment of ${fromCents(amount)} is more than the open balance ${bill.Balance} of Bill ${bill.Id}.`, `${el}.Amount`);
    }
    link.TxnId = String(link.TxnId);
    applications.push({ bill, amount });
    applied += amount;
  });
  // Credits pay part of the bills: what leaves the bank (TotalAmt) covers the rest.
  const credited = credits.reduce((s, a) => s + a.amount, 0);
  if (credited > applied)
    throw Faults.business(`The ${fromCents(credited)} of vendor credits is more than the ${fromCents(applied)} applied to bills.`, 'Line');
  if (applied - credited > totalAmt) {
    throw Faults.business(`TotalAmt ${fromCents(totalAmt)} is less than the ${fromCents(applied - credited)} applied to bills.`, 'TotalAmt');
  }
  checkDocNumber(body.DocNumber);
  checkPrivateNote(body.PrivateNote);
  checkCurrency(body);
  body.TxnDate ??= qboToday();
  body.TotalAmt = fromCents(totalAmt);
  const ap = defaultApAccount(c);
  body.APAccountRef ??= { value: ap.Id, name: ap.Name };
  const stored = c.insert('BillPayment', body);
  const txnType = body.PayType === 'Check' ? 'BillPaymentCheck' : 'BillPaymentCreditCard';
  for (const { bill, amount } of applications) {
    bill.Balance = fromCents(cents(bill.Balance) - amount);
    bill.LinkedTxn = [...(bill.LinkedTxn ?? []), { TxnId: stored.Id, TxnType: txnType }];
    c.touch(bill);
  }
  applyCredits(c, stored, credits, txnType);
  vendor.Balance = fromCents(cents(vendor.Balance ?? 0) - applied + credited);
  adjustBalance(ap, -applied + credited);
  adjustBalance(payAccount, body.PayType === 'Check' ? -totalAmt : totalAmt);
  return stored;
}
