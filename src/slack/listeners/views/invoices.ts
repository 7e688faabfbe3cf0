import type { App } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { SlackDeps } from '../../deps.ts';
import { type Checked, checkReview, type FieldErrors, type ReviewField, type ReviewForm, submitReview } from '../../../app/review.ts';
import type { Invoice } from '../../../invoices/service.ts';
import { esc } from '../../views/common.ts';
import { isEditable, qboName, statusLine } from '../../views/invoice-common.ts';
import { reviewNotice } from '../../views/review-notice.ts';
import { fieldsToCheck } from '../../../invoices/confidence.ts';
import { FIELD, messageModal, parseReviewMetadata, REVIEW_CALLBACK, reviewModal, type ReviewValues } from '../../views/invoice-review.ts';
import { invoiceInfo } from '../../notify.ts';
import { checkSplitSubmission } from '../../split-review.ts';
import { readSplitState, type SplitView } from '../../views/split-lines.ts';
import { parseAmountCents } from '../../../app/review-form.ts';
import { reviewErrorText, unlinkedText } from '../../copy/review.ts';
import { answerSubmit } from './review-submit.ts';
import { type StateValues, stateOf } from '../payload.ts';
import { reviewValuesFor } from './review-values.ts';

export { isRealDate, parseAmountCents } from '../../../app/review-form.ts';
export type { Checked } from '../../../app/review.ts';
export { reviewValuesFor } from './review-values.ts';

/**
 * Submissions of the review modal (`review_submit`; the upload modal's are in upload.ts). Every field is checked
 * server-side; errors go back on the field (`response_action: errors`). A valid review is confirmed and submitted to
 * the sync engine (a new vendor created in QuickBooks first) within a deadline (review-submit.ts): the modal then says
 * what happened, in the ack or, when QuickBooks is slow, by `views.update` after a "Saving…" ack.
 */

// ---------- building the modal from an invoice ----------

/** The review modal for an invoice, or a read-only note when it can no longer be changed. */
/** `coding`: values a vendor rule preselects (fields the invoice leaves empty) and the note saying so. */
export async function reviewViewFor(
  deps: SlackDeps,
  inv: Invoice,
  coding?: { values: Partial<ReviewValues>; note: string } | null,
  o: { notice?: string; split?: SplitView | null } = {},
): Promise<ModalView> {
  const info = await invoiceInfo(deps, inv);
  if (!isEditable(inv)) {
    const link = inv.qboUrl ? `\n<${inv.qboUrl}|Open ${esc(qboName(inv))} in QuickBooks>` : '';
    return messageModal('Invoice', `*${statusLine(info)}*${link}`);
  }
  const check = fieldsToCheck(inv);
  return reviewModal({
    mode: 'review',
    invoiceId: inv.id,
    channelId: inv.channelId,
    fileName: inv.fileName,
    autoSync: info.autoSync,
    values: { ...(await reviewValuesFor(deps, inv)), ...coding?.values },
    notice: o.notice ?? reviewNotice(inv, check),
    check,
    notConnected: !(await deps.engine.connections.isConnected(inv.teamId)),
    codingNote: coding?.note ?? null,
    split: o.split ?? null,
  });
}

// ---------- reading and checking what was entered ----------

/** The modal's state as the review use case's plain form. */
function read(values: StateValues): ReviewForm {
  const v = (id: string) => values[id]?.[id];
  const str = (id: string): string | null => {
    const s = v(id)?.value;
    return typeof s === 'string' && s.trim() ? s.trim() : null;
  };
  const sel = (id: string): string | null => v(id)?.selected_option?.value ?? null;
  const date = (id: string): string | null => v(id)?.selected_date ?? null;
  return {
    txnType: sel(FIELD.type),
    accountId: sel(FIELD.account),
    projectId: sel(FIELD.project),
    costCodeId: sel(FIELD.costCode),
    vendorId: sel(FIELD.vendor),
    vendorText: v(FIELD.vendor)?.selected_option?.text?.text ?? null,
    amount: str(FIELD.amount),
    invoiceNumber: str(FIELD.number),
    invoiceDate: date(FIELD.date),
    dueDate: date(FIELD.due),
    memo: str(FIELD.memo),
  };
}

/** The use case's field errors on the modal's blocks. */
function onBlocks(errors: FieldErrors): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, e] of Object.entries(errors)) if (e) out[FIELD[k as ReviewField]] = reviewErrorText(e);
  return out;
}

/**
 * The modal's fields checked by the review use case (src/app/review.ts), errors keyed by block. `amountRequired` /
 * `vendorRequired` are off for the upload modal, where an empty field is read from the file.
 */
export async function checkReviewState(
  deps: SlackDeps,
  teamId: string,
  values: StateValues,
  o: { amountRequired: boolean; vendorRequired: boolean },
): Promise<{ ok: true; value: Checked } | { ok: false; errors: Record<string, string> }> {
  const checked = await checkReview(deps.engine, teamId, read(values), o);
  return checked.ok ? checked : { ok: false, errors: onBlocks(checked.errors) };
}

/** Unlinked profiles a person has been warned about, per open modal: the second submit keeps them (→ blocked). */
const warned = new Map<string, Set<number>>();

// ---------- listeners ----------

export function register(app: App, deps: SlackDeps) {
  const { engine } = deps;

  app.view(REVIEW_CALLBACK, async ({ ack, body, view, client }) => {
    const startedAt = Date.now();
    const teamId = body.team?.id ?? view.team_id;
    const userId = body.user.id;
    const meta = parseReviewMetadata(view.private_metadata);
    const inv = meta.i != null ? await engine.invoices.get(teamId, meta.i) : null;
    if (!inv) return void (await ack({ response_action: 'update', view: messageModal('Invoice', 'This invoice no longer exists.') }));
    if (!isEditable(inv)) return void (await ack({ response_action: 'update', view: await reviewViewFor(deps, inv) }));

    const checked = await checkReviewState(deps, teamId, stateOf(view), { amountRequired: true, vendorRequired: true });
    if (!checked.ok) return void (await ack({ response_action: 'errors', errors: checked.errors }));
    const { fields, unlinked } = checked.value;
    // Split lines: checked to the cent (errors on the fields); the first line's project and cost code stand for the invoice's.
    const split = await checkSplitSubmission(
      deps,
      teamId,
      view,
      meta,
      { cents: fields.amountCents, currency: inv.currency },
      parseAmountCents,
      unlinkedText,
    );
    if (split && !split.ok) return void (await ack({ response_action: 'errors', errors: split.errors }));
    if (split?.ok)
      Object.assign(fields, {
        projectProfileId: split.lines[0]?.projectProfileId ?? null,
        costCodeProfileId: split.lines[0]?.costCodeProfileId ?? null,
      });

    // Unlinked project / cost code: say which and how to fix it; a second submit keeps it (the invoice waits, blocked).
    const seen = warned.get(view.id) ?? new Set<number>();
    const fresh = unlinked.filter((p) => !seen.has(p.id));
    if (fresh.length) {
      for (const p of fresh) seen.add(p.id);
      warned.set(view.id, seen);
      const errors: Record<string, string> = {};
      for (const p of fresh) errors[p.kind === 'project' ? FIELD.project : FIELD.costCode] = unlinkedText(p);
      return void (await ack({ response_action: 'errors', errors }));
    }
    warned.delete(view.id);

    const lines = split?.ok ? split.lines : null;
    // The lines as typed (with the pickers' labels), for the review shown again after a late vendor problem.
    const values = stateOf(view);
    const typedSplit: SplitView | null =
      lines && meta.s != null && meta.n ? { rev: meta.s + 1, rows: readSplitState(values, meta.s, meta.n, parseAmountCents) } : null;
    await answerSubmit(deps, {
      ack: (r) => ack(r),
      client,
      viewId: view.id,
      teamId,
      userId,
      invoiceId: inv.id,
      startedAt,
      work: submitReview(engine, { inv, userId, checked: { ...checked.value, fields }, lines }),
      // A late vendor problem: the review again, with what they entered (the vendor as the name they typed).
      reviewAgain: async (notice) => {
        const now = await engine.invoices.get(teamId, inv.id);
        if (!now) return messageModal('Invoice', 'This invoice no longer exists.');
        const entered = { ...now, ...fields, vendorId: null, vendorName: checked.value.newVendorName };
        if (!isEditable(now)) return reviewViewFor(deps, now);
        return reviewViewFor(deps, entered, null, { notice: esc(notice), split: typedSplit });
      },
    });
  });
}

export async function openReview(deps: SlackDeps, client: WebClient, triggerId: string, inv: Invoice) {
  await client.views.open({ trigger_id: triggerId, view: await reviewViewFor(deps, inv) });
}
