import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.ts';
import { MAX_REASON, parseApprovalValue, REJECT_BLOCK, REJECT_CALLBACK, REJECT_INPUT } from '../../views/approvals-card.ts';
import {
  AA,
  APPROVALS_CALLBACK,
  PROJECT_APPROVERS_CALLBACK,
  readPolicy,
  readRuleForm,
  RULE_CALLBACK,
  type ViewValues,
} from '../../views/approvals-settings.ts';
import { parseThreshold, ruleProblems } from '../../../approvals/rules.ts';
import { parsePeriodHours } from '../../../approvals/reminders.ts';
import { refusalText } from '../../approvals.ts';
import { approvalsListFor } from '../../approvals-settings.ts';
import { adminWithin, beforeDeadline } from './admin-deadline.ts';
import { ADMIN_CHECK_LATE } from '../../copy/settings.ts';

/** The reject-reason modal and the Approvals settings modals (admin-checked on every submission). */
export function register(app: App, deps: SlackDeps) {
  const { engine } = deps;

  app.view(REJECT_CALLBACK, async ({ ack, body, view, client, context }) => {
    const teamId = body.team?.id ?? context.teamId!;
    const target = parseApprovalValue(view.private_metadata);
    const reason = String(view.state.values[REJECT_BLOCK]?.[REJECT_INPUT]?.value ?? '').slice(0, MAX_REASON);
    if (!target) return void (await ack());
    // Slack slow to say whether they are an admin: decided as a non-admin (the named approver needs no admin check);
    // only a "not the approver" refusal, which an admin would not get, becomes "try again".
    const admin = await beforeDeadline(deps, REJECT_CALLBACK, { teamId, userId: body.user.id }, deps.admins.isAdmin(client, teamId, body.user.id));
    const isAdmin = admin === true;
    const out = await engine.approvals.decide({
      teamId,
      ...target,
      userId: body.user.id,
      userName: body.user.name ?? null,
      approve: false,
      reason,
      isAdmin,
    });
    if (out.ok) return void (await ack());
    if (admin === 'late' && out.why === 'not_approver')
      return void (await ack({ response_action: 'errors', errors: { [REJECT_BLOCK]: ADMIN_CHECK_LATE } }));
    const pending = (await engine.approvals.store.currentRound(target.invoiceId)).find((s) => s.status === 'pending');
    await ack({
      response_action: 'errors',
      errors: {
        [REJECT_BLOCK]: refusalText(out.why, pending?.label?.replace(/<@([A-Z0-9]+)>/g, 'the named approver')),
      },
    });
  });

  registerSettings(app, deps);
}

/** The Approvals settings modals: a rule, a project's approvers, the reminder periods. */
function registerSettings(app: App, deps: SlackDeps) {
  const { engine } = deps;
  app.view(RULE_CALLBACK, async ({ ack, body, view, client, context }) => {
    const a = await adminWithin(deps, client, body, context, RULE_CALLBACK);
    if (a === 'late') return void (await ack({ response_action: 'errors', errors: { [AA.approver(1)]: ADMIN_CHECK_LATE } }));
    if (!a)
      return void (await ack({
        response_action: 'errors',
        errors: { [AA.approver(1)]: 'Only QuickBooks admins can change approval rules.' },
      }));
    const form = readRuleForm(view.state.values as ViewValues, parseThreshold);
    if (!form.ok) return void (await ack({ response_action: 'errors', errors: form.errors }));
    const problems = ruleProblems(form.rule);
    if (problems)
      return void (await ack({
        response_action: 'errors',
        errors: {
          ...(problems.amount ? { [AA.amount]: problems.amount } : {}),
          ...(problems.approvers ? { [AA.approver(1)]: problems.approvers } : {}),
        },
      }));
    const meta = JSON.parse(view.private_metadata || '{}') as { ruleId: number | null; listViewId?: string };
    await ack();
    const { store } = engine.approvals;
    if (meta.ruleId) await store.updateRule(a.teamId, meta.ruleId, form.rule);
    else await store.addRule(a.teamId, form.rule, a.userId);
    deps.log.info('approval rule saved', { teamId: a.teamId, userId: a.userId, ruleId: meta.ruleId });
    if (meta.listViewId)
      await client.views.update({
        view_id: meta.listViewId,
        view: await approvalsListFor(deps, a.teamId, ':white_check_mark: Rule saved. It applies to invoices submitted from now on.'),
      });
  });

  app.view(PROJECT_APPROVERS_CALLBACK, async ({ ack, body, view, client, context }) => {
    const a = await adminWithin(deps, client, body, context, PROJECT_APPROVERS_CALLBACK);
    if (a === 'late') return void (await ack({ response_action: 'errors', errors: { [AA.approversProject]: ADMIN_CHECK_LATE } }));
    if (!a)
      return void (await ack({
        response_action: 'errors',
        errors: { [AA.approversProject]: 'Only QuickBooks admins can change approvers.' },
      }));
    const meta = JSON.parse(view.private_metadata || '{}') as { projectId: number | null; listViewId?: string };
    const chosen = Number(view.state.values[AA.approversProject]?.[AA.approversProject]?.selected_option?.value ?? meta.projectId);
    if (!Number.isInteger(chosen)) return void (await ack({ response_action: 'errors', errors: { [AA.approversProject]: 'Choose a project' } }));
    const users = (view.state.values[AA.approversUsers]?.[AA.approversUsers]?.selected_users ?? []).filter(
      (u: unknown) => typeof u === 'string' && /^[UW][A-Z0-9]+$/.test(u),
    );
    if (!(await engine.approvals.store.setProjectApprovers(a.teamId, chosen, users)))
      return void (await ack({
        response_action: 'errors',
        errors: { [AA.approversProject]: 'That project no longer exists' },
      }));
    await ack();
    if (meta.listViewId)
      await client.views.update({
        view_id: meta.listViewId,
        view: await approvalsListFor(deps, a.teamId, ':white_check_mark: Project approvers saved.'),
      });
  });

  app.view(APPROVALS_CALLBACK, async ({ ack, body, view, client, context }) => {
    const a = await adminWithin(deps, client, body, context, APPROVALS_CALLBACK);
    if (a === 'late') return void (await ack({ response_action: 'errors', errors: { [AA.reminderHours]: ADMIN_CHECK_LATE } }));
    if (!a)
      return void (await ack({
        response_action: 'errors',
        errors: { [AA.reminderHours]: 'Only QuickBooks admins can change approvals.' },
      }));
    const read = readPolicy(view.state.values as ViewValues, parsePeriodHours);
    if (!read.ok) return void (await ack({ response_action: 'errors', errors: read.errors }));
    await engine.approvals.store.setPolicy(a.teamId, read.policy, a.userId);
    await ack();
  });
}
