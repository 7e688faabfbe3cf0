/** The SQLite schema, second half: OAuth states, notices, QBO change tracking, approvals, outbox, lines, rules, rate. */
import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, primaryKey, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { createdAt, ms, msNow, updatedAt } from './schema-columns.ts';
import { invoices, profiles, type TxnType, workspaces } from './schema-core.ts';

/** Slack event ids already handled (Slack retries deliveries). */
export const processedEvents = sqliteTable(
  'processed_events',
  {
    eventId: text('event_id').primaryKey(),
    receivedAt: ms('received_at').notNull(),
  },
  // The once-a-minute cleanup deletes by age.
  (t) => [index('processed_events_received').on(t.receivedAt)],
);

/** Single-use OAuth `state` values for the QBO consent flow, bound to a workspace and admin, 10-minute life. */
export const oauthStates = sqliteTable('oauth_states', {
  state: text('state').primaryKey(),
  teamId: text('team_id').notNull(),
  userId: text('user_id').notNull(),
  viewId: text('view_id'),
  expiresAt: ms('expires_at').notNull(),
  usedAt: ms('used_at'),
});

/** One admin DM per cause (disconnected, unlinked profile …), not one per invoice. */
export const adminNotices = sqliteTable(
  'admin_notices',
  {
    teamId: text('team_id').notNull(),
    cause: text('cause').notNull(),
    sentAt: msNow('sent_at'),
    resolvedAt: ms('resolved_at'),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.cause] })],
);

/** QBO webhook notifications as received (one row per entity change), stored before the 200 and processed from the queue. */
export const qboChanges = sqliteTable(
  'qbo_changes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: text('team_id')
      .notNull()
      .references(() => workspaces.teamId, { onDelete: 'cascade' }),
    realmId: text('realm_id').notNull(),
    entity: text('entity').notNull(),
    qboId: text('qbo_id').notNull(),
    operation: text('operation').notNull(),
    /** The change's time as Intuit gives it (epoch ms). */
    lastUpdated: ms('last_updated'),
    receivedAt: ms('received_at').notNull(),
    processedAt: ms('processed_at'),
  },
  (t) => [index('qbo_changes_pending').on(t.teamId, t.processedAt)],
);

/**
 * The QBO version (MetaData.LastUpdatedTime, epoch ms) of each object the app last applied: a change delivered
 * twice, out of order or late, and older than or equal to it, changes nothing.
 */
export const qboEntityVersions = sqliteTable(
  'qbo_entity_versions',
  {
    teamId: text('team_id')
      .notNull()
      .references(() => workspaces.teamId, { onDelete: 'cascade' }),
    entity: text('entity').notNull(),
    qboId: text('qbo_id').notNull(),
    lastUpdated: ms('last_updated').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.entity, t.qboId] })],
);

/** Per workspace: the time change data capture has caught up to (epoch ms). */
export const qboCdcCursors = sqliteTable('qbo_cdc_cursors', {
  teamId: text('team_id')
    .primaryKey()
    .references(() => workspaces.teamId, { onDelete: 'cascade' }),
  changedSince: ms('changed_since').notNull(),
  ranAt: ms('ran_at').notNull(),
});

/** Intuit's metered (CorePlus) calls — reads, queries, CDC — per workspace, company and calendar month (UTC). */
export const qboMeteredCalls = sqliteTable(
  'qbo_metered_calls',
  {
    teamId: text('team_id')
      .notNull()
      .references(() => workspaces.teamId, { onDelete: 'cascade' }),
    realmId: text('realm_id').notNull(),
    month: text('month').notNull(),
    calls: integer('calls').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.realmId, t.month] })],
);

/** Approval rules (issue 16), in the order admins set: the first that matches an invoice applies. */
export const approvalRules = sqliteTable(
  'approval_rules',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: text('team_id')
      .notNull()
      .references(() => workspaces.teamId, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    /** RuleWhen (src/approvals/rules.ts): amountOver {cents, currency}, projectProfileId, vendorId, costCodeProfileId. */
    when: text('when', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** ApproverRef[]: {user} or {projectApprovers: true}, one per step, in order. */
    approvers: text('approvers', { mode: 'json' }).$type<Record<string, unknown>[]>().notNull(),
    allowSelfApproval: integer('allow_self_approval', { mode: 'boolean' }).notNull().default(false),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('approval_rules_team').on(t.teamId, t.position)],
);

/** Per workspace: how long an approver has before the reminder, and then before the admins are told (business hours). */
export const approvalPolicies = sqliteTable('approval_policies', {
  teamId: text('team_id')
    .primaryKey()
    .references(() => workspaces.teamId, { onDelete: 'cascade' }),
  reminderHours: integer('reminder_hours').notNull().default(24),
  escalationHours: integer('escalation_hours').notNull().default(24),
  updatedBy: text('updated_by'),
  updatedAt: updatedAt(),
});

export type ApprovalStepStatus = 'waiting' | 'pending' | 'approved' | 'rejected' | 'void';

/**
 * One approval step of one submission ("round") of an invoice: who may approve it and what they decided. A new
 * submission (after a rejection or an edit) voids the open round and starts the next.
 */
export const approvalSteps = sqliteTable(
  'approval_steps',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: text('team_id')
      .notNull()
      .references(() => workspaces.teamId, { onDelete: 'cascade' }),
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    round: integer('round').notNull(),
    /** The invoice revision the round approves: an edit (a new revision) makes its approvals void. */
    revision: integer('revision').notNull(),
    position: integer('position').notNull(),
    ruleId: integer('rule_id'),
    /** The rule in plain words, as it was when the round began (rules can change later). */
    ruleText: text('rule_text').notNull(),
    approverUserIds: text('approver_user_ids', { mode: 'json' }).$type<string[]>().notNull(),
    label: text('label').notNull(),
    allowSelfApproval: integer('allow_self_approval', { mode: 'boolean' }).notNull().default(false),
    status: text('status').$type<ApprovalStepStatus>().notNull(),
    decidedBy: text('decided_by'),
    /** The decider's name as Slack gave it with the click: QuickBooks' PrivateNote shows names, not Slack ids. */
    decidedByName: text('decided_by_name'),
    decidedAt: ms('decided_at'),
    reason: text('reason'),
    /** Decided by an admin who was not a named approver. */
    override: integer('override', { mode: 'boolean' }).notNull().default(false),
    activatedAt: ms('activated_at'), // when the step became the one waiting
    remindedAt: ms('reminded_at'),
    escalatedAt: ms('escalated_at'),
  },
  (t) => [index('approval_steps_invoice').on(t.invoiceId, t.round, t.position), index('approval_steps_team_status').on(t.teamId, t.status)],
);

export type OutboxKind = 'card' | 'dm' | 'notice';

/**
 * Messages that must follow a database change, written in the change's transaction and delivered to Slack by the
 * outbox loop, so a crash between the commit and Slack's answer loses nothing. `card`: an invoice's thread card
 * (several rows per key, one per update, delivered in id order; the first posts and stores `ts`, the rest update
 * it). `dm`: one direct message, sent once per key. `notice`: a status change still to be turned into the DMs it
 * calls for (recipients are resolved when it is delivered; the DMs it makes are `dm` rows keyed under it).
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: text('team_id').notNull(),
    kind: text('kind').$type<OutboxKind>().notNull(),
    key: text('key').notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAt: ms('next_at').notNull(), // also the claim: a delivery in flight pushes it out
    /** The outbox loop (`host:pid:random`) delivering the row now; a gone instance's claims are taken back at once. */
    lockedBy: text('locked_by'),
    deliveredAt: ms('delivered_at'),
    /** The posted message's ts (a card's first post: its later updates edit this message). */
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

/** An invoice's split lines (issue 14): one QBO Line each. No rows = one line for the full amount. */
export const invoiceLines = sqliteTable(
  'invoice_lines',
  {
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    description: text('description').notNull().default(''),
    amountCents: integer('amount_cents'),
    projectProfileId: integer('project_profile_id').references(() => profiles.id, { onDelete: 'set null' }),
    costCodeProfileId: integer('cost_code_profile_id').references(() => profiles.id, { onDelete: 'set null' }),
  },
  (t) => [primaryKey({ columns: [t.invoiceId, t.position] })],
);

/**
 * How a vendor's invoices are coded, per workspace (Dext/Hubdoc's "supplier rules"): learned from each booked
 * invoice unless an admin pinned it. Project is never part of a rule (it comes from the channel).
 */
export const vendorRules = sqliteTable(
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
    /** The memo with the invoice's own number and dates taken out, e.g. "Lumber for {number}". */
    memoPattern: text('memo_pattern'),
    /** Invoices in a row coded this way (the card says "coded like the last 3 invoices from …"). */
    streak: integer('streak').notNull().default(0),
    pinned: integer('pinned', { mode: 'boolean' }).notNull().default(false),
    /** Pinned rules only: with Auto-sync on, a recognised invoice syncs without the modal, after an Undo window. */
    autoBook: integer('auto_book', { mode: 'boolean' }).notNull().default(false),
    updatedBy: text('updated_by'),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.vendorId] }), index('vendor_rules_name').on(t.teamId, sql`lower(${t.vendorName})`)],
);

/**
 * QBO's per-company limits, kept by every instance on this database together (src/store/qbo-rate.ts). One row per
 * realm: it is locked (updated) at the start of every acquire, so acquires for one company take turns across
 * instances, and it holds the pause a 429 asked for.
 */
export const qboRate = sqliteTable('qbo_rate', {
  realmId: text('realm_id').primaryKey(),
  pausedUntil: ms('paused_until').notNull().default(0),
});

/**
 * One row per QBO request: in flight while `answered_at` is null (held until `lease_until`, renewed by its instance
 * while it runs), then counted for one window after its answer. A killed instance's rows count as answered when
 * their lease ran out.
 */
export const qboRateSlots = sqliteTable(
  'qbo_rate_slots',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    realmId: text('realm_id').notNull(),
    holder: text('holder').notNull(),
    startedAt: ms('started_at').notNull(),
    answeredAt: ms('answered_at'),
    leaseUntil: ms('lease_until').notNull(),
  },
  (t) => [index('qbo_rate_slots_realm').on(t.realmId, t.answeredAt), index('qbo_rate_slots_holder').on(t.holder, t.answeredAt)],
);

/**
 * Who is refreshing a workspace's QBO tokens now (one refresh per expiry across instances): a lease, taken with a
 * conditional upsert and given back once the newest refresh token is stored; a killed holder's runs out.
 */
export const qboRefreshLocks = sqliteTable('qbo_refresh_locks', {
  teamId: text('team_id').primaryKey(),
  holder: text('holder').notNull(),
  until: ms('until').notNull(),
});
