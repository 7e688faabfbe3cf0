import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { ApprovalStepStatus, OutboxKind, TxnType } from '../sqlite/schema.ts';
import { createdAt, id, invoices, ms, profiles, updatedAt, workspaces } from './schema-core.ts';

/** The Postgres twins of the later tables (cluster rate limits, outbox, split lines and vendor rules, approvals). */

/** QBO's per-company limits shared by every instance (see ../sqlite/schema.ts and ../qbo-rate.ts). */
export const qboRate = pgTable('qbo_rate', {
  realmId: text('realm_id').primaryKey(),
  pausedUntil: ms('paused_until').notNull().default(0),
});

export const qboRateSlots = pgTable(
  'qbo_rate_slots',
  {
    // Hundreds a minute per company, for ever: int4 would run out.
    id: ms('id').primaryKey().generatedByDefaultAsIdentity(),
    realmId: text('realm_id').notNull(),
    holder: text('holder').notNull(),
    startedAt: ms('started_at').notNull(),
    answeredAt: ms('answered_at'),
    leaseUntil: ms('lease_until').notNull(),
  },
  (t) => [index('qbo_rate_slots_realm').on(t.realmId, t.answeredAt), index('qbo_rate_slots_holder').on(t.holder, t.answeredAt)],
);

export const outbox = pgTable(
  'outbox',
  {
    id: id(),
    teamId: text('team_id').notNull(),
    kind: text('kind').$type<OutboxKind>().notNull(),
    key: text('key').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAt: ms('next_at').notNull(),
    lockedBy: text('locked_by'),
    deliveredAt: ms('delivered_at'),
    ts: text('ts'),
    lastError: text('last_error'),
    createdAt: createdAt(),
  },
  (t) => [
    index('outbox_due').on(t.deliveredAt, t.nextAt),
    index('outbox_key').on(t.key, t.id),
    uniqueIndex('outbox_once').on(t.key).where(sql`kind <> 'card'`),
  ],
);

export const invoiceLines = pgTable(
  'invoice_lines',
  {
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    description: text('description').notNull().default(''),
    amountCents: ms('amount_cents'),
    projectProfileId: integer('project_profile_id').references(() => profiles.id, { onDelete: 'set null' }),
    costCodeProfileId: integer('cost_code_profile_id').references(() => profiles.id, { onDelete: 'set null' }),
  },
  (t) => [primaryKey({ columns: [t.invoiceId, t.position] })],
);

export const vendorRules = pgTable(
  'vendor_rules',
  {
    teamId: text('team_id')
      .notNull()
      .references(() => workspaces.teamId, { onDelete: 'cascade' }),
    vendorId: text('vendor_id').notNull(),
    vendorName: text('vendor_name').notNull(),
    txnType: text('txn_type').$type<TxnType>(),
    purchaseAccountId: text('purchase_account_id'),
    costCodeProfileId: integer('cost_code_profile_id').references(() => profiles.id, { onDelete: 'set null' }),
    memoPattern: text('memo_pattern'),
    streak: integer('streak').notNull().default(0),
    pinned: boolean('pinned').notNull().default(false),
    autoBook: boolean('auto_book').notNull().default(false),
    updatedBy: text('updated_by'),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.vendorId] }), index('vendor_rules_name').on(t.teamId, sql`lower(${t.vendorName})`)],
);

export const approvalRules = pgTable(
  'approval_rules',
  {
    id: id(),
    teamId: text('team_id')
      .notNull()
      .references(() => workspaces.teamId, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    when: jsonb('when').$type<Record<string, unknown>>().notNull(),
    approvers: jsonb('approvers').$type<Record<string, unknown>[]>().notNull(),
    allowSelfApproval: boolean('allow_self_approval').notNull().default(false),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('approval_rules_team').on(t.teamId, t.position)],
);

export const approvalPolicies = pgTable('approval_policies', {
  teamId: text('team_id')
    .primaryKey()
    .references(() => workspaces.teamId, { onDelete: 'cascade' }),
  reminderHours: integer('reminder_hours').notNull().default(24),
  escalationHours: integer('escalation_hours').notNull().default(24),
  updatedBy: text('updated_by'),
  updatedAt: updatedAt(),
});

export const approvalSteps = pgTable(
  'approval_steps',
  {
    id: id(),
    teamId: text('team_id')
      .notNull()
      .references(() => workspaces.teamId, { onDelete: 'cascade' }),
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    round: integer('round').notNull(),
    revision: integer('revision').notNull(),
    position: integer('position').notNull(),
    ruleId: integer('rule_id'),
    ruleText: text('rule_text').notNull(),
    approverUserIds: jsonb('approver_user_ids').$type<string[]>().notNull(),
    label: text('label').notNull(),
    allowSelfApproval: boolean('allow_self_approval').notNull().default(false),
    status: text('status').$type<ApprovalStepStatus>().notNull(),
    decidedBy: text('decided_by'),
    decidedByName: text('decided_by_name'),
    decidedAt: ms('decided_at'),
    reason: text('reason'),
    override: boolean('override').notNull().default(false),
    activatedAt: ms('activated_at'),
    remindedAt: ms('reminded_at'),
    escalatedAt: ms('escalated_at'),
  },
  (t) => [index('approval_steps_invoice').on(t.invoiceId, t.round, t.position), index('approval_steps_team_status').on(t.teamId, t.status)],
);

export const qboRefreshLocks = pgTable('qbo_refresh_locks', {
  teamId: text('team_id').primaryKey(),
  holder: text('holder').notNull(),
  until: ms('until').notNull(),
});
