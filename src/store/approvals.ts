import { and, asc, desc, eq, inArray, isNull, max } from 'drizzle-orm';
import type { Conn } from './conn.ts';
import type { ApprovalStepStatus, approvalSteps } from './sqlite/schema.ts';
import type { ApprovalRule, ApproverRef, ResolvedStep, RuleWhen } from '../approvals/rules.ts';
import { DEFAULT_POLICY, type ReminderPolicy } from '../approvals/reminders.ts';

/** Approval rules, the reminder policy, project approver sets and each invoice's approval steps (issue 16). */

export interface ApprovalStep {
  id: number;
  teamId: string;
  invoiceId: number;
  round: number;
  revision: number;
  position: number;
  ruleId: number | null;
  ruleText: string;
  approverUserIds: string[];
  label: string;
  allowSelfApproval: boolean;
  status: ApprovalStepStatus;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: number | null;
  reason: string | null;
  override: boolean;
  activatedAt: number | null;
  remindedAt: number | null;
  escalatedAt: number | null;
}

export interface NewRound {
  teamId: string;
  invoiceId: number;
  revision: number;
  rule: Pick<ApprovalRule, 'id' | 'allowSelfApproval'>;
  ruleText: string;
  steps: ResolvedStep[];
  now: number;
}

export class ApprovalStore {
  constructor(private readonly c: Conn) {}

  /** A store whose statements run in `t` (a transaction's Conn). */
  in(t: Conn): ApprovalStore {
    return new ApprovalStore(t);
  }

  // ---- rules

  async rules(teamId: string): Promise<ApprovalRule[]> {
    const { approvalRules: r } = this.c.t;
    const rows = await this.c.run((db) => db.select().from(r).where(eq(r.teamId, teamId)).orderBy(asc(r.position), asc(r.id)));
    return rows.map((x) => ({
      id: x.id,
      when: x.when as RuleWhen,
      approvers: x.approvers as ApproverRef[],
      allowSelfApproval: x.allowSelfApproval,
    }));
  }

  async rule(teamId: string, id: number): Promise<ApprovalRule | null> {
    return (await this.rules(teamId)).find((r) => r.id === id) ?? null;
  }

  /** Adds a rule at the end of the list (rules are tried in order). */
  async addRule(teamId: string, rule: Omit<ApprovalRule, 'id'>, by: string): Promise<ApprovalRule> {
    const { approvalRules: r, workspaces } = this.c.t;
    return this.c.tx(async (t) => {
      // The rule belongs to the workspace row: create it if this workspace has none yet (its key would refuse the rule).
      await t.run((db) => db.insert(workspaces).values({ teamId }).onConflictDoNothing());
      const [last] = await t.run((db) =>
        db
          .select({ p: max(r.position) })
          .from(r)
          .where(eq(r.teamId, teamId)),
      );
      const [row] = await t.run((db) =>
        db
          .insert(r)
          .values({
            teamId,
            position: (last?.p ?? 0) + 1,
            when: rule.when as Record<string, unknown>,
            approvers: rule.approvers,
            allowSelfApproval: rule.allowSelfApproval,
            createdBy: by,
          })
          .returning({ id: r.id }),
      );
      return { ...rule, id: row.id };
    });
  }

  async updateRule(teamId: string, id: number, rule: Omit<ApprovalRule, 'id'>): Promise<boolean> {
    const { approvalRules: r } = this.c.t;
    const rows = await this.c.run((db) =>
      db
        .update(r)
        .set({
          when: rule.when as Record<string, unknown>,
          approvers: rule.approvers,
          allowSelfApproval: rule.allowSelfApproval,
          updatedAt: Date.now(),
        })
        .where(and(eq(r.teamId, teamId), eq(r.id, id)))
        .returning({ id: r.id }),
    );
    return rows.length > 0;
  }

  async deleteRule(teamId: string, id: number): Promise<boolean> {
    const { approvalRules: r } = this.c.t;
    const rows = await this.c.run((db) =>
      db
        .delete(r)
        .where(and(eq(r.teamId, teamId), eq(r.id, id)))
        .returning({ id: r.id }),
    );
    return rows.length > 0;
  }

  /** Swaps a rule with its neighbour above (-1) or below (+1): the order is the order rules are tried in. */
  async moveRule(teamId: string, id: number, dir: -1 | 1): Promise<boolean> {
    const { approvalRules: r } = this.c.t;
    return this.c.tx(async (t) => {
      const rows = await t.run((db) =>
        db.select({ id: r.id, position: r.position }).from(r).where(eq(r.teamId, teamId)).orderBy(asc(r.position), asc(r.id)),
      );
      const i = rows.findIndex((x) => x.id === id);
      const j = i + dir;
      if (i < 0 || j < 0 || j >= rows.length) return false;
      // Renumber densely, so equal positions (never written, but cheap to heal) can't make a swap a no-op.
      const order = rows.map((x) => x.id);
      [order[i], order[j]] = [order[j], order[i]];
      for (const [k, rid] of order.entries())
        await t.run((db) =>
          db
            .update(r)
            .set({ position: k + 1 })
            .where(eq(r.id, rid)),
        );
      return true;
    });
  }

  // ---- reminder policy

  async policy(teamId: string): Promise<ReminderPolicy> {
    const { approvalPolicies: p } = this.c.t;
    const [row] = await this.c.run((db) => db.select().from(p).where(eq(p.teamId, teamId)));
    return row ? { reminderHours: row.reminderHours, escalationHours: row.escalationHours } : { ...DEFAULT_POLICY };
  }

  async setPolicy(teamId: string, policy: ReminderPolicy, by: string): Promise<void> {
    const { approvalPolicies: p, workspaces } = this.c.t;
    const values = { ...policy, updatedBy: by, updatedAt: Date.now() };
    await this.c.tx(async (t) => {
      await t.run((db) => db.insert(workspaces).values({ teamId }).onConflictDoNothing());
      await t.run((db) =>
        db
          .insert(p)
          .values({ teamId, ...values })
          .onConflictDoUpdate({ target: p.teamId, set: values }),
      );
    });
  }

  // ---- project approver sets (on the project's profile row)

  async projectApprovers(teamId: string, profileIds: number[]): Promise<Map<number, string[]>> {
    if (!profileIds.length) return new Map();
    const { profiles } = this.c.t;
    const rows = await this.c.run((db) =>
      db
        .select({ id: profiles.id, users: profiles.approverUserIds })
        .from(profiles)
        .where(and(eq(profiles.teamId, teamId), inArray(profiles.id, profileIds))),
    );
    return new Map(rows.map((r) => [r.id, r.users ?? []]));
  }

  async setProjectApprovers(teamId: string, profileId: number, users: string[]): Promise<boolean> {
    const { profiles } = this.c.t;
    const rows = await this.c.run((db) =>
      db
        .update(profiles)
        .set({ approverUserIds: [...new Set(users)] })
        .where(and(eq(profiles.teamId, teamId), eq(profiles.id, profileId), eq(profiles.kind, 'project')))
        .returning({ id: profiles.id }),
    );
    return rows.length > 0;
  }

  // ---- steps

  /** The invoice's latest round of steps, in order (empty when it never needed approval). */
  async currentRound(invoiceId: number): Promise<ApprovalStep[]> {
    const { approvalSteps: s } = this.c.t;
    const [last] = await this.c.run((db) => db.select({ round: s.round }).from(s).where(eq(s.invoiceId, invoiceId)).orderBy(desc(s.round)).limit(1));
    if (!last) return [];
    const rows = await this.c.run((db) =>
      db
        .select()
        .from(s)
        .where(and(eq(s.invoiceId, invoiceId), eq(s.round, last.round)))
        .orderBy(asc(s.position)),
    );
    return rows.map(toStep);
  }

  /** Every step of every round, oldest first (the invoice's approval history). */
  async history(invoiceId: number): Promise<ApprovalStep[]> {
    const { approvalSteps: s } = this.c.t;
    const rows = await this.c.run((db) => db.select().from(s).where(eq(s.invoiceId, invoiceId)).orderBy(asc(s.round), asc(s.position)));
    return rows.map(toStep);
  }

  /** Voids the open steps of the invoice's rounds (a resubmission or an edit), then starts a new round: its first step waits. */
  async startRound(p: NewRound): Promise<ApprovalStep[]> {
    const { approvalSteps: s } = this.c.t;
    return this.c.tx(async (t) => {
      await this.in(t).voidOpen(p.invoiceId);
      const [last] = await t.run((db) =>
        db
          .select({ r: max(s.round) })
          .from(s)
          .where(eq(s.invoiceId, p.invoiceId)),
      );
      const round = (last?.r ?? 0) + 1;
      const rows = await t.run((db) =>
        db
          .insert(s)
          .values(
            p.steps.map((step, i) => ({
              teamId: p.teamId,
              invoiceId: p.invoiceId,
              round,
              revision: p.revision,
              position: i + 1,
              ruleId: p.rule.id,
              ruleText: p.ruleText,
              approverUserIds: step.userIds,
              label: step.label,
              allowSelfApproval: p.rule.allowSelfApproval,
              status: (i === 0 ? 'pending' : 'waiting') as ApprovalStepStatus,
              activatedAt: i === 0 ? p.now : null,
            })),
          )
          .returning(),
      );
      return rows.map(toStep).sort((a, b) => a.position - b.position);
    });
  }

  /** Voids every step not yet decided, and the approvals of the invoice's latest round. Returns how many changed. */
  async voidOpen(invoiceId: number): Promise<number> {
    const { approvalSteps: s } = this.c.t;
    const rows = await this.c.run((db) =>
      db
        .update(s)
        .set({ status: 'void' })
        .where(and(eq(s.invoiceId, invoiceId), inArray(s.status, ['waiting', 'pending', 'approved'] as ApprovalStepStatus[])))
        .returning({ id: s.id }),
    );
    return rows.length;
  }

  /**
   * Records a decision on a pending step — only if it is still pending (a double click or a race decides once).
   * Approving makes the next step pending. Returns the updated round, or null when the step was no longer pending.
   */
  async decide(
    stepId: number,
    d: { approve: boolean; by: string; byName?: string | null; override: boolean; reason?: string | null; now: number },
  ): Promise<ApprovalStep[] | null> {
    const { approvalSteps: s } = this.c.t;
    return this.c.tx(async (t) => {
      const [step] = await t.run((db) =>
        db
          .update(s)
          .set({
            status: d.approve ? 'approved' : 'rejected',
            decidedBy: d.by,
            decidedByName: d.byName ?? null,
            decidedAt: d.now,
            override: d.override,
            reason: d.reason ?? null,
          })
          .where(and(eq(s.id, stepId), eq(s.status, 'pending')))
          .returning(),
      );
      if (!step) return null;
      if (d.approve) {
        const [next] = await t.run((db) =>
          db
            .select({ id: s.id })
            .from(s)
            .where(and(eq(s.invoiceId, step.invoiceId), eq(s.round, step.round), eq(s.status, 'waiting')))
            .orderBy(asc(s.position))
            .limit(1),
        );
        if (next) await t.run((db) => db.update(s).set({ status: 'pending', activatedAt: d.now }).where(eq(s.id, next.id)));
      } else {
        await t.run((db) =>
          db
            .update(s)
            .set({ status: 'void' })
            .where(and(eq(s.invoiceId, step.invoiceId), eq(s.round, step.round), eq(s.status, 'waiting'))),
        );
      }
      return this.in(t).currentRound(step.invoiceId);
    });
  }

  /** Steps waiting on someone, in a workspace (or all workspaces): App Home's list and the reminder sweep. */
  async pending(teamId?: string): Promise<ApprovalStep[]> {
    const { approvalSteps: s } = this.c.t;
    const conds = [eq(s.status, 'pending' as ApprovalStepStatus)];
    if (teamId) conds.push(eq(s.teamId, teamId));
    const rows = await this.c.run((db) =>
      db
        .select()
        .from(s)
        .where(and(...conds))
        .orderBy(asc(s.activatedAt), asc(s.id)),
    );
    return rows.map(toStep);
  }

  /** Marks a step reminded (or escalated) once: false when someone else already did, or it is no longer pending. */
  async markOnce(stepId: number, what: 'reminded' | 'escalated', now: number): Promise<boolean> {
    const { approvalSteps: s } = this.c.t;
    const col = what === 'reminded' ? s.remindedAt : s.escalatedAt;
    const rows = await this.c.run((db) =>
      db
        .update(s)
        .set(what === 'reminded' ? { remindedAt: now } : { escalatedAt: now })
        .where(and(eq(s.id, stepId), eq(s.status, 'pending'), isNull(col)))
        .returning({ id: s.id }),
    );
    return rows.length > 0;
  }
}

function toStep(r: typeof approvalSteps.$inferSelect): ApprovalStep {
  return { ...r, approverUserIds: r.approverUserIds ?? [] };
}
