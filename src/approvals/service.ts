import { EventEmitter } from 'node:events';
import type { Invoice } from '../invoices/service.ts';
import type { InvoiceStatus } from '../store/index.ts';
import type { ApprovalStep, ApprovalStore } from '../store/approvals.ts';
import { describeRule, planApproval, type ApprovalRule, type ApprovalSubject, type Names } from './rules.ts';
import { reminderDue } from './reminders.ts';

/**
 * Approvals as a use case (no Slack): whether a submitted invoice must wait for approval (the gate the sync engine
 * calls before `ready`), each approver's decision re-checked on the server, the PrivateNote summary, App Home's list
 * and the reminder sweep. What people must be told is emitted as events; the Slack side renders and sends it.
 */

/** The invoice side this needs (the invoice store's calls, awaited whether they are sync or async). */
export interface InvoiceAccess {
  byId(id: number): Invoice | null | Promise<Invoice | null>;
  transition(id: number, to: InvoiceStatus, p: { actor: string; reason?: string | null; patch?: Partial<Invoice> }): unknown;
}

export interface NameLookup {
  project(teamId: string, id: number): string | null | Promise<string | null>;
  vendor(teamId: string, id: string): string | null | Promise<string | null>;
  costCode(teamId: string, id: number): string | null | Promise<string | null>;
}

export type GateResult = { proceed: true } | { proceed: false; waiting: boolean; reason: string };

export interface Decision {
  teamId: string;
  invoiceId: number;
  stepId: number;
  userId: string;
  userName?: string | null;
  approve: boolean;
  reason?: string | null;
  /** The clicker is a workspace admin (checked by the caller against Slack): may decide any step, as an override. */
  isAdmin: boolean;
}

export type Refusal = 'not_found' | 'not_waiting' | 'stale' | 'not_approver' | 'own_invoice' | 'reason_required';
export type DecisionOutcome =
  | { ok: true; approved: boolean; done: boolean; override: boolean; round: ApprovalStep[]; step: ApprovalStep }
  | { ok: false; why: Refusal };

export interface ApprovalNews {
  /** A step became the one waiting: its approvers are asked (one DM each). */
  asked: [{ invoiceId: number; step: ApprovalStep; round: ApprovalStep[] }];
  /** An approver has not acted within the reminder period (sent once). */
  reminder: [{ invoiceId: number; step: ApprovalStep; round: ApprovalStep[] }];
  /** Still nothing after the reminder: the admins are told (once). */
  overdue: [{ invoiceId: number; step: ApprovalStep; round: ApprovalStep[] }];
  /** An approver rejected it: the submitter hears why. */
  rejected: [{ invoiceId: number; step: ApprovalStep }];
}

/** Something people must be told about a step, as plain data (the Slack side words it): a row of the outbox. */
export interface ApprovalNotice {
  kind: keyof ApprovalNews;
  teamId: string;
  invoiceId: number;
  stepId: number;
}

/** One transaction's view: the approval store, the invoice side and the outbox, all bound to it. */
export interface ApprovalTx {
  store: ApprovalStore;
  invoices: InvoiceAccess;
  /** Writes notices into the outbox in this transaction: they are delivered once it committed, even after a crash. */
  tell(notices: ApprovalNotice[]): Promise<unknown>;
}

/** How a transaction's work names a notice (and the event heard once it committed). */
type Tell = (n: Omit<ApprovalNotice, 'teamId'>, e: ApprovalNews[keyof ApprovalNews][0]) => void;

export class ApprovalService {
  readonly events = new EventEmitter<ApprovalNews>();
  /** Set by the engine: what a fully approved invoice does next (the sync engine's submit: ready, then sync if Auto-sync). */
  onApproved: (invoiceId: number, actor: string) => unknown = () => undefined;

  constructor(
    private readonly deps: {
      store: ApprovalStore;
      invoices: InvoiceAccess;
      names: NameLookup;
      /** Each line's project and cost code, for split invoices (none: the invoice's own fields only). */
      linesOf?: (invoiceId: number) => Promise<{ projectProfileId: number | null; costCodeProfileId: number | null }[]>;
      now?: () => number;
      /**
       * Runs fn in one transaction (the engine: store.tx with the outbox), so a decision, its status change and the
       * DMs it calls for commit together. Without it (unit tests) fn runs on the plain store and nothing is written.
       */
      tx?: <T>(fn: (t: ApprovalTx) => Promise<T>) => Promise<T>;
    },
  ) {}

  /**
   * fn in one transaction; the notices it gives `tell` are written there and, once it committed, heard as events.
   * (A Postgres transaction that lost a race runs again: only the committed attempt's notices count.)
   */
  private async inTx<T>(fn: (t: ApprovalTx, tell: Tell) => Promise<T>, teamId: string): Promise<T> {
    let heard: [ApprovalNotice, ApprovalNews[keyof ApprovalNews][0]][] = [];
    const run = this.deps.tx ?? ((f) => f({ store: this.deps.store, invoices: this.deps.invoices, tell: async () => undefined }));
    const out = await run(async (t) => {
      heard = [];
      const result = await fn(t, (n, e) => void heard.push([{ ...n, teamId }, e]));
      if (heard.length) await t.tell(heard.map(([n]) => n));
      return result;
    });
    for (const [n, e] of heard) this.events.emit(n.kind, e as never);
    return out;
  }

  get store(): ApprovalStore {
    return this.deps.store;
  }

  private now() {
    return this.deps.now?.() ?? Date.now();
  }

  async subject(inv: Invoice): Promise<ApprovalSubject> {
    const lines = (await this.deps.linesOf?.(inv.id)) ?? [];
    const ids = (xs: (number | null | undefined)[]) => [...new Set(xs.filter((x): x is number => x != null))];
    return {
      totalCents: inv.amountCents,
      currency: inv.currency && /^[A-Za-z]{3}$/.test(inv.currency) ? inv.currency.toUpperCase() : 'USD',
      vendorId: inv.vendorId,
      projectProfileIds: ids([inv.projectProfileId, ...lines.map((l) => l.projectProfileId)]),
      costCodeProfileIds: ids([inv.costCodeProfileId, ...lines.map((l) => l.costCodeProfileId)]),
    };
  }

  /** Names for a workspace's rules, resolved up front (the pure describers take plain functions). */
  async names(teamId: string, rules: ApprovalRule[], extraProjects: number[] = []): Promise<Names> {
    const projects = new Map<number, string>();
    const vendors = new Map<string, string>();
    const costCodes = new Map<number, string>();
    for (const p of new Set([...rules.map((r) => r.when.projectProfileId), ...extraProjects]))
      if (p != null) projects.set(p, (await this.deps.names.project(teamId, p)) ?? `project #${p}`);
    for (const r of rules) {
      const { vendorId: v, costCodeProfileId: c } = r.when;
      if (v != null && !vendors.has(v)) vendors.set(v, (await this.deps.names.vendor(teamId, v)) ?? `vendor #${v}`);
      if (c != null && !costCodes.has(c)) costCodes.set(c, (await this.deps.names.costCode(teamId, c)) ?? `cost code #${c}`);
    }
    return {
      project: (id) => projects.get(id) ?? `project #${id}`,
      vendor: (id) => vendors.get(id) ?? id,
      costCode: (id) => costCodes.get(id) ?? `cost code #${id}`,
    };
  }

  /** Every rule in order, in plain words. */
  async describedRules(teamId: string): Promise<{ rule: ApprovalRule; text: string }[]> {
    const rules = await this.deps.store.rules(teamId);
    const names = await this.names(teamId, rules);
    return rules.map((rule) => ({ rule, text: describeRule(rule, names) }));
  }

  /**
   * Called when an invoice is submitted (and before any sync attempt). Proceeds when no rule applies or the current
   * revision is fully approved; otherwise the invoice waits as `awaiting_approval` — a new round when there is none
   * for this revision (first submission, after a rejection, after an edit), the open one kept on a repeated submit.
   */
  async gate(inv: Invoice, actor: string): Promise<GateResult> {
    const { store } = this.deps;
    const round = await store.currentRound(inv.id);
    const live = round.filter((s) => s.status !== 'void');
    const sameRevision = live.length > 0 && live[0].revision === inv.revision;
    if (sameRevision && live.every((s) => s.status === 'approved')) return { proceed: true };
    if (sameRevision && inv.status === 'awaiting_approval' && live.some((s) => s.status === 'pending'))
      return { proceed: false, waiting: true, reason: 'already waiting for approval' };

    const rules = await store.rules(inv.teamId);
    if (!rules.length) return { proceed: true };
    const subject = await this.subject(inv);
    const approvers = await store.projectApprovers(inv.teamId, subject.projectProfileIds);
    const names = await this.names(inv.teamId, rules, subject.projectProfileIds);
    const plan = planApproval(rules, subject, (p) => approvers.get(p) ?? [], names);
    if (!plan.needed) {
      if (live.length) await store.voidOpen(inv.id);
      return { proceed: true };
    }
    const ruleText = describeRule(plan.rule, names);
    if ('problem' in plan) {
      await store.voidOpen(inv.id);
      return { proceed: false, waiting: false, reason: `An approval rule applies (${ruleText}), but ${plan.problem}` };
    }
    await this.inTx(async (t, tell) => {
      const steps = await t.store.startRound({
        teamId: inv.teamId,
        invoiceId: inv.id,
        revision: inv.revision,
        rule: plan.rule,
        ruleText,
        steps: plan.steps,
        now: this.now(),
      });
      await t.invoices.transition(inv.id, 'awaiting_approval', {
        actor,
        reason: `awaiting approval: ${ruleText}`,
        patch: { blockCause: null, reason: { code: 'awaiting_approval', params: { rule: ruleText } } },
      });
      tell({ kind: 'asked', invoiceId: inv.id, stepId: steps[0].id }, { invoiceId: inv.id, step: steps[0], round: steps });
    }, inv.teamId);
    return { proceed: false, waiting: true, reason: ruleText };
  }

  /** Who may decide the step now, checked on the server at every click. */
  check(inv: Invoice | null, round: ApprovalStep[], d: Decision): { ok: true; step: ApprovalStep; override: boolean } | { ok: false; why: Refusal } {
    if (!inv || inv.teamId !== d.teamId) return { ok: false, why: 'not_found' };
    if (inv.status !== 'awaiting_approval') return { ok: false, why: 'not_waiting' };
    const step = round.find((s) => s.status === 'pending');
    if (!step || step.id !== d.stepId || step.revision !== inv.revision) return { ok: false, why: 'stale' };
    const named = step.approverUserIds.includes(d.userId);
    if (!named && !d.isAdmin) return { ok: false, why: 'not_approver' };
    // Nobody approves what they submitted unless the rule allows it — admins included. Rejecting is always allowed.
    if (d.approve && inv.submittedBy === d.userId && !step.allowSelfApproval) return { ok: false, why: 'own_invoice' };
    if (!d.approve && !d.reason?.trim()) return { ok: false, why: 'reason_required' };
    return { ok: true, step, override: !named };
  }

  /**
   * A decision, checked on the server; the step, the invoice's status and the DMs it calls for (the next approver
   * asked, or the submitter told of a rejection) commit in one transaction. A fully approved invoice moves on after.
   */
  async decide(d: Decision): Promise<DecisionOutcome> {
    const inv = await this.deps.invoices.byId(d.invoiceId);
    const round = inv ? await this.deps.store.currentRound(inv.id) : [];
    const checked = this.check(inv, round, d);
    if (!checked.ok) return checked;
    const out = await this.inTx((t, tell) => this.record(t, tell, d, checked), d.teamId);
    if (out.ok && out.approved && out.done) await this.onApproved(d.invoiceId, d.userId);
    return out;
  }

  private async record(t: ApprovalTx, tell: Tell, d: Decision, checked: { step: ApprovalStep; override: boolean }): Promise<DecisionOutcome> {
    const reason = d.reason?.trim().slice(0, 500) || null;
    const after = await t.store.decide(checked.step.id, {
      approve: d.approve,
      by: d.userId,
      byName: d.userName ?? null,
      override: checked.override,
      reason,
      now: this.now(),
    });
    if (!after) return { ok: false, why: 'stale' }; // someone else decided it a moment ago
    const step = after.find((s) => s.id === checked.step.id)!;
    const override = checked.override ? ' (admin override)' : '';
    const decided = { ok: true as const, override: checked.override, round: after, step };
    if (!d.approve) {
      await t.invoices.transition(d.invoiceId, 'needs_input', {
        actor: d.userId,
        reason: `rejected${override}: ${reason}`,
        patch: { reason: { code: 'approval_rejected', params: { by: d.userId, reason: reason ?? '', override: checked.override } } },
      });
      tell({ kind: 'rejected', invoiceId: d.invoiceId, stepId: step.id }, { invoiceId: d.invoiceId, step });
      return { ...decided, approved: false, done: true };
    }
    const next = after.find((s) => s.status === 'pending');
    await t.invoices.transition(d.invoiceId, 'awaiting_approval', {
      actor: d.userId,
      reason: `approved${override} (step ${step.position} of ${after.length})`,
      patch: {
        reason: {
          code: 'approval_step',
          params: { by: d.userId, step: step.position, of: after.length, override: checked.override, next: next?.label ?? null },
        },
      },
    });
    if (next) tell({ kind: 'asked', invoiceId: d.invoiceId, stepId: next.id }, { invoiceId: d.invoiceId, step: next, round: after });
    return { ...decided, approved: true, done: !next };
  }

  /** "Approved by Pat 2026-03-04, Chris 2026-03-05" for the QBO transaction, when the current revision is approved. */
  async privateNote(inv: Invoice): Promise<string | null> {
    const live = (await this.deps.store.currentRound(inv.id)).filter((s) => s.status !== 'void');
    if (!live.length || live[0].revision !== inv.revision || !live.every((s) => s.status === 'approved')) return null;
    return approvalNote(live);
  }

  /** App Home: what waits on this person (as a named approver). */
  async waitingFor(teamId: string, userId: string): Promise<{ inv: Invoice; step: ApprovalStep }[]> {
    const out: { inv: Invoice; step: ApprovalStep }[] = [];
    for (const step of await this.deps.store.pending(teamId)) {
      if (!step.approverUserIds.includes(userId)) continue;
      const inv = await this.deps.invoices.byId(step.invoiceId);
      if (inv?.status === 'awaiting_approval' && inv.revision === step.revision) out.push({ inv, step });
    }
    return out;
  }

  /** Sends what is due: each waiting approver's one reminder, then the admins' one notice. Safe to run anywhere, often. */
  async sweep(now = this.now()): Promise<{ reminded: number; overdue: number }> {
    let reminded = 0;
    let overdue = 0;
    const policies = new Map<string, Awaited<ReturnType<ApprovalStore['policy']>>>();
    for (const step of await this.deps.store.pending()) {
      if (step.activatedAt == null) continue;
      let policy = policies.get(step.teamId);
      if (!policy) policies.set(step.teamId, (policy = await this.deps.store.policy(step.teamId)));
      const due = reminderDue({ activatedAt: step.activatedAt, remindedAt: step.remindedAt, escalatedAt: step.escalatedAt }, now, policy);
      if (due.kind === 'none') continue;
      const inv = await this.deps.invoices.byId(step.invoiceId);
      if (inv?.status !== 'awaiting_approval') continue;
      const kind = due.kind === 'remind' ? 'reminder' : 'overdue';
      // Marked and told in one transaction: each is sent once, and not lost to a crash between the two.
      const marked = await this.inTx(async (t, tell) => {
        if (!(await t.store.markOnce(step.id, kind === 'reminder' ? 'reminded' : 'escalated', now))) return false;
        const round = await t.store.currentRound(step.invoiceId);
        tell({ kind, invoiceId: step.invoiceId, stepId: step.id }, { invoiceId: step.invoiceId, step, round });
        return true;
      }, step.teamId);
      if (marked && kind === 'reminder') reminded++;
      else if (marked) overdue++;
    }
    return { reminded, overdue };
  }
}

/** The PrivateNote line for an approved round. */
export function approvalNote(steps: Pick<ApprovalStep, 'decidedBy' | 'decidedByName' | 'decidedAt'>[]): string {
  const who = steps.map((s) =>
    `${s.decidedByName || s.decidedBy || 'someone'} ${s.decidedAt != null ? new Date(s.decidedAt).toISOString().slice(0, 10) : ''}`.trim(),
  );
  return `Approved by ${who.join(', ')}`;
}
