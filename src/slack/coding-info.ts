/**
 * What the card, the DMs and App Home show of an invoice's coding beyond one line (issue 14): the split summary
 * ("3 lines: Oak St $2,100.00 · Elm Ave $1,250.00 · …"), each line named by its project (else cost code, else
 * description). Async: the lines live in their own store.
 */
import { splitSummary } from '../invoices/split.ts';
import type { Invoice } from '../invoices/service.ts';
import { getProfile } from '../workspace/profiles.ts';
import type { SlackDeps } from './deps.ts';
import { money } from './views/common.ts';
import type { InvoiceInfo } from './views/invoice-common.ts';

export async function splitSummaryOf(deps: SlackDeps, inv: Pick<Invoice, 'id' | 'teamId' | 'currency'>): Promise<string | null> {
  const lines = await deps.engine.invoiceLines.list(inv.id);
  if (lines.length < 2) return null;
  const name = (id: number | null) => (id != null ? (getProfile(deps.engine.db, inv.teamId, id)?.name ?? null) : null);
  const labelled = lines.map((l, i) => ({ label: name(l.projectProfileId) ?? name(l.costCodeProfileId) ?? (l.description || `Line ${i + 1}`), amountCents: l.amountCents ?? 0 }));
  return splitSummary(labelled, (c) => money(c, inv.currency && /^[A-Z]{3}$/.test(inv.currency) ? inv.currency : 'USD'));
}

/** Extra InvoiceInfo for the card and DMs (never throws: a missing summary is not worth a lost message). */
export async function codingInfo(deps: SlackDeps, inv: Pick<Invoice, 'id' | 'teamId' | 'currency'>): Promise<Partial<InvoiceInfo>> {
  try {
    return { splitSummary: await splitSummaryOf(deps, inv) };
  } catch (err) {
    deps.log.warn('split summary unavailable', { invoiceId: inv.id, error: err });
    return {};
  }
}

/** Split summaries of the invoices App Home lists. */
export async function homeSplits(deps: SlackDeps, invoices: Array<Pick<Invoice, 'id' | 'teamId' | 'currency'>>): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const inv of invoices) {
    const s = (await codingInfo(deps, inv)).splitSummary;
    if (s) out.set(inv.id, s);
  }
  return out;
}
