import type { App, BlockAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { tellClicker as tellIn } from './invoice-context.ts';
import type { SlackDeps } from '../../deps.ts';
import { APPROVAL_ACTION, parseApprovalValue, rejectModal } from '../../views/approvals-card.ts';
import { AA } from '../../views/approvals-settings.ts';
import { invoiceTitle } from '../../views/invoice-common.ts';
import { messageModal } from '../../views/invoice-review.ts';
import { refusalText } from '../../approvals.ts';
import { publishHome } from '../../settings-service.ts';
import { adminActor } from '../settings-guard.ts';
import { approvalsListFor, projectApproversFor, ruleFormFor } from '../../approvals-settings.ts';

/**
 * Approve / Reject (thread card, approver DM, App Home) and the Approvals settings buttons. Every decision is checked
 * again on the server (ApprovalService.decide): who clicked, which step, whether it is still waiting.
 */

/** A short private note to the person who clicked, where they clicked (a DM when that was a DM). */
export function tellClicker(deps: SlackDeps, client: WebClient, body: BlockAction, text: string) {
  return tellIn(deps, client, body, text, { dmInIm: true });
}

/** The value of the option chosen in a select or overflow menu. */
const selectedValue = (b: BlockAction): string | undefined =>
  (b.actions[0] as { selected_option?: { value?: string } } | undefined)?.selected_option?.value;

export function register(app: App, deps: SlackDeps) {
  const { engine } = deps;

  app.action(APPROVAL_ACTION.approve, async ({ ack, body, client, context }) => {
    await ack();
    const b = body as BlockAction;
    const teamId = b.team?.id ?? context.teamId!;
    const target = parseApprovalValue((b.actions[0] as { value?: string } | undefined)?.value);
    if (!target) return;
    const isAdmin = await deps.admins.isAdmin(client, teamId, b.user.id);
    const out = await engine.approvals.decide({
      teamId,
      ...target,
      userId: b.user.id,
      userName: b.user.name ?? null,
      approve: true,
      isAdmin,
    });
    if (!out.ok) {
      const pending = (await engine.approvals.store.currentRound(target.invoiceId)).find((s) => s.status === 'pending');
      return tellClicker(deps, client, b, `:no_entry: ${refusalText(out.why, pending?.label)}`);
    }
    if (b.view?.type === 'home')
      await publishHome(deps, client, teamId, b.user.id).catch((err) => deps.log.warn('home refresh failed', { error: err }));
    else if (b.container?.channel_id?.startsWith('D'))
      await tellClicker(
        deps,
        client,
        b,
        out.done ? ':white_check_mark: Approved — that was the last step.' : ':white_check_mark: Approved — the next approver has been asked.',
      );
  });

  // Reject asks why first (a modal); the decision is taken, and checked, when the reason is submitted.
  app.action(APPROVAL_ACTION.reject, async ({ ack, body, client, context }) => {
    await ack();
    const b = body as BlockAction;
    const teamId = b.team?.id ?? context.teamId!;
    const target = parseApprovalValue((b.actions[0] as { value?: string } | undefined)?.value);
    const inv = target ? await engine.invoices.get(teamId, target.invoiceId) : null;
    const view = inv && target ? rejectModal(inv.id, target.stepId, invoiceTitle(inv)) : messageModal('Invoice', 'This invoice no longer exists.');
    await client.views.open({ trigger_id: b.trigger_id, view });
  });

  registerSettings(app, deps);
}

/** The Approvals settings buttons (admin-checked on every click). */
function registerSettings(app: App, deps: SlackDeps) {
  const { engine } = deps;
  app.action(AA.open, async ({ ack, body, client, context }) => {
    await ack();
    const a = await adminActor(deps, client, body, context, AA.open);
    if (!a) return;
    await client.views.push({
      trigger_id: (body as BlockAction).trigger_id,
      view: await approvalsListFor(deps, a.teamId),
    });
  });

  app.action(AA.addRule, async ({ ack, body, client, context }) => {
    await ack();
    const a = await adminActor(deps, client, body, context, AA.addRule);
    if (!a) return;
    await client.views.push({
      trigger_id: (body as BlockAction).trigger_id,
      view: await ruleFormFor(deps, a.teamId, null, (body as BlockAction).view?.id ?? ''),
    });
  });

  app.action(AA.projectApprovers, async ({ ack, body, client, context }) => {
    await ack();
    const a = await adminActor(deps, client, body, context, AA.projectApprovers);
    if (!a) return;
    await client.views.push({
      trigger_id: (body as BlockAction).trigger_id,
      view: await projectApproversFor(deps, a.teamId, null, (body as BlockAction).view?.id ?? ''),
    });
  });

  // Choosing the project shows (and lets the admin change) its approvers.
  app.action(AA.approversProject, async ({ ack, body, client, context }) => {
    await ack();
    const a = await adminActor(deps, client, body, context, AA.approversProject);
    const view = (body as BlockAction).view;
    if (!a || !view) return;
    const listViewId = JSON.parse(view.private_metadata || '{}').listViewId ?? '';
    const projectId = Number(selectedValue(body as BlockAction));
    await client.views.update({
      view_id: view.id,
      hash: view.hash,
      view: await projectApproversFor(deps, a.teamId, Number.isInteger(projectId) ? projectId : null, listViewId),
    });
  });

  // A rule's menu: move up / down (the order rules are tried in), edit, delete.
  app.action(AA.ruleMenu, async ({ ack, body, client, context }) => {
    await ack();
    const a = await adminActor(deps, client, body, context, AA.ruleMenu);
    const view = (body as BlockAction).view;
    if (!a || !view) return;
    const [what, idText] = String(selectedValue(body as BlockAction) ?? '').split(':');
    const id = Number(idText);
    if (!Number.isInteger(id)) return;
    const { store } = engine.approvals;
    if (what === 'edit') {
      const rule = await store.rule(a.teamId, id);
      if (rule)
        await client.views.push({
          trigger_id: (body as BlockAction).trigger_id,
          view: await ruleFormFor(deps, a.teamId, rule, view.id),
        });
      return;
    }
    let notice: string | null = null;
    if (what === 'up' || what === 'down') await store.moveRule(a.teamId, id, what === 'up' ? -1 : 1);
    if (what === 'delete' && (await store.deleteRule(a.teamId, id)))
      notice = ':wastebasket: Rule deleted. Invoices already waiting keep the approvers they were given.';
    deps.log.info('approval rule changed', { teamId: a.teamId, userId: a.userId, what, ruleId: id });
    await client.views.update({ view_id: view.id, view: await approvalsListFor(deps, a.teamId, notice) });
  });
}
