import type { ApprovalStep } from '../../store/approvals.ts';
import { esc, mrkdwn, plain, truncate } from './common.ts';
import { amountText, button, invoiceTitle } from './invoice-common.ts';
import type { Invoice } from '../../invoices/service.ts';

/**
 * What approvals add to the invoice views: the thread card's approval section (who must approve, who did, Approve /
 * Reject while a step waits), the approver's DM, the reject-reason modal and App Home's "Waiting for my approval".
 * Pure functions of plain data.
 */

/** A Block Kit block or view as plain JSON (the views are checked against Slack's rules by the fake's validator). */
export type SlackBlock = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: handed to Bolt's views.open/push/update, typed there as View
export type SlackView = any;

export const APPROVAL_ACTION = {
  approve: 'approval_approve',
  reject: 'approval_reject',
} as const;

export const REJECT_CALLBACK = 'approval_reject_reason';
export const REJECT_BLOCK = 'approval_reason';
export const REJECT_INPUT = 'reason';
export const MAX_REASON = 500;

/** The button value: the invoice and the step the click is for (a click on an older step is refused on the server). */
export const approvalValue = (invoiceId: number, stepId: number) => `${invoiceId}:${stepId}`;
export function parseApprovalValue(v: string | undefined): { invoiceId: number; stepId: number } | null {
  const m = /^(\d{1,12}):(\d{1,12})$/.exec(v ?? '');
  return m ? { invoiceId: Number(m[1]), stepId: Number(m[2]) } : null;
}

/** A rule's plain words escaped for mrkdwn, its `<@U…>` mentions (written by the app) kept as mentions. */
export const withMentions = (s: string) => esc(s).replace(/&lt;@([UW][A-Z0-9]+)&gt;/g, '<@$1>');

const day = (ms: number | null) => (ms == null ? '' : new Date(ms).toISOString().slice(0, 10));

function stepLine(s: ApprovalStep): string {
  const by = s.decidedBy ? `<@${s.decidedBy}>` : s.label;
  const override = s.override ? ' _(admin override)_' : '';
  switch (s.status) {
    case 'approved':
      return `:white_check_mark: Approved by ${by} · ${day(s.decidedAt)}${override}`;
    case 'rejected':
      return `:x: Rejected by ${by} · ${day(s.decidedAt)}${override}${s.reason ? ` — “${esc(truncate(s.reason, MAX_REASON))}”` : ''}`;
    case 'pending':
      return `:hourglass_flowing_sand: Waiting for ${s.label}`;
    case 'waiting':
      return `:white_small_square: Then ${s.label}`;
    default:
      return `:heavy_minus_sign: ${s.label} (no longer needed)`;
  }
}

/** The step waiting on someone, if any. */
export const pendingStep = (round: ApprovalStep[]) => round.find((s) => s.status === 'pending') ?? null;

/**
 * The card's approval section for the invoice's current round (nothing when it never needed approval). Approve and
 * Reject appear while a step waits; anyone sees them (the thread is shared), only the named approver or an admin is
 * let through on the server.
 */
export function approvalBlocks(invoiceId: number, round: ApprovalStep[]): SlackBlock[] {
  if (!round.length) return [];
  const live = round.filter((s) => s.status !== 'void');
  if (!live.length) return [];
  const lines = [`*Approval:* ${withMentions(round[0].ruleText)}`, ...live.map(stepLine)];
  const blocks: SlackBlock[] = [{ type: 'section', block_id: 'approval_steps', text: mrkdwn(lines.join('\n')) }];
  const step = pendingStep(round);
  if (step) {
    const v = approvalValue(invoiceId, step.id);
    blocks.push({
      type: 'actions',
      block_id: 'approval_actions',
      elements: [button('Approve', APPROVAL_ACTION.approve, v, 'primary'), button('Reject', APPROVAL_ACTION.reject, v, 'danger')],
    });
  }
  return blocks;
}

/** The DM an approver gets when their step is the one waiting (and, once, as the reminder). */
export function approverDm(
  inv: Invoice,
  round: ApprovalStep[],
  o: { projectName?: string | null; reminder?: boolean; link?: string | null } = {},
): { text: string; blocks: SlackBlock[] } {
  const title = invoiceTitle(inv);
  const lead = o.reminder
    ? `:bell: Reminder: your approval is still needed for *${esc(title)}*`
    : `:raised_hand: Your approval is needed for *${esc(title)}*`;
  const facts = [
    inv.vendorName && `Vendor: *${esc(inv.vendorName)}*`,
    inv.amountCents != null && `Total: *${amountText(inv)}*`,
    o.projectName && `Project: *${esc(o.projectName)}*`,
    inv.invoiceNumber && `Number: *${esc(inv.invoiceNumber)}*`,
  ].filter(Boolean);
  const blocks: SlackBlock[] = [
    {
      type: 'section',
      block_id: 'approval_dm',
      text: mrkdwn(`${lead}${o.link ? `  ·  <${o.link}|Open the thread>` : ''}`),
    },
  ];
  if (facts.length) blocks.push({ type: 'context', elements: [mrkdwn(facts.join('  ·  '))] });
  blocks.push(...approvalBlocks(inv.id, round));
  return { text: `${o.reminder ? 'Reminder: approval' : 'Approval'} needed — ${title}`, blocks };
}

/** The admins' notice when an approver has not acted after the reminder. */
export function overdueAdminDm(inv: Invoice, step: ApprovalStep, round: ApprovalStep[]): { text: string; blocks: SlackBlock[] } {
  const title = invoiceTitle(inv);
  const blocks: SlackBlock[] = [
    {
      type: 'section',
      block_id: 'approval_overdue',
      text: mrkdwn(
        `:alarm_clock: *${esc(title)}* has been waiting for ${step.label} since ${day(step.activatedAt)}, and a reminder went out. As an admin you can approve or reject it (recorded as an override).`,
      ),
    },
    ...approvalBlocks(inv.id, round),
  ];
  return { text: `Approval overdue — ${title}`, blocks };
}

/** The submitter's DM when an approver rejects: the reason, and that an edit + resubmit starts approval again. */
export function rejectedDm(inv: Invoice, step: ApprovalStep): { text: string; blocks: SlackBlock[] } {
  const title = invoiceTitle(inv);
  const reason = step.reason ? `“${esc(truncate(step.reason, MAX_REASON))}”` : 'no reason given';
  return {
    text: `Rejected — ${title}`,
    blocks: [
      {
        type: 'section',
        block_id: 'approval_rejected',
        text: mrkdwn(
          `:x: <@${step.decidedBy}> rejected *${esc(title)}*: ${reason}\nFix it with *Review & sync* and submit it again: approval starts over.`,
        ),
      },
      { type: 'actions', elements: [button('Review & sync', 'invoice_review', String(inv.id), 'primary')] },
    ],
  };
}

/** The modal Reject opens: why (required, shown to the submitter). */
export function rejectModal(invoiceId: number, stepId: number, title: string): SlackView {
  return {
    type: 'modal',
    callback_id: REJECT_CALLBACK,
    private_metadata: approvalValue(invoiceId, stepId),
    title: plain('Reject invoice', 24),
    submit: plain('Reject', 24),
    close: plain('Cancel', 24),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(`*${esc(truncate(title, 250))}* goes back to whoever submitted it, with your reason.`),
      },
      {
        type: 'input',
        block_id: REJECT_BLOCK,
        label: plain('Reason'),
        element: {
          type: 'plain_text_input',
          action_id: REJECT_INPUT,
          multiline: true,
          max_length: MAX_REASON,
          placeholder: plain('e.g. The progress bill is ahead of the work done'),
        },
      },
    ],
  };
}

/** App Home: the invoices waiting on this person's approval, each with Approve / Reject (≤ 2 blocks each). */
export function waitingForMeBlocks(items: { inv: Invoice; step: ApprovalStep }[], max = 10): SlackBlock[] {
  if (!items.length) return [];
  const blocks: SlackBlock[] = [{ type: 'header', block_id: 'approval_home_header', text: plain('Waiting for my approval', 150) }];
  for (const { inv, step } of items.slice(0, max)) {
    const bits = [
      `*${esc(inv.vendorName ?? inv.fileName)}*`,
      inv.amountCents != null ? amountText(inv) : null,
      inv.invoiceNumber ? `#${esc(inv.invoiceNumber)}` : null,
    ].filter(Boolean);
    blocks.push({
      type: 'section',
      block_id: `approval_home_${inv.id}`,
      text: mrkdwn(`:raised_hand: ${bits.join(' · ')}\n_${withMentions(step.ruleText)}_`),
    });
    const v = approvalValue(inv.id, step.id);
    blocks.push({
      type: 'actions',
      block_id: `approval_home_actions_${inv.id}`,
      elements: [button('Approve', APPROVAL_ACTION.approve, v, 'primary'), button('Reject', APPROVAL_ACTION.reject, v, 'danger')],
    });
  }
  if (items.length > max) blocks.push({ type: 'context', elements: [mrkdwn(`…and ${items.length - max} more.`)] });
  blocks.push({ type: 'divider' });
  return blocks;
}
