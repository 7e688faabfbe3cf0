import type { SlackDeps } from './deps.ts';
import type { Invoice } from '../invoices/service.ts';
import type { Refusal } from '../approvals/service.ts';
import { dm, recipients } from './notify.ts';
import { approvalBlocks, approverDm, overdueAdminDm, rejectedDm, type SlackBlock } from './views/approvals-card.ts';
import type { ApprovalNews } from '../approvals/service.ts';

/**
 * The Slack side of approvals: the approval section of an invoice's card, and the DMs the approval use case asks
 * for (each approver once per step, one reminder, the admins once after it, the submitter on a rejection), sent
 * through the outbox with a key per step so a repeat sends nothing. A timer runs the reminder sweep.
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

export function wireApprovals(deps: SlackDeps): () => void {
  const { approvals, invoices } = deps.engine;
  const safe = (what: string, f: () => Promise<void>) => void f().catch((err) => deps.log.error(`approval ${what} failed`, { error: err }));

  const onAsked = (e: ApprovalNews['asked'][0]) =>
    safe('request', async () => {
      const inv = await invoices.byId(e.invoiceId);
      if (!inv) return;
      await dm(
        deps,
        inv.teamId,
        e.step.approverUserIds,
        approverDm(inv, e.round, { projectName: await projectName(deps, inv) }),
        `approval:${e.step.id}`,
      );
    });
  const onReminder = (e: ApprovalNews['asked'][0]) =>
    safe('reminder', async () => {
      const inv = await invoices.byId(e.invoiceId);
      if (!inv) return;
      await dm(
        deps,
        inv.teamId,
        e.step.approverUserIds,
        approverDm(inv, e.round, { projectName: await projectName(deps, inv), reminder: true }),
        `approval-reminder:${e.step.id}`,
      );
    });
  const onOverdue = (e: ApprovalNews['overdue'][0]) =>
    safe('overdue notice', async () => {
      const inv = await invoices.byId(e.invoiceId);
      if (!inv) return;
      const admins = await deps.admins.list(await deps.clientFor(inv.teamId), inv.teamId);
      await dm(deps, inv.teamId, admins, overdueAdminDm(inv, e.step, e.round), `approval-overdue:${e.step.id}`);
    });
  const onRejected = (e: ApprovalNews['rejected'][0]) =>
    safe('rejection notice', async () => {
      const inv = await invoices.byId(e.invoiceId);
      if (!inv) return;
      await dm(deps, inv.teamId, recipients(inv), rejectedDm(inv, e.step), `approval-rejected:${e.step.id}`);
    });

  approvals.events.on('asked', onAsked);
  approvals.events.on('reminder', onReminder);
  approvals.events.on('overdue', onOverdue);
  approvals.events.on('rejected', onRejected);
  const timer = setInterval(() => safe('sweep', async () => void (await approvals.sweep())), APPROVAL_SWEEP_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    approvals.events.off('asked', onAsked);
    approvals.events.off('reminder', onReminder);
    approvals.events.off('overdue', onOverdue);
    approvals.events.off('rejected', onRejected);
  };
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
