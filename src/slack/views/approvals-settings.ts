import type { ApprovalRule } from '../../approvals/rules.ts';
import type { ReminderPolicy } from '../../approvals/reminders.ts';
import { esc, mrkdwn, option, plain, truncate } from './common.ts';
import { type SlackBlock, type SlackView, withMentions } from './approvals-card.ts';
import { SA } from './settings.ts';

/**
 * `/qbo settings` → *Approvals*: the rules in the order they are tried (each in plain words, with Move up / Move
 * down / Edit / Delete), *Add rule*, *Project approvers*, and the reminder periods. Pure views; names are resolved
 * by the caller.
 */

/** A submitted view's `state.values` (block id → action id → the element's state). */
// biome-ignore lint/suspicious/noExplicitAny: Slack's element states differ per element type
export type ViewValues = Record<string, Record<string, any>>;

export const APPROVALS_CALLBACK = 'approvals_settings';
export const RULE_CALLBACK = 'approval_rule';
export const PROJECT_APPROVERS_CALLBACK = 'approval_project_approvers';

export const AA = {
  open: SA.openApprovals,
  ruleMenu: 'approval_rule_menu',
  addRule: 'approval_add_rule',
  projectApprovers: 'approval_open_project_approvers',
  project: 'approval_rule_project',
  vendor: 'approval_rule_vendor',
  costCode: 'approval_rule_cost_code',
  amount: 'approval_rule_amount',
  currency: 'approval_rule_currency',
  approver: (n: number) => `approval_rule_approver_${n}`,
  projectStep: 'approval_rule_project_step',
  self: 'approval_rule_self',
  reminderHours: 'approval_reminder_hours',
  escalationHours: 'approval_escalation_hours',
  approversProject: 'approval_approvers_project',
  approversUsers: 'approval_approvers_users',
} as const;

/** Block ids are the action ids (one input per block), so the submission reads `values[id][id]`. */
export const MAX_RULES = 20;
export const MAX_NAMED_APPROVERS = 3;
export const CURRENCIES = ['USD', 'CAD', 'EUR', 'GBP', 'AUD', 'NZD', 'MXN', 'CHF'];

export const RULE_LABELS = {
  amount: 'Amount over',
  currency: 'Currency',
  project: 'Project',
  vendor: 'Vendor',
  costCode: 'Cost code',
  approver: ['First approver', 'Second approver', 'Third approver'],
  projectStep: "The project's approvers",
  self: 'Self-approval',
} as const;

export interface ApprovalsListState {
  rules: { id: number; text: string }[];
  policy: ReminderPolicy;
  notice?: string | null;
}

export function approvalsListView(s: ApprovalsListState): SlackView {
  const blocks: SlackBlock[] = [
    {
      type: 'section',
      block_id: 'approval_rules_intro',
      text: mrkdwn(
        s.rules.length
          ? 'Invoices that match a rule wait for approval before they go to QuickBooks. *The first rule that matches, top to bottom, applies*; an invoice matching none needs no approval.'
          : '*Approvals are off*: no rule yet. Add one to have invoices approved in their thread before they go to QuickBooks.',
      ),
    },
  ];
  if (s.notice) blocks.push({ type: 'context', block_id: 'approval_rules_notice', elements: [mrkdwn(s.notice)] });
  s.rules.slice(0, MAX_RULES).forEach((r, i) => {
    const items = [
      ...(i > 0 ? [option('Move up', `up:${r.id}`)] : []),
      ...(i < s.rules.length - 1 ? [option('Move down', `down:${r.id}`)] : []),
      option('Edit', `edit:${r.id}`),
      option('Delete', `delete:${r.id}`),
    ];
    blocks.push({
      type: 'section',
      block_id: `approval_rule_${r.id}`,
      text: mrkdwn(`*${i + 1}.* ${withMentions(truncate(r.text, 2900))}`),
      accessory: { type: 'overflow', action_id: AA.ruleMenu, options: items },
    });
  });
  const tools: SlackBlock[] = [];
  if (s.rules.length < MAX_RULES) tools.push({ type: 'button', action_id: AA.addRule, text: plain('Add rule'), value: 'add', style: 'primary' });
  tools.push({
    type: 'button',
    action_id: AA.projectApprovers,
    text: plain('Project approvers'),
    value: 'project_approvers',
  });
  blocks.push({ type: 'actions', block_id: 'approval_rules_tools', elements: tools });
  blocks.push({ type: 'divider' });
  blocks.push(
    hoursInput(
      AA.reminderHours,
      'Remind the approver after',
      s.policy.reminderHours,
      'Business hours (Monday to Friday) without a decision before the approver gets one reminder.',
    ),
  );
  blocks.push(
    hoursInput(
      AA.escalationHours,
      'Then tell the admins after',
      s.policy.escalationHours,
      'Business hours after the reminder before the admins are told.',
    ),
  );
  return {
    type: 'modal',
    callback_id: APPROVALS_CALLBACK,
    title: plain('Approvals', 24),
    submit: plain('Save', 24),
    close: plain('Back', 24),
    blocks,
  };
}

function hoursInput(id: string, label: string, value: number, hint: string): SlackBlock {
  return {
    type: 'input',
    block_id: id,
    label: plain(label),
    element: {
      type: 'number_input',
      is_decimal_allowed: false,
      action_id: id,
      min_value: '1',
      max_value: '720',
      initial_value: String(value),
    },
    hint: plain(hint),
  };
}

/** What the rule modal shows: the rule being edited (null: a new one), with names for its pickers. */
export interface RuleFormState {
  ruleId: number | null;
  rule: Omit<ApprovalRule, 'id'> | null;
  names: { project?: string | null; vendor?: string | null; costCode?: string | null };
  homeCurrency: string;
  /** The list view to refresh once the rule is saved. */
  listViewId: string;
}

const PROJECT_STEP = { none: 'none', first: 'first', last: 'last' } as const;

export function ruleModal(s: RuleFormState): SlackView {
  const blocks: SlackBlock[] = [...whenBlocks(s), ...whoBlocks(s.rule)];
  return {
    type: 'modal',
    callback_id: RULE_CALLBACK,
    private_metadata: JSON.stringify({ ruleId: s.ruleId, listViewId: s.listViewId }),
    title: plain(s.ruleId ? 'Edit approval rule' : 'New approval rule', 24),
    submit: plain('Save rule', 24),
    close: plain('Cancel', 24),
    blocks,
  };
}

/** The rule form's *When* inputs: amount over (and its currency), project, vendor, cost code. */
function whenBlocks(s: RuleFormState): SlackBlock[] {
  const r = s.rule;
  const currency = r?.when.amountOver?.currency ?? s.homeCurrency;
  const currencies = [...new Set([currency, ...CURRENCIES])].map((c) => option(c, c));
  const picker = (id: string, label: string, current: string | null | undefined, value: string | number | null | undefined, placeholder: string) => ({
    type: 'input',
    block_id: id,
    optional: true,
    label: plain(label),
    element: {
      type: 'external_select',
      action_id: id,
      min_query_length: 0,
      placeholder: plain(placeholder),
      ...(current && value != null ? { initial_option: option(truncate(current, 75), String(value)) } : {}),
    },
  });
  return [
    {
      type: 'section',
      text: mrkdwn('*When* — every condition you fill in must hold (none: every invoice). Amounts are the invoice total, in its own currency.'),
    },
    {
      type: 'input',
      block_id: AA.amount,
      optional: true,
      label: plain(RULE_LABELS.amount),
      element: {
        type: 'plain_text_input',
        action_id: AA.amount,
        placeholder: plain('e.g. 5,000'),
        ...(r?.when.amountOver ? { initial_value: (r.when.amountOver.cents / 100).toFixed(2) } : {}),
      },
    },
    {
      type: 'input',
      block_id: AA.currency,
      label: plain(RULE_LABELS.currency),
      element: { type: 'static_select', action_id: AA.currency, options: currencies, initial_option: currencies[0] },
    },
    picker(AA.project, RULE_LABELS.project, s.names.project, r?.when.projectProfileId, 'Any project'),
    picker(AA.vendor, RULE_LABELS.vendor, s.names.vendor, r?.when.vendorId, 'Any vendor'),
    picker(AA.costCode, RULE_LABELS.costCode, s.names.costCode, r?.when.costCodeProfileId, 'Any cost code'),
  ];
}

/** The rule form's *Who* inputs: the project's approvers (first, last or not), up to three people, self-approval. */
function whoBlocks(r: RuleFormState['rule']): SlackBlock[] {
  const named = (r?.approvers ?? []).flatMap((a) => ('user' in a ? [a.user] : []));
  const projectAt = r?.approvers.findIndex((a) => 'projectApprovers' in a) ?? -1;
  const projectStep = projectAt < 0 ? PROJECT_STEP.none : projectAt === 0 ? PROJECT_STEP.first : PROJECT_STEP.last;
  const stepOptions = [
    option('Not asked', PROJECT_STEP.none),
    option('First, before the people below', PROJECT_STEP.first),
    option('Last, after the people below', PROJECT_STEP.last),
  ];
  const selfOption = option('The person who submitted an invoice may approve it', 'allow');
  return [
    { type: 'section', text: mrkdwn('*Who* — approvers in order; each must approve before the next is asked.') },
    {
      type: 'input',
      block_id: AA.projectStep,
      label: plain(RULE_LABELS.projectStep),
      element: {
        type: 'static_select',
        action_id: AA.projectStep,
        options: stepOptions,
        initial_option: stepOptions.find((o) => o.value === projectStep),
      },
      hint: plain('Each project keeps its own approvers (Approvals → Project approvers). On a split invoice, each project on it is asked.'),
    },
    ...RULE_LABELS.approver.map((label, i) => ({
      type: 'input',
      block_id: AA.approver(i + 1),
      optional: true,
      label: plain(label),
      element: {
        type: 'users_select',
        action_id: AA.approver(i + 1),
        placeholder: plain('Choose a person'),
        ...(named[i] ? { initial_user: named[i] } : {}),
      },
    })),
    {
      type: 'input',
      block_id: AA.self,
      optional: true,
      label: plain(RULE_LABELS.self),
      element: {
        type: 'checkboxes',
        action_id: AA.self,
        options: [selfOption],
        ...(r?.allowSelfApproval ? { initial_options: [selfOption] } : {}),
      },
      hint: plain('Off: nobody approves an invoice they submitted; the next approver (or an admin) must.'),
    },
  ];
}

/** The rule the admin entered, or the errors to show on the fields (Slack's `response_action: errors`). */
export function readRuleForm(
  values: ViewValues | undefined,
  parseAmount: (t: string) => number | null,
): { ok: true; rule: Omit<ApprovalRule, 'id'> } | { ok: false; errors: Record<string, string> } {
  const v = values ?? {};
  const get = (id: string) => v[id]?.[id];
  const errors: Record<string, string> = {};
  const amountText = String(get(AA.amount)?.value ?? '').trim();
  const currency = String(get(AA.currency)?.selected_option?.value ?? 'USD');
  let amountOver: { cents: number; currency: string } | null = null;
  if (amountText) {
    const cents = parseAmount(amountText);
    if (cents == null) errors[AA.amount] = 'Enter an amount like 5,000 or 5000.00';
    else amountOver = { cents, currency };
  }
  const num = (x: unknown) => (x != null && /^\d{1,12}$/.test(String(x)) ? Number(x) : null);
  const project = num(get(AA.project)?.selected_option?.value);
  const costCode = num(get(AA.costCode)?.selected_option?.value);
  const vendor = get(AA.vendor)?.selected_option?.value ?? null;
  const users: string[] = [];
  for (let i = 1; i <= MAX_NAMED_APPROVERS; i++) {
    const u = get(AA.approver(i))?.selected_user;
    if (typeof u === 'string' && /^[UW][A-Z0-9]+$/.test(u)) {
      if (users.includes(u)) errors[AA.approver(i)] = 'This person is already a step';
      else users.push(u);
    }
  }
  const step = get(AA.projectStep)?.selected_option?.value ?? PROJECT_STEP.none;
  const approvers = users.map((user) => ({ user }) as { user: string } | { projectApprovers: true });
  if (step === PROJECT_STEP.first) approvers.unshift({ projectApprovers: true });
  if (step === PROJECT_STEP.last) approvers.push({ projectApprovers: true });
  if (!approvers.length) errors[AA.approver(1)] = "Choose at least one approver, or ask the project's approvers";
  if (Object.keys(errors).length) return { ok: false, errors };
  const allowSelfApproval = (get(AA.self)?.selected_options ?? []).some((o: { value?: string }) => o?.value === 'allow');
  return {
    ok: true,
    rule: {
      when: { amountOver, projectProfileId: project, vendorId: vendor, costCodeProfileId: costCode },
      approvers,
      allowSelfApproval,
    },
  };
}

export function readPolicy(
  values: ViewValues | undefined,
  parse: (t: string) => number | null,
): { ok: true; policy: ReminderPolicy } | { ok: false; errors: Record<string, string> } {
  const v = values ?? {};
  const r = parse(String(v[AA.reminderHours]?.[AA.reminderHours]?.value ?? ''));
  const e = parse(String(v[AA.escalationHours]?.[AA.escalationHours]?.value ?? ''));
  const errors: Record<string, string> = {};
  if (r == null) errors[AA.reminderHours] = 'Whole hours from 1 to 720';
  if (e == null) errors[AA.escalationHours] = 'Whole hours from 1 to 720';
  return r != null && e != null ? { ok: true, policy: { reminderHours: r, escalationHours: e } } : { ok: false, errors };
}

/** A project's approver set: pick the project, then the people (any one of them approves a project step). */
export function projectApproversModal(s: { project: { id: number; name: string } | null; users: string[]; listViewId: string }): SlackView {
  const blocks: SlackBlock[] = [
    {
      type: 'input',
      block_id: AA.approversProject,
      dispatch_action: true,
      label: plain(RULE_LABELS.project),
      element: {
        type: 'external_select',
        action_id: AA.approversProject,
        min_query_length: 0,
        placeholder: plain('Choose a project'),
        ...(s.project ? { initial_option: option(truncate(s.project.name, 75), String(s.project.id)) } : {}),
      },
    },
  ];
  if (s.project) {
    blocks.push({
      type: 'input',
      block_id: AA.approversUsers,
      optional: true,
      label: plain(`${truncate(s.project.name, 120)}'s approvers`),
      element: {
        type: 'multi_users_select',
        action_id: AA.approversUsers,
        max_selected_items: 20,
        placeholder: plain('People who approve this project'),
        ...(s.users.length ? { initial_users: s.users.slice(0, 20) } : {}),
      },
      hint: plain('Asked when a rule says "the project\'s approvers"; any one of them approves the step.'),
    });
  } else {
    blocks.push({ type: 'context', elements: [mrkdwn(esc('Choose a project to see and change who approves it.'))] });
  }
  return {
    type: 'modal',
    callback_id: PROJECT_APPROVERS_CALLBACK,
    private_metadata: JSON.stringify({ projectId: s.project?.id ?? null, listViewId: s.listViewId }),
    title: plain('Project approvers', 24),
    submit: plain('Save', 24),
    close: plain('Back', 24),
    blocks,
  };
}
