/**
 * Submitting a review modal with split lines: each line read and checked (an amount above zero; the lines add up to
 * the invoice total to the cent, else the error is on the Amount field, in Slack's way, and nothing is saved or
 * sent), each line's project and cost code looked up. Unlinked ones are said once per modal on the line's field, as
 * for the single-line pickers; a second submit keeps them (the invoice then waits, blocked, naming the profile).
 */
import { checkSplit } from '../invoices/split.ts';
import type { InvoiceLine } from '../store/invoice-lines.ts';
import { KIND_LABEL, type Profile } from '../workspace/profiles.ts';
import type { SlackDeps } from './deps.ts';
import { money } from './views/common.ts';
import { FIELD, type ReviewMetadata } from './views/invoice-review.ts';
import { amountBlockOf, pickerBlockOf, readSplitState } from './views/split-lines.ts';

type StateValues = Record<string, Record<string, any>>;

export type SplitSubmission = { ok: true; lines: InvoiceLine[] } | { ok: false; errors: Record<string, string> };

/** Unlinked line profiles already said, per open modal. */
const warned = new Map<string, Set<string>>();

export async function checkSplitSubmission(
  deps: SlackDeps,
  teamId: string,
  view: { id: string; state: { values: unknown } },
  meta: ReviewMetadata,
  total: { cents: number | null; currency: string | null },
  parse: (s: string) => number | null,
  unlinkedMessage: (p: Profile) => string,
): Promise<SplitSubmission | null> {
  if (meta.s == null || !meta.n) return null;
  const rev = meta.s;
  const rows = readSplitState(view.state.values as StateValues, rev, meta.n, parse);
  const problems = checkSplit(rows, total.cents, (c) => money(c, total.currency ?? 'USD'));
  const errors: Record<string, string> = {};
  for (const [key, msg] of Object.entries(problems)) {
    if (key === 'total') errors[FIELD.amount] = msg;
    else errors[amountBlockOf(rev, Number(key.split(':')[1]))] = msg;
  }
  const lines: InvoiceLine[] = [];
  const seen = warned.get(view.id) ?? new Set<string>();
  const fresh: Record<string, string> = {};
  for (const [i, r] of rows.entries()) {
    const profileId = async (kind: 'project' | 'cost_code', id: string | null): Promise<number | null> => {
      if (!id) return null;
      const p = /^\d+$/.test(id) ? await deps.engine.store.profiles.get(teamId, Number(id)) : null;
      if (!p || p.kind !== kind) {
        errors[pickerBlockOf(rev, i, kind)] = `This ${KIND_LABEL[kind]} was deleted. Choose another.`;
        return null;
      }
      const key = `${kind}:${p.id}`;
      if (!p.qboId && !seen.has(key)) {
        seen.add(key);
        fresh[pickerBlockOf(rev, i, kind)] = unlinkedMessage(p);
      }
      return p.id;
    };
    lines.push({
      description: r.description,
      amountCents: r.amountCents,
      projectProfileId: await profileId('project', r.projectId),
      costCodeProfileId: await profileId('cost_code', r.costCodeId),
    });
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  if (Object.keys(fresh).length) {
    warned.set(view.id, seen);
    return { ok: false, errors: fresh };
  }
  warned.delete(view.id);
  return { ok: true, lines };
}
