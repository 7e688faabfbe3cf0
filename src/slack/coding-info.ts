/**
 * What the card, the DMs and App Home show of an invoice's coding beyond one line (issue 14): the split summary
 * ("3 lines: Oak St $2,100.00 · Elm Ave $1,250.00 · …"), each line named by its project (else cost code, else
 * description). Async: the lines live in their own store.
 */
import { splitSummary } from '../invoices/split.ts';
import type { Invoice } from '../invoices/service.ts';
import type { SlackDeps } from './deps.ts';
import { money } from './views/common.ts';
import type { InvoiceInfo } from './views/invoice-common.ts';
import type { ReviewValues } from './views/invoice-review.ts';
import { accountLabel } from './views/common.ts';
import { preselectionFrom } from '../invoices/vendor-coding.ts';

export async function splitSummaryOf(deps: SlackDeps, inv: Pick<Invoice, 'id' | 'teamId' | 'currency'>): Promise<string | null> {
  const lines = await deps.engine.invoiceLines.list(inv.id);
  if (lines.length < 2) return null;
  const profiles = deps.engine.store.profiles;
  const name = async (id: number | null) => (id != null ? ((await profiles.get(inv.teamId, id))?.name ?? null) : null);
  const labelled: Array<{ label: string; amountCents: number }> = [];
  for (const [i, l] of lines.entries())
    labelled.push({
      label: (await name(l.projectProfileId)) ?? (await name(l.costCodeProfileId)) ?? (l.description || `Line ${i + 1}`),
      amountCents: l.amountCents ?? 0,
    });
  return splitSummary(labelled, (c) => money(c, inv.currency && /^[A-Z]{3}$/.test(inv.currency) ? inv.currency : 'USD'));
}

/** Extra InvoiceInfo for the card and DMs (never throws: a missing summary is not worth a lost message). */
export async function codingInfo(deps: SlackDeps, inv: Invoice): Promise<Partial<InvoiceInfo>> {
  try {
    const autoBook = inv.status === 'extracted' ? await deps.engine.autoBook.pending(inv.id) : null;
    return { splitSummary: await splitSummaryOf(deps, inv), codingNote: await codingNoteOf(deps, inv), autoBook };
  } catch (err) {
    deps.log.warn('split summary unavailable', { invoiceId: inv.id, error: err });
    return {};
  }
}

/** Split summaries of the invoices App Home lists. */
export async function homeSplits(deps: SlackDeps, invoices: Array<Pick<Invoice, 'id' | 'teamId' | 'currency'>>): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const inv of invoices) {
    const s = await splitSummaryOf(deps, inv).catch(() => null);
    if (s) out.set(inv.id, s);
  }
  return out;
}

/**
 * What the vendor's rule preselects in the review modal: type, purchase account, cost code and memo, each only
 * where the invoice has none yet (never the project: that comes from the channel). Null when there is no rule, or
 * the invoice was already reviewed.
 */
export async function vendorCoding(deps: SlackDeps, inv: Invoice): Promise<{ values: Partial<ReviewValues>; note: string } | null> {
  if (!inv.vendorId || inv.submittedBy) return null;
  try {
    const pre = preselectionFrom(await deps.engine.vendorRules.get(inv.teamId, inv.vendorId), inv.invoiceNumber);
    if (!pre) return null;
    const { lists, store } = deps.engine;
    const values: Partial<ReviewValues> = {};
    if (!inv.txnType && pre.txnType) values.txnType = pre.txnType;
    const account = !inv.purchaseAccountId && pre.purchaseAccountId ? await lists.get(inv.teamId, 'Account', pre.purchaseAccountId) : null;
    if (account?.active) values.account = { id: account.id, label: accountLabel(account) };
    const costCode =
      inv.costCodeProfileId == null && pre.costCodeProfileId != null ? await store.profiles.get(inv.teamId, pre.costCodeProfileId) : null;
    if (costCode) values.costCode = { id: String(costCode.id), label: `${costCode.name}${costCode.qboId ? '' : ' (not linked)'}` };
    if (!inv.memo && pre.memo) values.memo = pre.memo;
    return { values, note: `${pre.note[0].toUpperCase()}${pre.note.slice(1)}: type, account, cost code and memo are preselected.` };
  } catch (err) {
    deps.log.warn('vendor rule unavailable', { invoiceId: inv.id, error: err });
    return null;
  }
}

/** The card's "coded like the last 3 invoices from Cascade Lumber", while the invoice is still to be booked. */
export async function codingNoteOf(deps: SlackDeps, inv: Invoice): Promise<string | null> {
  if (!inv.vendorId || ['synced', 'deleted_in_qbo', 'received'].includes(inv.status)) return null;
  const pre = preselectionFrom(await deps.engine.vendorRules.get(inv.teamId, inv.vendorId), inv.invoiceNumber);
  return pre ? `${pre.note[0].toUpperCase()}${pre.note.slice(1)}` : null;
}
