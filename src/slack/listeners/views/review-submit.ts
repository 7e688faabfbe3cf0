import type { ViewResponseAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { SubmitOutcome } from '../../../app/review.ts';
import type { Invoice } from '../../../invoices/service.ts';
import { statusMrkdwn } from '../../copy/reasons.ts';
import { notSavedDm, OUTCOME, SAVE_FAILED, SAVE_FAILED_LATE, SAVING, vendorNotSaved } from '../../copy/review.ts';
import { vendorProblemText } from '../../copy/vendors.ts';
import type { SlackDeps } from '../../deps.ts';
import { dm, invoiceInfo } from '../../notify.ts';
import { esc, mrkdwn } from '../../views/common.ts';
import { ACTION, button, invoiceTitle, lostMessage, statusLine } from '../../views/invoice-common.ts';
import { FIELD, messageModal } from '../../views/invoice-review.ts';
import { within } from '../within.ts';

/**
 * Answering a review submit in bounded time. The fast checks (format, cached lists) answer on the fields at once;
 * the slow part (a new vendor created in QuickBooks, the confirm, the move) gets REVIEW_ACK_DEADLINE_MS. Done in time:
 * the ack shows the outcome (or the vendor problem on its field). Not done: the ack turns the modal into "Saving…"
 * and, once the work is done, `views.update` shows the outcome there, or the review again with the vendor problem.
 * A second submit meanwhile (the person closed "Saving…" and reviewed again) is safe: the vendor create-or-find
 * finds the first one's vendor, and the conditional move lets only one of them through; the other says so.
 */

/** How long a submit may work before its ack: Slack wants it within 3 s, and the network takes its share. */
export const REVIEW_ACK_DEADLINE_MS = 2000;

/** What the modal says after a submit, from the invoice's new status. */
export async function outcomeModal(deps: SlackDeps, inv: Invoice): Promise<ModalView> {
  const info = await invoiceInfo(deps, inv);
  const reason = statusMrkdwn(inv);
  const say = (w: { title: string; text: string }) => messageModal(w.title, w.text);
  switch (inv.status) {
    case 'blocked':
      return say(OUTCOME.blocked(reason));
    case 'duplicate':
      return say(OUTCOME.duplicate(reason, inv.qboUrl));
    case 'ready':
      return say(info.autoSync ? OUTCOME.sent : OUTCOME.savedReady);
    default:
      return messageModal('Saved', `*${statusLine(info)}*${reason ? `\n${reason}` : ''}`);
  }
}

/** The modal once the move is done: what happened, or that another submit (or a sync) got there first. */
async function movedModal(deps: SlackDeps, out: Extract<SubmitOutcome, { kind: 'submitted' }>): Promise<ModalView> {
  const { moved } = out;
  return moved.applied ? outcomeModal(deps, moved.invoice) : messageModal('Not saved', lostMessage(moved.invoice));
}

/** The ack for a submit that finished within the deadline: problems on their field, else the outcome. */
async function ackFor(deps: SlackDeps, out: SubmitOutcome): Promise<ViewResponseAction> {
  if (out.kind === 'vendor') return { response_action: 'errors', errors: { [FIELD.vendor]: vendorProblemText(out.problem) } };
  if (out.kind === 'failed') return { response_action: 'errors', errors: { [FIELD.amount]: SAVE_FAILED } };
  return { response_action: 'update', view: await movedModal(deps, out) };
}

/** The view that replaces "Saving…" once a late submit is done (no fields to put an error on any more). */
async function lateView(deps: SlackDeps, out: SubmitOutcome, reviewAgain: (notice: string) => Promise<ModalView>): Promise<ModalView> {
  if (out.kind === 'vendor') return reviewAgain(vendorNotSaved(vendorProblemText(out.problem)));
  if (out.kind === 'failed') return messageModal('Not saved', SAVE_FAILED_LATE);
  return movedModal(deps, out);
}

export interface SubmitAnswer {
  ack: (response: ViewResponseAction) => Promise<void>;
  client: WebClient;
  viewId: string;
  teamId: string;
  /** Who submitted: told by DM when "Saving…" was closed before a late problem. */
  userId: string;
  invoiceId: number;
  /** When the listener started: the deadline counts the fast checks too. */
  startedAt: number;
  work: Promise<SubmitOutcome>;
  /** The review modal again, with this notice on top (a late vendor problem: what they typed is kept). */
  reviewAgain: (notice: string) => Promise<ModalView>;
}

/** Acks the submit within the deadline, and shows a late outcome with `views.update` when it comes. */
export async function answerSubmit(deps: SlackDeps, a: SubmitAnswer): Promise<void> {
  const work = a.work.catch((error: unknown): SubmitOutcome => ({ kind: 'failed', error }));
  const first = await within(work, REVIEW_ACK_DEADLINE_MS - (Date.now() - a.startedAt));
  if (first.done) return a.ack(await ackFor(deps, first.value));
  await a.ack({ response_action: 'update', view: messageModal('Saving…', SAVING, { callbackId: 'review_saving' }) });
  const out = await work;
  const view = await lateView(deps, out, a.reviewAgain);
  // No hash: the ack's update gave the view a new one that Slack does not tell us. "Saving…" has no inputs, so
  // nothing of the person's can be overwritten; closed, Slack answers not_found (the card still shows the outcome).
  try {
    await a.client.views.update({ view_id: a.viewId, view });
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    const outcome = out.kind === 'submitted' && !out.moved.applied ? 'lost' : out.kind;
    deps.log.info('late review outcome not shown', { teamId: a.teamId, invoiceId: a.invoiceId, outcome, slackError: code ?? String(err) });
    if (out.kind === 'vendor' || out.kind === 'failed') await tellNotSaved(deps, a, out);
  }
}

/**
 * "Saving…" was closed and the late submit saved nothing: the card does not show that (the invoice did not move), so
 * the person gets a DM through the outbox (durable, once per submit) saying what failed, with *Review* to go back.
 */
async function tellNotSaved(deps: SlackDeps, a: SubmitAnswer, out: Extract<SubmitOutcome, { kind: 'vendor' | 'failed' }>): Promise<void> {
  try {
    const inv = await deps.engine.invoices.get(a.teamId, a.invoiceId);
    if (!inv) return;
    const w = notSavedDm(invoiceTitle(inv), out.kind === 'vendor' ? vendorProblemText(out.problem) : null);
    const blocks = [
      { type: 'section', block_id: 'review_not_saved_head', text: mrkdwn(esc(w.head)) },
      { type: 'section', block_id: 'review_not_saved_why', text: mrkdwn(esc(w.why)) },
      { type: 'context', elements: [mrkdwn(esc(w.next))] },
      { type: 'actions', block_id: 'review_not_saved_actions', elements: [button('Review', ACTION.review, String(inv.id), 'primary')] },
    ];
    await dm(deps, a.teamId, [a.userId], { text: w.text, blocks }, `review-not-saved:${inv.id}:${a.viewId}:${a.startedAt}`);
  } catch (err) {
    deps.log.error('review not-saved DM not queued', { teamId: a.teamId, invoiceId: a.invoiceId, error: err });
  }
}
