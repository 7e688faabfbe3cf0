import type { SlackDeps } from './deps.ts';
import type { Invoice } from '../invoices/service.ts';
import type { Refusal } from '../approvals/service.ts';
import { recipients } from './notify.ts';
import { approvalBlocks, approverDm, overdueAdminDm, rejectedDm, type SlackBlock } from './views/approvals-card.ts';
import type { ApprovalNotice } from '../approvals/service.ts';
import type { Message } from './views/invoice-dm.ts';

/**
 * The Slack side of approvals: the approval section of an invoice's card, and the DMs the approval use case's
 * notices call for (each approver once per step, one reminder, the admins once after it, the submitter on a
 * rejection): the notices are outbox rows written in the decision's transaction, expanded here when delivered.
 * A timer runs the reminder sweep.
 */

/** How often the reminder sweep runs (it only sends what is due, each once). */
export const APPROVAL_SWEEP_MS = 5 * 60_000;

/** The card's approval blocks for the invoice's current round (none when it never needed approval). */
export async function approvalSection(deps: SlackDeps, inv: Invoice): Promise<SlackBlock[]> {
  const round = await deps.engine.approvals.store.currentRound(inv.id);
  // Only while it concerns this revision: after an edit the old round says nothing until the resubmission.
  const live = round.filter((s) => s.status !== 'void');
  if (!live.length || live[0].revision !== inv.revision) return [];
  // Buttons only while the invoice waits; an approved or rejected round is shown as the trail.
  return approvalBlocks(
    inv.id,
    inv.status === 'awaiting_approval' ? round : round.map((s) => (s.status === 'pending' ? { ...s, status: 'void' as const } : s)),
  );
}

const projectName = async (deps: SlackDeps, inv: Invoice) =>
  inv.projectProfileId != null ? ((await deps.engine.store.profiles.get(inv.teamId, inv.projectProfileId))?.name ?? null) : null;

/**
 * The DMs an approval notice (an outbox row written in the decision's transaction) calls for, from the state now:
 * the step's approvers asked or reminded, the admins told it is overdue, the submitter told of a rejection.
 */
export async function approvalMessages(deps: SlackDeps, n: ApprovalNotice): Promise<{ user: string; msg: Message; tag: string }[]> {
  const inv = await deps.engine.invoices.byId(n.invoiceId);
  if (!inv) return [];
  const round = await deps.engine.approvals.store.currentRound(inv.id);
  const step = round.find((s) => s.id === n.stepId);
  if (!step) return [];
  const to = (users: string[], msg: Message) => [...new Set(users)].map((user) => ({ user, msg, tag: n.kind }));
  switch (n.kind) {
    case 'asked':
      return to(step.approverUserIds, approverDm(inv, round, { projectName: await projectName(deps, inv) }));
    case 'reminder':
      return to(step.approverUserIds, approverDm(inv, round, { projectName: await projectName(deps, inv), reminder: true }));
    case 'overdue':
      return to(await deps.admins.list(await deps.clientFor(inv.teamId), inv.teamId), overdueAdminDm(inv, step, round));
    case 'rejected':
      return to(recipients(inv), rejectedDm(inv, step));
  }
}

/** Runs the reminder sweep on a timer (it only writes what is due, each once; the outbox delivers it). */
export function wireApprovals(deps: SlackDeps): () => void {
  const { approvals } = deps.engine;
  const timer = setInterval(() => void approvals.sweep().catch((err) => deps.log.error('approval sweep failed', { error: err })), APPROVAL_SWEEP_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** What the person who clicked is told when the server refuses their decision. */
export function refusalText(why: Refusal, pendingLabel?: string | null): string {
  switch (why) {
    case 'not_found':
      return 'This invoice no longer exists.';
    case 'not_waiting':
      return 'This invoice is not waiting for approval any more.';
    case 'stale':
      return 'This approval step was already decided, or the invoice changed since: the latest card shows where it is.';
    case 'not_approver':
      return `Only ${pendingLabel ?? 'the named approver'} (or a QuickBooks admin) can decide this step.`;
    case 'own_invoice':
      return 'You submitted this invoice, so you can’t approve it yourself: the rule asks for someone else.';
    case 'reason_required':
      return 'Say why you reject it: the submitter sees your reason.';
  }
}
