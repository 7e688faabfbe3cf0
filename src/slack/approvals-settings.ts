import type { SlackDeps } from './deps.ts';
import type { ApprovalRule } from '../approvals/rules.ts';
import type { SlackView } from './views/approvals-card.ts';
import { approvalsListView, projectApproversModal, ruleModal } from './views/approvals-settings.ts';

/** Builds the Approvals settings views from the workspace's data (the views themselves are pure). */

export async function approvalsListFor(deps: SlackDeps, teamId: string, notice?: string | null): Promise<SlackView> {
  const { approvals } = deps.engine;
  const rules = await approvals.describedRules(teamId);
  return approvalsListView({
    rules: rules.map((r) => ({ id: r.rule.id, text: r.text })),
    policy: await approvals.store.policy(teamId),
    notice,
  });
}

export async function ruleFormFor(deps: SlackDeps, teamId: string, rule: ApprovalRule | null, listViewId: string): Promise<SlackView> {
  const { store, lists } = deps.engine;
  const w = rule?.when ?? {};
  return ruleModal({
    ruleId: rule?.id ?? null,
    rule,
    names: {
      project: w.projectProfileId != null ? (await store.profiles.get(teamId, w.projectProfileId))?.name : null,
      costCode: w.costCodeProfileId != null ? (await store.profiles.get(teamId, w.costCodeProfileId))?.name : null,
      vendor: w.vendorId != null ? (await lists.get(teamId, 'Vendor', w.vendorId))?.name : null,
    },
    homeCurrency: 'USD',
    listViewId,
  });
}

export async function projectApproversFor(deps: SlackDeps, teamId: string, projectId: number | null, listViewId: string): Promise<SlackView> {
  const p = projectId != null ? await deps.engine.store.profiles.get(teamId, projectId) : null;
  const project = p?.kind === 'project' ? { id: p.id, name: p.name } : null;
  const users = project ? ((await deps.engine.approvals.store.projectApprovers(teamId, [project.id])).get(project.id) ?? []) : [];
  return projectApproversModal({ project, users, listViewId });
}
