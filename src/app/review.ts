import type { Engine } from '../engine.ts';
import type { ConfirmedFields, Invoice, Moved } from '../invoices/service.ts';
import { isEditable } from '../invoices/lifecycle.ts';
import { accountUnfit } from '../qbo/accounts.ts';
import { createOrFindVendor, type VendorOutcome } from '../qbo/vendors.ts';
import type { InvoiceLine } from '../store/invoice-lines.ts';
import type { Profile, ProfileKind } from '../workspace/profiles.ts';
import { type FormatCode, formSchema } from './review-form.ts';

/**
 * Reviewing an invoice, as a use case (no Slack): what a person entered, checked against what QuickBooks and the
 * workspace hold now (format, an active purchase account of the right type, an active vendor or a new one to
 * create, projects and cost codes that still exist), then confirmed and submitted: the new vendor created or found
 * in QuickBooks, the fields stored if the invoice may still be edited, its split lines, and the sync engine's move.
 * The Slack side parses the modal into a ReviewForm, calls these, and renders what comes back.
 */

export type ReviewField = 'type' | 'account' | 'project' | 'costCode' | 'vendor' | 'amount' | 'number' | 'date' | 'due' | 'memo';
/** What is wrong with one field, as a code (the words are in src/slack/copy/review.ts). */
export type ReviewError =
  | { code: FormatCode | 'invalid' }
  | { code: 'vendor_name_missing' | 'vendor_needs_connection' | 'vendor_gone' | 'vendor_missing' }
  | { code: 'vendor_inactive'; params: { name: string } }
  | { code: 'account_gone' }
  | { code: 'account_inactive'; params: { name: string } }
  | { code: 'account_wrong_type'; params: { name: string; type: string } }
  | { code: 'profile_deleted'; params: { kind: ProfileKind } };
export type FieldErrors = Partial<Record<ReviewField, ReviewError>>;

const FORMAT_CODES: ReadonlySet<string> = new Set<FormatCode>([
  'type_missing',
  'amount_missing',
  'amount_format',
  'amount_not_positive',
  'number_too_long',
  'date_unreal',
  'due_before_date',
  'memo_too_long',
]);
/** A format issue's code (review-form.ts spells them as the zod messages). */
const formatError = (message: string): ReviewError => ({ code: FORMAT_CODES.has(message) ? (message as FormatCode) : 'invalid' });

/** What was entered, as plain text and ids (`vendorId` may be `new:<name>`: create that vendor). */
export interface ReviewForm {
  txnType: string | null;
  accountId: string | null;
  projectId: string | null;
  costCodeId: string | null;
  vendorId: string | null;
  /** The picked vendor's label, for a vendor the list cache no longer has. */
  vendorText: string | null;
  amount: string | null;
  invoiceNumber: string | null;
  invoiceDate: string | null;
  dueDate: string | null;
  memo: string | null;
}

export interface Checked {
  fields: Omit<ConfirmedFields, 'currency'>;
  newVendorName: string | null;
  /** Chosen projects / cost codes not linked to QuickBooks (the invoice would wait, blocked, until they are). */
  unlinked: Profile[];
}

export type ReviewDeps = Pick<Engine, 'lists' | 'store' | 'connections' | 'qbo' | 'log' | 'invoices' | 'invoiceLines' | 'sync'>;

/** The vendor field: an active QuickBooks vendor, or `new:<name>` to create (only while connected). */
async function checkVendor(deps: ReviewDeps, teamId: string, r: ReviewForm, vendorRequired: boolean, errors: FieldErrors) {
  let newVendorName: string | null = null;
  let vendorName: string | null = null;
  if (r.vendorId?.startsWith('new:')) {
    newVendorName = r.vendorId.slice(4).trim();
    vendorName = newVendorName;
    if (!newVendorName) errors.vendor = { code: 'vendor_name_missing' };
    else if (!(await deps.connections.isConnected(teamId))) errors.vendor = { code: 'vendor_needs_connection' };
  } else if (r.vendorId) {
    const v = await deps.lists.get(teamId, 'Vendor', r.vendorId);
    if (!v) errors.vendor = { code: 'vendor_gone' };
    else if (!v.active) errors.vendor = { code: 'vendor_inactive', params: { name: v.name } };
    vendorName = v?.name ?? r.vendorText;
  } else if (vendorRequired && (await deps.connections.isConnected(teamId))) {
    errors.vendor = { code: 'vendor_missing' };
  }
  return { newVendorName, vendorName };
}

/** The purchase account: still an active Bank or Credit Card account (the one rule, src/qbo/accounts.ts). */
async function checkAccount(deps: ReviewDeps, teamId: string, id: string | null, errors: FieldErrors) {
  if (!id) return;
  const a = await deps.lists.get(teamId, 'Account', id);
  const unfit = accountUnfit(a, 'purchase');
  if (!a || unfit === 'missing') errors.account = { code: 'account_gone' };
  else if (unfit === 'inactive') errors.account = { code: 'account_inactive', params: { name: a.fullName } };
  else if (unfit) errors.account = { code: 'account_wrong_type', params: { name: a.fullName, type: a.type ?? '' } };
}

/**
 * Every field checked against what QuickBooks and the workspace hold now. `amountRequired`/`vendorRequired` are off
 * for the upload modal, where an empty field is read from the file.
 */
export async function checkReview(
  deps: ReviewDeps,
  teamId: string,
  r: ReviewForm,
  o: { amountRequired: boolean; vendorRequired: boolean },
): Promise<{ ok: true; value: Checked } | { ok: false; errors: FieldErrors }> {
  const errors: FieldErrors = {};
  const parsed = formSchema.safeParse({
    type: r.txnType ?? undefined,
    amount: r.amount,
    number: r.invoiceNumber,
    date: r.invoiceDate,
    due: r.dueDate,
    memo: r.memo,
  });
  if (!parsed.success)
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'amount') as ReviewField] ??= formatError(issue.message);
  if (o.amountRequired && !r.amount) errors.amount ??= { code: 'amount_missing' };
  await checkAccount(deps, teamId, r.accountId, errors);
  const { newVendorName, vendorName } = await checkVendor(deps, teamId, r, o.vendorRequired, errors);

  // Project and cost code: local profiles; unlinked ones are reported (the caller decides whether to go on).
  const unlinked: Profile[] = [];
  const profile = async (field: ReviewField, id: string | null, kind: 'project' | 'cost_code'): Promise<number | null> => {
    if (!id) return null;
    const p = /^\d+$/.test(id) ? await deps.store.profiles.get(teamId, Number(id)) : null;
    if (!p || p.kind !== kind) {
      errors[field] = { code: 'profile_deleted', params: { kind } };
      return null;
    }
    if (!p.qboId) unlinked.push(p);
    return p.id;
  };
  const projectProfileId = await profile('project', r.projectId, 'project');
  const costCodeProfileId = await profile('costCode', r.costCodeId, 'cost_code');

  if (Object.keys(errors).length || !parsed.success) return { ok: false, errors };
  const d = parsed.data;
  const fields = {
    txnType: d.type,
    purchaseAccountId: r.accountId,
    projectProfileId,
    costCodeProfileId,
    vendorId: newVendorName ? null : r.vendorId,
    vendorName,
    amountCents: d.amount,
    invoiceNumber: d.number,
    invoiceDate: d.date,
    dueDate: d.due,
    memo: d.memo,
  };
  return { ok: true, value: { fields, newVendorName, unlinked } };
}

/** Why a new vendor could not be used: QuickBooks' answer, or an error of ours (its message). */
export type VendorProblem = Extract<VendorOutcome, { ok: false }> | { ok: false; why: 'error'; name: string; message: string };

export type SubmitOutcome =
  /** The move was applied (or lost to another submit or a sync: `moved.applied` false). */
  { kind: 'submitted'; moved: Moved } | { kind: 'vendor'; problem: VendorProblem } | { kind: 'failed'; error: unknown };

/** Confirms a checked review and submits it: the new vendor first, then the fields, the split lines, the move. */
export async function submitReview(
  deps: ReviewDeps,
  p: { inv: Invoice; userId: string; checked: Checked; lines: InvoiceLine[] | null },
): Promise<SubmitOutcome> {
  const { inv } = p;
  const fields = { ...p.checked.fields };
  const newVendorName = p.checked.newVendorName;
  // No vendor picked (QuickBooks not connected, so there is nothing to pick): keep the name read from the file.
  if (!fields.vendorId && !newVendorName && !fields.vendorName) fields.vendorName = inv.vendorName;
  if (newVendorName) {
    let v: VendorOutcome;
    try {
      v = await createOrFindVendor(deps, inv.teamId, newVendorName);
    } catch (err) {
      return { kind: 'vendor', problem: { ok: false, why: 'error', name: newVendorName, message: err instanceof Error ? err.message : String(err) } };
    }
    if (!v.ok) return { kind: 'vendor', problem: v };
    fields.vendorId = v.id;
    fields.vendorName = v.name;
  }
  try {
    await deps.invoices.confirm(inv.id, { ...fields, currency: inv.currency }, p.userId);
    await deps.invoiceLines.replace(inv.id, p.lines ?? []);
    return { kind: 'submitted', moved: await deps.sync.submit(inv.id, p.userId) };
  } catch (err) {
    // Another submit (or a sync) took it out of editing between the checks and the confirm: a lost race, not a fault.
    const now = await deps.invoices.byId(inv.id).catch(() => null);
    if (now && !isEditable(now)) return { kind: 'submitted', moved: { applied: false, lost: true, invoice: now, to: 'ready' } };
    deps.log.error('review submit failed', { invoiceId: inv.id, error: err });
    return { kind: 'failed', error: err };
  }
}
