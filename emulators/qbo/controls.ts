// Test controls that act as a bookkeeper in QuickBooks would: pay, void or delete a transaction, rename or
// deactivate a list record. Each goes through the same rules as the API (and so sends the same webhooks).
import { createEntity, deleteEntity } from './entities.ts';
import { Faults, qboTime } from './faults.ts';
import { canonicalEntity, publicView, type Company, type Entity } from './store.ts';

export interface PayOptions {
  /** The Bank (Check) or Credit Card account paid from; default the first active Bank account. */
  accountId?: string;
  /** YYYY-MM-DD; default today. */
  date?: string;
}

/** Pays a Bill's whole open balance with a BillPayment linking it. */
export function payBill(c: Company, billId: string, o: PayOptions = {}): Entity {
  const bill = c.get('Bill', billId);
  if (!bill) throw new Error(`QBO emulator: no Bill ${billId} in realm ${c.realmId}`);
  const account = o.accountId ? c.get('Account', o.accountId) : c.all('Account').find((a) => a.AccountType === 'Bank' && a.Active !== false);
  if (!account) throw new Error('QBO emulator: no account to pay from');
  const card = account.AccountType === 'Credit Card';
  const body: Entity = {
    VendorRef: { value: bill.VendorRef.value },
    PayType: card ? 'CreditCard' : 'Check',
    ...(card ? { CreditCardPayment: { CCAccountRef: { value: account.Id } } } : { CheckPayment: { BankAccountRef: { value: account.Id } } }),
    TotalAmt: bill.Balance,
    TxnDate: o.date,
    Line: [{ Amount: bill.Balance, LinkedTxn: [{ TxnId: bill.Id, TxnType: 'Bill' }] }],
  };
  if (!o.date) delete body.TxnDate;
  return publicView(createEntity(c, 'BillPayment', body, { include: [] }));
}

/** Deletes a transaction as the QuickBooks UI does (a Bill with payments: the payments first, as QBO insists). */
export function deleteTransaction(c: Company, entity: string, id: string): void {
  const name = canonicalEntity(entity) ?? entity;
  const obj = c.get(name, id);
  if (!obj) throw new Error(`QBO emulator: no ${name} ${id} in realm ${c.realmId}`);
  deleteEntity(c, name, { Id: obj.Id, SyncToken: obj.SyncToken });
}

/** Voids a transaction: amounts to zero, "Voided" in the memo, as QBO shows a voided Purchase or BillPayment. */
export function voidTransaction(c: Company, entity: string, id: string): void {
  const name = canonicalEntity(entity) ?? entity;
  const obj = c.get(name, id);
  if (!obj) throw new Error(`QBO emulator: no ${name} ${id} in realm ${c.realmId}`);
  if (!['Purchase', 'BillPayment'].includes(name)) throw Faults.unsupportedOperation(`Void ${name}`);
  obj.TotalAmt = 0;
  for (const line of obj.Line ?? []) line.Amount = 0;
  obj.PrivateNote = `Voided${obj.PrivateNote ? ` - ${obj.PrivateNote}` : ''}`;
  c.touch(obj, 'Void');
}

/** Renames a list record (Name / DisplayName and the FullyQualifiedName of it and its children). */
export function renameRecord(c: Company, entity: string, id: string, name: string): void {
  const ent = canonicalEntity(entity) ?? entity;
  const obj = c.get(ent, id);
  if (!obj) throw new Error(`QBO emulator: no ${ent} ${id} in realm ${c.realmId}`);
  const oldFull = String(obj.FullyQualifiedName ?? obj.DisplayName ?? obj.Name);
  if ('DisplayName' in obj || ent === 'Vendor' || ent === 'Customer') obj.DisplayName = name;
  if ('Name' in obj || !('DisplayName' in obj)) obj.Name = name;
  const parent = oldFull.includes(':') ? oldFull.slice(0, oldFull.lastIndexOf(':') + 1) : '';
  const newFull = `${parent}${name}`;
  if ('FullyQualifiedName' in obj) obj.FullyQualifiedName = newFull;
  c.touch(obj);
  for (const child of c.all(ent)) {
    if (child !== obj && typeof child.FullyQualifiedName === 'string' && child.FullyQualifiedName.startsWith(`${oldFull}:`)) {
      child.FullyQualifiedName = newFull + child.FullyQualifiedName.slice(oldFull.length);
      c.touch(child);
    }
  }
}

const CDC_LOOKBACK_MS = 30 * 24 * 3600_000;
const CDC_MAX_OBJECTS = 1000;

/** GET /cdc?entities=Bill,Purchase&changedSince=ISO: changed and deleted objects, 30 days back, ≤ 1,000 objects. */
export function changeDataCapture(c: Company, u: URL): unknown {
  const entities = (u.searchParams.get('entities') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // node-quickbooks puts formatISO() output into the URL unencoded, so a '+hh:mm' offset arrives as ' hh:mm'.
  const since = u.searchParams.get('changedSince')?.replace(' ', '+') ?? null;
  if (!entities.length) throw Faults.requiredMissing('entities');
  if (!since || Number.isNaN(Date.parse(since))) throw Faults.requiredMissing('changedSince');
  const sinceMs = Date.parse(since);
  if (sinceMs < Date.now() - CDC_LOOKBACK_MS) {
    throw Faults.queryValidation('changedSince must be within the last 30 days.');
  }
  let budget = CDC_MAX_OBJECTS;
  const out: Record<string, unknown>[] = [];
  for (const e of entities) {
    const name = canonicalEntity(e);
    if (!name) throw Faults.queryValidation(`Entity ${e} is not supported for change data capture.`);
    const changed = (o: Entity) => Date.parse(o.MetaData?.LastUpdatedTime ?? '') >= sinceMs;
    const rows = [...c.all(name).filter(changed).map(publicView), ...[...(c.tombstones.get(name)?.values() ?? [])].filter(changed).map(publicView)]
      .sort((a, b) => Date.parse(a.MetaData.LastUpdatedTime) - Date.parse(b.MetaData.LastUpdatedTime))
      .slice(0, Math.max(0, budget));
    budget -= rows.length;
    out.push(rows.length ? { [name]: rows, startPosition: 1, maxResults: rows.length } : {});
  }
  return { CDCResponse: [{ QueryResponse: out }], time: qboTime() };
}
