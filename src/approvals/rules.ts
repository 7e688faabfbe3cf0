/**
 * Approval rules, as plain data (no Slack, no database). A rule says *when* it applies (every condition it names must
 * hold; none named = every invoice) and *who* approves, step by step. The first rule that matches, in the order the
 * admins set, applies; no rule matching means the invoice needs no approval.
 *
 * Split invoices: amounts are always the invoice's total (never one line's), and a project or cost-code condition
 * holds when any line carries that project or cost code — a rule never silently skips an invoice because the
 * matching project is on its second line.
 */

export interface RuleWhen {
  /** Applies when the invoice's total is strictly over this amount, in this currency (invoices in another currency don't match). */
  amountOver?: { cents: number; currency: string } | null;
  projectProfileId?: number | null;
  vendorId?: string | null;
  costCodeProfileId?: number | null;
}

/** One step: a named Slack user, or the approver set on the invoice's project(s) (any one of them approves the step). */
export type ApproverRef = { user: string } | { projectApprovers: true };

export interface ApprovalRule {
  id: number;
  when: RuleWhen;
  approvers: ApproverRef[];
  /** Whether the person who submitted the invoice may approve it themselves. Off unless the admin allows it. */
  allowSelfApproval: boolean;
}

/** What a rule is checked against: the invoice's total and every project / cost code on it (header and lines). */
export interface ApprovalSubject {
  totalCents: number | null;
  currency: string;
  vendorId: string | null;
  projectProfileIds: number[];
  costCodeProfileIds: number[];
}

/** One step to approve, resolved to people: any one of `userIds` approves it. */
export interface ResolvedStep {
  userIds: string[];
  /** How the step reads: "@pm", or "Oak Street's approvers". */
  label: string;
  /** The project whose approver set the step came from, if it did. */
  projectProfileId: number | null;
}

export type RulePlan =
  | { needed: false }
  | { needed: true; rule: ApprovalRule; steps: ResolvedStep[] }
  /** A rule matched but names no one who can approve (an empty project approver set): admins must fix the rule. */
  | { needed: true; rule: ApprovalRule; steps: []; problem: string };

export function ruleMatches(rule: ApprovalRule, s: ApprovalSubject): boolean {
  const w = rule.when;
  if (w.amountOver) {
    if (s.totalCents == null || s.currency.toUpperCase() !== w.amountOver.currency.toUpperCase()) return false;
    if (!(s.totalCents > w.amountOver.cents)) return false;
  }
  if (w.projectProfileId != null && !s.projectProfileIds.includes(w.projectProfileId)) return false;
  if (w.vendorId != null && s.vendorId !== w.vendorId) return false;
  if (w.costCodeProfileId != null && !s.costCodeProfileIds.includes(w.costCodeProfileId)) return false;
  return true;
}

/** The first rule, in order, that applies to the invoice. */
export function firstMatchingRule(rules: ApprovalRule[], s: ApprovalSubject): ApprovalRule | null {
  return rules.find((r) => ruleMatches(r, s)) ?? null;
}

export interface Names {
  project(id: number): string;
  vendor(id: string): string;
  costCode(id: number): string;
  currency?: string;
}

/**
 * The approval an invoice needs: the first matching rule's steps, resolved to people. A project-approvers step
 * becomes one step per project it concerns (the rule's project, else every project on the invoice), each approved
 * by any one of that project's approvers.
 */
export function planApproval(
  rules: ApprovalRule[],
  s: ApprovalSubject,
  approversOf: (projectId: number) => string[],
  names: Pick<Names, 'project'>,
): RulePlan {
  const rule = firstMatchingRule(rules, s);
  if (!rule) return { needed: false };
  const steps: ResolvedStep[] = [];
  for (const a of rule.approvers) {
    if ('user' in a) {
      steps.push({ userIds: [a.user], label: `<@${a.user}>`, projectProfileId: null });
      continue;
    }
    const projects = rule.when.projectProfileId != null ? [rule.when.projectProfileId] : [...new Set(s.projectProfileIds)];
    for (const p of projects) {
      const users = [...new Set(approversOf(p))];
      if (!users.length) return { needed: true, rule, steps: [], problem: `${names.project(p)} has no approvers set` };
      steps.push({ userIds: users, label: `${names.project(p)}'s approvers`, projectProfileId: p });
    }
    if (!projects.length)
      return {
        needed: true,
        rule,
        steps: [],
        problem: "the rule asks for the project's approvers, but the invoice has no project",
      };
  }
  if (!steps.length) return { needed: true, rule, steps: [], problem: 'the rule names no approver' };
  return { needed: true, rule, steps };
}

/** "Over $5,000 on Oak Street → @pm, then @controller" (mentions as Slack's `<@U…>`, which Slack shows as names). */
export function describeRule(rule: ApprovalRule, names: Names): string {
  const project = rule.when.projectProfileId != null ? names.project(rule.when.projectProfileId) : null;
  return `${describeWhen(rule.when, names)} → ${describeWho(rule.approvers, project)}${rule.allowSelfApproval ? ' (submitters may approve their own)' : ''}`;
}

export function describeWhen(w: RuleWhen, names: Names): string {
  const parts: string[] = [];
  if (w.amountOver) parts.push(`Over ${wholeMoney(w.amountOver.cents, w.amountOver.currency)}`);
  if (w.projectProfileId != null) parts.push(`on ${names.project(w.projectProfileId)}`);
  if (w.vendorId != null) parts.push(`from ${names.vendor(w.vendorId)}`);
  if (w.costCodeProfileId != null) parts.push(`coded ${names.costCode(w.costCodeProfileId)}`);
  if (!parts.length) return 'Every invoice';
  const text = parts.join(' ');
  return w.amountOver ? text : `Invoices ${text}`;
}

/** "@pm, then @controller"; a project-approvers step names the rule's project when it has one. */
export function describeWho(approvers: ApproverRef[], projectName?: string | null): string {
  const who = approvers.map((a) => ('user' in a ? `<@${a.user}>` : projectName ? `${projectName}'s approvers` : "the project's approvers"));
  if (!who.length) return 'nobody (add an approver)';
  return who.join(', then ');
}

/** "$5,000" (cents only when there are any): thresholds read as people type them. */
export function wholeMoney(cents: number, currency: string): string {
  const digits = cents % 100 === 0 ? 0 : 2;
  try {
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(digits)} ${currency}`;
  }
}

/** Validates a rule an admin entered; returns what is wrong in plain words per field, or null. */
export function ruleProblems(r: Omit<ApprovalRule, 'id'>): Partial<Record<'amount' | 'approvers', string>> | null {
  const out: Partial<Record<'amount' | 'approvers', string>> = {};
  if (r.when.amountOver && (!Number.isInteger(r.when.amountOver.cents) || r.when.amountOver.cents < 0))
    out.amount = 'Enter an amount of zero or more, like 5000 or 5,000.00';
  if (!r.approvers.length) out.approvers = 'Choose at least one approver, or the project’s approvers';
  const users = r.approvers.flatMap((a) => ('user' in a ? [a.user] : []));
  if (new Set(users).size !== users.length) out.approvers = 'Each person can be one step only';
  return Object.keys(out).length ? out : null;
}

/** "5,000", "$5,000.50", "5000" → cents; null when it is not an amount. */
export function parseThreshold(text: string): number | null {
  const t = text.replace(/[\s$€£,]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return null;
  return Math.round(Number(t) * 100);
}
