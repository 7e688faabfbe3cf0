import type { App, BlockAction, ViewStateSelectedOption } from '@slack/bolt';
import type { SlackDeps } from '../../deps.ts';
import { groupForModal, mergeByCostCode, startSplit, type ReadLine } from '../../../invoices/split.ts';
import type { Invoice } from '../../../invoices/service.ts';
import { FIELD, parseReviewMetadata, reviewModal, type Picked, type ReviewValues } from '../../views/invoice-review.ts';
import { readSplitState, SPLIT_ACTION, type SplitView, type SplitViewRow } from '../../views/split-lines.ts';
import { fieldsToCheck } from '../../../invoices/confidence.ts';
import { reviewNotice } from '../../views/review-notice.ts';
import { invoiceInfo } from '../../notify.ts';
import { parseAmountCents, reviewValuesFor } from '../views/invoices.ts';
import { type StateValues, stateOf } from '../payload.ts';

/**
 * The review modal's *Split*, *Add line*, *Remove line*, *Merge per cost code* and *One line*: each reads what was
 * typed so far (nothing is lost), changes the lines, and updates the modal in place (views.update with its hash).
 */

const picked = (o: ViewStateSelectedOption | null | undefined): Picked | null =>
  o?.value ? { id: String(o.value), label: String(o.text?.text ?? o.value) } : null;

/** The single-line fields as typed (falls back to the invoice's own values where the modal has none). */
function valuesFromState(base: ReviewValues, values: StateValues): ReviewValues {
  const v = (id: string) => values[id]?.[id];
  const has = (id: string) => values[id]?.[id] !== undefined;
  const text = (id: string) => {
    const s = v(id)?.value;
    return typeof s === 'string' ? s.trim() || null : null;
  };
  const amount = text(FIELD.amount);
  const type = v(FIELD.type)?.selected_option?.value;
  return {
    ...base,
    txnType: type === 'Bill' || type === 'Expense' ? type : base.txnType,
    account: has(FIELD.account) ? picked(v(FIELD.account)?.selected_option) : base.account,
    project: has(FIELD.project) ? picked(v(FIELD.project)?.selected_option) : base.project,
    costCode: has(FIELD.costCode) ? picked(v(FIELD.costCode)?.selected_option) : base.costCode,
    vendor: has(FIELD.vendor) ? picked(v(FIELD.vendor)?.selected_option) : base.vendor,
    amountCents: has(FIELD.amount) ? (amount ? parseAmountCents(amount) : null) : base.amountCents,
    invoiceNumber: has(FIELD.number) ? text(FIELD.number) : base.invoiceNumber,
    invoiceDate: has(FIELD.date) ? (v(FIELD.date)?.selected_date ?? null) : base.invoiceDate,
    dueDate: has(FIELD.due) ? (v(FIELD.due)?.selected_date ?? null) : base.dueDate,
    memo: has(FIELD.memo) ? text(FIELD.memo) : base.memo,
  };
}

function readLinesOf(inv: Invoice): ReadLine[] {
  const lines = (inv.extracted as { lines?: unknown } | null)?.lines;
  if (!Array.isArray(lines)) return [];
  return lines.filter((l): l is ReadLine => typeof l?.description === 'string' && typeof l?.amount === 'number');
}

/** The lines the action leads to; null = back to one line. */
function nextRows(
  action: string,
  selected: string | undefined,
  current: SplitViewRow[],
  values: ReviewValues,
  inv: Invoice,
): { rows: SplitViewRow[]; note: string | null } | null {
  const defaults = { projectId: values.project?.id ?? null, costCodeId: values.costCode?.id ?? null };
  const labels = { projectLabel: values.project?.label ?? null, costCodeLabel: values.costCode?.label ?? null };
  switch (action) {
    case SPLIT_ACTION.start: {
      const g = groupForModal(startSplit(values.amountCents, readLinesOf(inv), defaults));
      return { rows: g.rows.map((r) => ({ ...r, ...labels })), note: g.note };
    }
    case SPLIT_ACTION.add: {
      const first = current[0];
      return {
        rows: [
          ...current,
          {
            description: '',
            amountCents: null,
            projectId: first?.projectId ?? defaults.projectId,
            projectLabel: first?.projectLabel ?? labels.projectLabel,
            costCodeId: null,
          },
        ],
        note: null,
      };
    }
    case SPLIT_ACTION.remove: {
      const i = Number(selected);
      return { rows: Number.isInteger(i) && current.length > 1 ? current.filter((_, j) => j !== i) : current, note: null };
    }
    case SPLIT_ACTION.merge:
      return { rows: mergeByCostCode(current) as SplitViewRow[], note: null };
    default:
      return null;
  }
}

export function register(app: App, deps: SlackDeps) {
  const { engine, log } = deps;
  for (const action of Object.values(SPLIT_ACTION)) {
    app.action(action, async ({ ack, body, client, context }) => {
      await ack();
      const b = body as BlockAction;
      const view = b.view;
      if (!view) return;
      const teamId = b.team?.id ?? context.teamId!;
      const meta = parseReviewMetadata(view.private_metadata);
      const inv = meta.i != null ? await engine.invoices.get(teamId, meta.i) : null;
      if (!inv) return;
      const values = stateOf(view);
      const typed = valuesFromState(await reviewValuesFor(deps, inv), values);
      const current = meta.s != null && meta.n ? readSplitState(values, meta.s, meta.n, parseAmountCents) : [];
      const acted = b.actions[0];
      const selected = acted && 'selected_option' in acted ? acted.selected_option?.value : undefined;
      const next = nextRows(action, selected, current, typed, inv);
      const rev = (meta.s ?? 0) + 1;
      // Back to one line: the first line's project and cost code become the invoice's.
      if (!next && current[0]) {
        typed.project = current[0].projectId ? { id: current[0].projectId, label: current[0].projectLabel ?? current[0].projectId } : typed.project;
        typed.costCode = current[0].costCodeId
          ? { id: current[0].costCodeId, label: current[0].costCodeLabel ?? current[0].costCodeId }
          : typed.costCode;
      }
      const split: SplitView | null = next ? { rev, rows: next.rows, note: next.note } : null;
      const check = fieldsToCheck(inv);
      try {
        await client.views.update({
          view_id: view.id,
          hash: view.hash,
          view: reviewModal({
            mode: 'review',
            invoiceId: inv.id,
            channelId: inv.channelId,
            fileName: inv.fileName,
            autoSync: (await invoiceInfo(deps, inv)).autoSync,
            values: typed,
            notice: reviewNotice(inv, check),
            check,
            notConnected: !(await engine.connections.isConnected(teamId)),
            split,
          }),
        });
      } catch (err) {
        log.warn('split: modal not updated', { invoiceId: inv.id, action, error: err });
      }
    });
  }
}
