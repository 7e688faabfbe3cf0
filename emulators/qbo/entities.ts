// Create / update / delete of the entities the app writes, with QBO's validation (schema first, then
// required fields, references, business rules) and the server-computed fields (TotalAmt, Balance, names on refs).
import { Faults, QboFault, qboToday, validationFault } from './faults.ts';
import {
  addDays,
  adjustBalance,
  cents,
  checkCurrency,
  checkDocNumber,
  checkPrivateNote,
  defaultApAccount,
  expenseLines,
  fromCents,
  isBlank,
  resolveRef,
} from './rules.ts';
import { checkObject } from './schema.ts';
import { canonicalEntity, type Company, type Entity, TRANSACTIONS } from './store.ts';
import { createVendorCredit, releaseCredits } from './vendor-credit.ts';
import { createBillPayment } from './bill-payment.ts';

export interface OpOptions {
  include: string[]; // values of the `include` query parameter, lower-cased
}

// ---------------------------------------------------------------- Bill

function prepareBill(c: Company, body: Entity, opts: OpOptions, selfId?: string): { bill: Entity; total: number; vendor: Entity; ap: Entity } {
  const vendor = resolveRef(c, 'Vendor', body.VendorRef, 'VendorRef', true)!;
  if (body.Line === undefined || body.Line === null) throw Faults.requiredMissing('Line');
  const total = expenseLines(c, body.Line, 'Bill');
  let ap: Entity;
  if (body.APAccountRef) {
    ap = resolveRef(c, 'Account', body.APAccountRef, 'APAccountRef', true)!;
    if (ap.AccountType !== 'Accounts Payable') {
      throw Faults.business(`APAccountRef must be an Accounts Payable account; "${ap.Name}" is ${ap.AccountType}.`, 'APAccountRef');
    }
  } else {
    ap = defaultApAccount(c);
    body.APAccountRef = { value: ap.Id, name: ap.Name };
  }
  checkDocNumber(body.DocNumber);
  checkPrivateNote(body.PrivateNote);
  checkCurrency(body);
  const term = resolveRef(c, 'Term', body.SalesTermRef, 'SalesTermRef', false);
  if (!isBlank(body.DocNumber) && !opts.include.includes('allowduplicatedocnum')) {
    const dup = c
      .all('Bill')
      .find((b) => b.Id !== selfId && b.VendorRef?.value === vendor.Id && String(b.DocNumber ?? '') === String(body.DocNumber));
    if (dup) throw Faults.duplicateDocNumber(String(body.DocNumber), 'Bill', dup.Id);
  }
  body.TxnDate ??= qboToday();
  body.DueDate ??= addDays(body.TxnDate, term ? Number(term.DueDays ?? 0) : 0);
  return { bill: body, total, vendor, ap };
}

function createBill(c: Company, body: Entity, opts: OpOptions): Entity {
  const { bill, total, vendor, ap } = prepareBill(c, body, opts);
  bill.TotalAmt = fromCents(total);
  bill.Balance = fromCents(total);
  delete bill.LinkedTxn;
  vendor.Balance = fromCents(cents(vendor.Balance ?? 0) + total);
  adjustBalance(ap, total);
  return c.insert('Bill', bill);
}

// ---------------------------------------------------------------- Purchase

function preparePurchase(c: Company, body: Entity): { purchase: Entity; total: number; account: Entity } {
  if (isBlank(body.PaymentType)) throw Faults.requiredMissing('PaymentType');
  const account = resolveRef(c, 'Account', body.AccountRef, 'AccountRef', true)!;
  const want = body.PaymentType === 'CreditCard' ? 'Credit Card' : 'Bank';
  if (account.AccountType !== want) {
    throw Faults.business(
      `PaymentType ${body.PaymentType} needs a ${want} account in AccountRef; "${account.Name}" is ${account.AccountType}.`,
      'AccountRef',
    );
  }
  if (body.Credit === true && body.PaymentType !== 'CreditCard') {
    throw Faults.business('Credit is only allowed when PaymentType is CreditCard.', 'Credit');
  }
  if (body.EntityRef) {
    const type = body.EntityRef.type ?? 'Vendor';
    if (!['Vendor', 'Customer', 'Employee'].includes(type)) {
      throw Faults.business(`EntityRef.type must be Vendor, Customer or Employee, not ${type}.`, 'EntityRef');
    }
    resolveRef(c, type, body.EntityRef, 'EntityRef', true);
    body.EntityRef.type = type;
  }
  if (body.Line === undefined || body.Line === null) throw Faults.requiredMissing('Line');
  const total = expenseLines(c, body.Line, 'Purchase');
  checkDocNumber(body.DocNumber);
  checkPrivateNote(body.PrivateNote);
  checkCurrency(body);
  body.TxnDate ??= qboToday();
  if (body.PaymentType === 'CreditCard') body.Credit ??= false;
  return { purchase: body, total, account };
}

function purchaseEffect(p: Entity, total: number): number {
  // Bank goes down; a credit-card liability goes up (a card credit brings it down).
  if (p.PaymentType === 'CreditCard') return p.Credit ? -total : total;
  return -total;
}

function createPurchase(c: Company, body: Entity): Entity {
  const { purchase, total, account } = preparePurchase(c, body);
  purchase.TotalAmt = fromCents(total);
  adjustBalance(account, purchaseEffect(purchase, total));
  return c.insert('Purchase', purchase);
}

// ---------------------------------------------------------------- Vendor

function displayNameOf(body: Entity): string | undefined {
  if (!isBlank(body.DisplayName)) return String(body.DisplayName).trim();
  const person = [body.Title, body.GivenName, body.MiddleName, body.FamilyName, body.Suffix].filter((x) => !isBlank(x)).join(' ');
  if (person) return person;
  if (!isBlank(body.CompanyName)) return String(body.CompanyName).trim();
  return undefined;
}

function checkUniqueName(c: Company, name: string, selfId?: string): void {
  const lower = name.toLowerCase();
  for (const entity of ['Vendor', 'Customer', 'Employee']) {
    const clash = c.all(entity).find(
      (e) =>
        e.Id !== selfId &&
        String(e.DisplayName ?? '')
          .trim()
          .toLowerCase() === lower,
    );
    if (clash) throw Faults.duplicateName(clash.Id);
  }
}

function prepareVendor(c: Company, body: Entity, selfId?: string): Entity {
  const name = displayNameOf(body);
  if (!name) throw Faults.requiredMissing('DisplayName');
  if (name.length > 500) throw Faults.business('DisplayName is longer than 500 characters.', 'DisplayName');
  if (name.includes(':')) throw Faults.business('DisplayName cannot contain a colon (:).', 'DisplayName');
  checkUniqueName(c, name, selfId);
  body.DisplayName = name;
  body.PrintOnCheckName ??= name;
  body.Active ??= true;
  checkCurrency(body);
  resolveRef(c, 'Term', body.TermRef, 'TermRef', false);
  return body;
}

// ---------------------------------------------------------------- Attachable

function checkAttachableRefs(c: Company, refs: unknown): void {
  if (refs === undefined || refs === null) return;
  (refs as Entity[]).forEach((r, i) => {
    const el = `AttachableRef[${i}].EntityRef`;
    if (!r.EntityRef) throw Faults.requiredMissing('AttachableRef.EntityRef', el);
    const type = canonicalEntity(String(r.EntityRef.type ?? ''));
    if (!type || isBlank(r.EntityRef.value)) throw Faults.requiredMissing('AttachableRef.EntityRef.type', el);
    r.EntityRef.type = type;
    r.EntityRef.value = String(r.EntityRef.value);
    if (!c.get(type, r.EntityRef.value)) throw Faults.invalidReference(type, r.EntityRef.value, el);
    r.IncludeOnSend ??= false;
  });
}

/**
 * The file types QuickBooks Online takes as attachments (its documented list: AI, CSV, DOC, DOCX, EPS, GIF, JPEG, JPG,
 * ODS, PAGES, PDF, PNG, RTF, TIF, TXT, XLS, XLSX, XML), by content type. HEIC and WebP are not among them. QBO's exact
 * fault code for another type is not documented; the emulator answers a ValidationFault naming the type.
 */
export const ATTACHABLE_CONTENT_TYPES = new Set([
  'application/pdf',
  'image/jpeg',
  'image/jpg',
  'image/pjpeg',
  'image/png',
  'image/gif',
  'image/tiff',
  'text/plain',
  'text/csv',
  'text/xml',
  'application/xml',
  'application/rtf',
  'text/rtf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.apple.pages',
  'application/x-iwork-pages-sffpages',
  'application/postscript',
  'application/illustrator',
]);

/** Attachable with a file (from /upload). */
export function createAttachableWithFile(
  c: Company,
  meta: Entity,
  file: { bytes: Buffer; fileName?: string; contentType?: string },
  baseUrl: string,
): Entity {
  checkObject('Attachable', meta);
  checkAttachableRefs(c, meta.AttachableRef);
  const fileName = meta.FileName ?? file.fileName;
  if (isBlank(fileName)) throw Faults.requiredMissing('FileName');
  const contentType = meta.ContentType ?? file.contentType ?? 'application/octet-stream';
  if (!ATTACHABLE_CONTENT_TYPES.has(String(contentType).split(';')[0].trim().toLowerCase())) {
    throw validationFault('2010', 'Request has invalid or unsupported property', `Unsupported file type: ${contentType}`, 'ContentType');
  }
  const stored = c.insert('Attachable', {
    ...meta,
    FileName: String(fileName),
    ContentType: contentType,
    Size: file.bytes.length,
    _bytes: file.bytes,
  });
  stored.FileAccessUri = `/v3/company/${c.realmId}/download/${stored.Id}`;
  stored.TempDownloadUri = `${baseUrl}/v3/company/${c.realmId}/download/${stored.Id}?signature=emulator`;
  return stored;
}

function createAttachable(c: Company, body: Entity): Entity {
  checkAttachableRefs(c, body.AttachableRef);
  if (isBlank(body.Note) && isBlank(body.FileName)) throw Faults.requiredMissing('Note');
  return c.insert('Attachable', body);
}

// ---------------------------------------------------------------- dispatch

const CREATABLE = new Set(['Bill', 'Purchase', 'BillPayment', 'Vendor', 'VendorCredit', 'Attachable']);
const txnHelpers = {
  resolveRef,
  expenseLines,
  defaultApAccount,
  checkHeader: (b: Entity) => {
    checkDocNumber(b.DocNumber);
    checkPrivateNote(b.PrivateNote);
    checkCurrency(b);
  },
  adjustBalance,
  today: qboToday,
};
const READ_ONLY_ON_WRITE = ['Id', 'SyncToken', 'MetaData', 'domain', 'sparse', 'status'];

export function createEntity(c: Company, entity: string, body: Entity, opts: OpOptions): Entity {
  if (!CREATABLE.has(entity)) throw Faults.unsupportedOperation(`Create ${entity}`);
  checkObject(entity, body);
  const obj = structuredClone(body);
  for (const k of READ_ONLY_ON_WRITE) delete obj[k];
  switch (entity) {
    case 'Bill':
      return createBill(c, obj, opts);
    case 'Purchase':
      return createPurchase(c, obj);
    case 'BillPayment':
      return createBillPayment(c, obj);
    case 'VendorCredit':
      return createVendorCredit(c, obj, txnHelpers);
    case 'Vendor': {
      const v = prepareVendor(c, obj);
      v.Balance = 0;
      return c.insert('Vendor', v);
    }
    default:
      return createAttachable(c, obj);
  }
}

function existingFor(c: Company, entity: string, body: Entity): Entity {
  if (isBlank(body.Id)) throw Faults.requiredMissing('Id');
  if (isBlank(body.SyncToken)) throw Faults.requiredMissing('SyncToken');
  const existing = c.get(entity, String(body.Id));
  if (!existing) throw Faults.objectNotFound(`Object Not Found : ${entity} with Id ${body.Id} was not found.`, 'Id');
  if (String(body.SyncToken) !== String(existing.SyncToken)) throw Faults.staleObject();
  return existing;
}

/** POST /{entity}?operation=update — full or sparse update with SyncToken check. */
export function updateEntity(c: Company, entity: string, body: Entity, opts: OpOptions): Entity {
  if (!['Bill', 'Purchase', 'Vendor', 'Attachable'].includes(entity)) throw Faults.unsupportedOperation(`Update ${entity}`);
  checkObject(entity, body);
  const existing = existingFor(c, entity, body);
  const incoming = structuredClone(body);
  const sparse = incoming.sparse === true;
  for (const k of READ_ONLY_ON_WRITE) delete incoming[k];
  let merged: Entity;
  if (sparse) {
    merged = { ...structuredClone(existing), ...incoming };
  } else {
    // A full update replaces every writable field; computed and file fields stay.
    merged = { ...incoming };
    for (const k of ['TotalAmt', 'Balance', 'LinkedTxn', 'FileName', 'FileAccessUri', 'TempDownloadUri', 'Size', 'ContentType', '_bytes']) {
      if (k in existing && !(k in incoming)) merged[k] = structuredClone(existing[k]);
    }
  }
  for (const k of READ_ONLY_ON_WRITE) delete merged[k];
  if (entity === 'Bill') {
    const paid = cents(existing.TotalAmt) - cents(existing.Balance);
    const { total } = prepareBill(c, merged, opts, existing.Id);
    if (total < paid) throw Faults.business(`The Bill total cannot be less than the ${fromCents(paid)} already paid.`, 'Line');
    merged.TotalAmt = fromCents(total);
    merged.Balance = fromCents(total - paid);
  } else if (entity === 'Purchase') {
    const { total } = preparePurchase(c, merged);
    merged.TotalAmt = fromCents(total);
  } else if (entity === 'Vendor') {
    prepareVendor(c, merged, existing.Id);
  } else {
    checkAttachableRefs(c, merged.AttachableRef);
    if (merged._bytes) merged._bytes = existing._bytes;
  }
  const keep = {
    Id: existing.Id,
    SyncToken: existing.SyncToken,
    MetaData: existing.MetaData,
    domain: 'QBO',
    sparse: false,
  };
  for (const k of Object.keys(existing)) delete existing[k];
  Object.assign(existing, merged, keep);
  c.touch(existing);
  return existing;
}

/** POST /{entity}?operation=delete — transactions and attachables. */
export function deleteEntity(c: Company, entity: string, body: Entity): Entity {
  if (!TRANSACTIONS.has(entity) && entity !== 'Attachable') throw Faults.unsupportedOperation(`Delete ${entity}`);
  const existing = existingFor(c, entity, body);
  if (entity === 'Bill' && (existing.LinkedTxn ?? []).length > 0) {
    throw Faults.business('This bill has payments applied to it; delete the payments first.', 'Id');
  }
  if (entity === 'VendorCredit' && (existing.LinkedTxn ?? []).length > 0) {
    throw Faults.business('This credit has been applied to a bill payment; delete the payment first.', 'Id');
  }
  if (entity === 'BillPayment') {
    releaseCredits(c, existing);
    for (const line of existing.Line ?? []) {
      if (line.LinkedTxn?.[0]?.TxnType === 'VendorCredit') continue;
      const bill = c.get('Bill', line.LinkedTxn?.[0]?.TxnId);
      if (!bill) continue;
      bill.Balance = fromCents(cents(bill.Balance) + cents(line.Amount));
      bill.LinkedTxn = (bill.LinkedTxn ?? []).filter((l: Entity) => l.TxnId !== existing.Id);
      if (bill.LinkedTxn.length === 0) delete bill.LinkedTxn;
      c.touch(bill);
    }
  }
  c.remove(entity, existing.Id);
  return { status: 'Deleted', domain: 'QBO', Id: existing.Id };
}

export function isQboFault(e: unknown): e is QboFault {
  return e instanceof QboFault;
}
