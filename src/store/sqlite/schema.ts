import { sql } from 'drizzle-orm';
import type { Reason } from '../../invoices/reasons.ts';
import { sqliteTable, text, integer, blob, primaryKey, uniqueIndex, index } from 'drizzle-orm/sqlite-core';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;
const createdAt = () => text('created_at').notNull().default(now);
const updatedAt = () => text('updated_at').notNull().default(now);

/** A Slack workspace (team). Everything else hangs off its id, so nothing leaks between workspaces. */
export const workspaces = sqliteTable('workspaces', {
  teamId: text('team_id').primaryKey(),
  name: text('name'),
  /** The QBO company the workspace's links, defaults and cached lists refer to (kept across disconnects). */
  qboRealmId: text('qbo_realm_id'),
  /** When the Slack app was uninstalled (tokens deleted); its data is deleted DATA_RETENTION_DAYS later unless reinstalled. */
  uninstalledAt: text('uninstalled_at'),
  createdAt: createdAt(),
});

/** Slack OAuth installations (multi-workspace mode); the installation JSON holds tokens, so it is encrypted. */
export const slackInstallations = sqliteTable('slack_installations', {
  id: text('id').primaryKey(), // team id, or enterprise id for org-wide installs
  installationEnc: text('installation_enc').notNull(),
  updatedAt: updatedAt(),
});

export type ConnectionStatus = 'connected' | 'needs_reconnect' | 'disconnected';

/** A workspace's QuickBooks company. Tokens are sealed with AES-256-GCM (src/crypto.ts). */
export const qboConnections = sqliteTable('qbo_connections', {
  teamId: text('team_id')
    .primaryKey()
    .references(() => workspaces.teamId, { onDelete: 'cascade' }),
  realmId: text('realm_id').notNull(),
  companyName: text('company_name'),
  /** Who the company is (CompanyInfo: names and addresses), so the reader never takes it for an invoice's vendor. */
  companyIdentity: text('company_identity', { mode: 'json' }).$type<{ companyName: string; legalName: string | null; addresses: string[] }>(),
  accessTokenEnc: text('access_token_enc'),
  refreshTokenEnc: text('refresh_token_enc'),
  accessExpiresAt: integer('access_expires_at'), // epoch ms
  refreshExpiresAt: integer('refresh_expires_at'), // epoch ms
  /** The refresh token's hard expiry (Intuit's x_refresh_token_hard_expires_in): past it, only a new consent works. */
  refreshHardExpiresAt: integer('refresh_hard_expires_at'), // epoch ms
  status: text('status').$type<ConnectionStatus>().notNull().default('connected'),
  statusReason: text('status_reason'),
  connectedBy: text('connected_by'),
  connectedAt: text('connected_at').notNull().default(now),
  updatedAt: updatedAt(),
});

export type TxnType = 'Bill' | 'Expense';

export const settings = sqliteTable('settings', {
  teamId: text('team_id')
    .primaryKey()
    .references(() => workspaces.teamId, { onDelete: 'cascade' }),
  autoSync: integer('auto_sync', { mode: 'boolean' }).notNull().default(false),
  defaultPurchaseAccountId: text('default_purchase_account_id'),
  defaultType: text('default_type').$type<TxnType>().notNull().default('Bill'),
  defaultExpenseAccountId: text('default_expense_account_id'),
  /** Extra admins added by workspace admins (besides Slack admins/owners and SLACK_ADMIN_USER_IDS). */
  adminUserIds: text('admin_user_ids', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  /** Users an admin allows to record payments (Mark paid), besides the admins. */
  payerUserIds: text('payer_user_ids', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
  updatedBy: text('updated_by'),
  updatedAt: updatedAt(),
});

export type QboListEntity = 'Account' | 'Customer' | 'Item' | 'Vendor' | 'Class';

/** Local copy of QBO lists, for pickers (Slack wants answers in < 3 s) and for validation before sync. */
export const qboListItems = sqliteTable(
  'qbo_list_items',
  {
    teamId: text('team_id')
      .notNull()
      .references(() => workspaces.teamId, { onDelete: 'cascade' }),
    entity: text('entity').$type<QboListEntity>().notNull(),
    qboId: text('qbo_id').notNull(),
    name: text('name').notNull(), // DisplayName / Name
    fullName: text('full_name').notNull(), // FullyQualifiedName, for search and display
    type: text('type'), // AccountType, Item Type
    subType: text('sub_type'),
    parentId: text('parent_id'),
    active: integer('active', { mode: 'boolean' }).notNull(),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.entity, t.qboId] }),
    index('qbo_list_items_search').on(t.teamId, t.entity, t.active),
    // Picker searches (src/qbo/lists.ts): name prefix, and the list in full-name order. Word search is the FTS5
    // table qbo_list_items_fts (migration 0002_perf), kept in step by triggers.
    index('qbo_list_items_name_key').on(t.teamId, t.entity, sql`lower(${t.name})`),
    index('qbo_list_items_full_name_key').on(t.teamId, t.entity, sql`lower(${t.fullName})`),
  ],
);

export const qboListRefreshes = sqliteTable(
  'qbo_list_refreshes',
  {
    teamId: text('team_id')
      .notNull()
      .references(() => workspaces.teamId, { onDelete: 'cascade' }),
    entity: text('entity').$type<QboListEntity>().notNull(),
    refreshedAt: text('refreshed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.entity] })],
);

export type ProfileKind = 'project' | 'cost_code';

/** Local project / cost-code profiles and what they are linked to in QBO. */
export const profiles = sqliteTable(
  'profiles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: text('team_id')
      .notNull()
      .references(() => workspaces.teamId, { onDelete: 'cascade' }),
    kind: text('kind').$type<ProfileKind>().notNull(),
    name: text('name').notNull(),
    /** project → 'Customer'; cost code → 'Item' or 'Account'. Null when not linked. */
    qboEntity: text('qbo_entity').$type<'Customer' | 'Item' | 'Account'>(),
    qboId: text('qbo_id'),
    qboName: text('qbo_name'),
    linkedBy: text('linked_by'),
    linkedAt: text('linked_at'),
    /** A project's approver set (Slack user ids): who approves its invoices when a rule asks for "the project's approvers". */
    approverUserIds: text('approver_user_ids', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('profiles_team_kind_name').on(t.teamId, t.kind, t.name),
    // Picker searches (src/workspace/profiles.ts): name prefix; word search is the FTS5 table profiles_fts.
    index('profiles_name_key').on(t.teamId, t.kind, sql`lower(${t.name})`),
    // Counting linked and unlinked profiles (`/qbo status`, settings) reads this index only.
    index('profiles_team_link').on(t.teamId, t.qboId),
  ],
);

/** "Channel = job": invoices shared in a bound channel default to its project. */
export const channelBindings = sqliteTable(
  'channel_bindings',
  {
    teamId: text('team_id')
      .notNull()
      .references(() => workspaces.teamId, { onDelete: 'cascade' }),
    channelId: text('channel_id').notNull(),
    projectProfileId: integer('project_profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    boundBy: text('bound_by'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.channelId] })],
);

export type InvoiceStatus =
  | 'received'
  | 'extracted'
  | 'needs_input'
  /** Submitted, and a rule says someone must approve it before it goes to QuickBooks. */
  | 'awaiting_approval'
  | 'ready'
  | 'syncing'
  | 'synced'
  | 'blocked'
  | 'failed'
  | 'duplicate'
  /** The Bill or Expense was deleted (or voided) in QuickBooks after it was booked. */
  | 'deleted_in_qbo';

export const invoices = sqliteTable(
  'invoices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: text('team_id')
      .notNull()
      .references(() => workspaces.teamId, { onDelete: 'cascade' }),
    status: text('status').$type<InvoiceStatus>().notNull().default('received'),
    /** Bumped whenever the confirmed fields change: part of the QBO requestid, so a retry of the same revision is idempotent. */
    revision: integer('revision').notNull().default(0),
    source: text('source').$type<'channel' | 'upload' | 'api'>().notNull(),
    slackFileId: text('slack_file_id'),
    channelId: text('channel_id'),
    messageTs: text('message_ts'), // the file's message (thread parent)
    cardTs: text('card_ts'), // our reply in the thread
    uploadedBy: text('uploaded_by'),
    submittedBy: text('submitted_by'),
    fileName: text('file_name').notNull(),
    mimeType: text('mime_type').notNull(),
    fileSize: integer('file_size').notNull(),
    sha256: text('sha256').notNull(),
    extracted: text('extracted', { mode: 'json' }).$type<Record<string, unknown>>(),
    extractionError: text('extraction_error'),
    // Confirmed fields (what goes to QBO).
    txnType: text('txn_type').$type<TxnType>(),
    purchaseAccountId: text('purchase_account_id'),
    projectProfileId: integer('project_profile_id').references(() => profiles.id, { onDelete: 'set null' }),
    costCodeProfileId: integer('cost_code_profile_id').references(() => profiles.id, { onDelete: 'set null' }),
    vendorId: text('vendor_id'),
    vendorName: text('vendor_name'),
    amountCents: integer('amount_cents'),
    currency: text('currency'),
    invoiceNumber: text('invoice_number'),
    invoiceDate: text('invoice_date'),
    dueDate: text('due_date'),
    memo: text('memo'),
    // Outcome.
    /** Old rows' sentence; new rows carry `reason` and keep only its code here (for the history). */
    statusReason: text('status_reason'),
    /** Why the invoice is in its status, as data (src/invoices/reasons.ts); worded by src/slack/copy. */
    reason: text('reason', { mode: 'json' }).$type<Reason>(),
    /** Machine key of what blocks it, e.g. `unlinked:project:12`, `not_connected`, `no_purchase_account`. */
    blockCause: text('block_cause'),
    qboCode: text('qbo_code'),
    qboId: text('qbo_id'),
    qboDocNumber: text('qbo_doc_number'),
    qboUrl: text('qbo_url'),
    qboAttachableId: text('qbo_attachable_id'),
    qboPaymentId: text('qbo_payment_id'),
    /** The QBO company the transaction was created in. */
    qboRealmId: text('qbo_realm_id'),
    /**
     * The requestid of a create whose outcome is unknown (sent, no definite answer yet). While set, the invoice
     * cannot be edited: a retry must replay the same request, so QBO answers with the transaction if it made one.
     */
    pendingRequestId: text('pending_request_id'),
    /** Bumped when QBO refuses a payment, so the next Mark paid is a new request (QBO replays a requestid's answer). */
    payAttempt: integer('pay_attempt').notNull().default(0),
    duplicateOfId: integer('duplicate_of_id'),
    allowDuplicate: integer('allow_duplicate', { mode: 'boolean' }).notNull().default(false),
    syncedAt: text('synced_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Slack sends file_shared and message/file_share for one upload, and retries deliveries: one invoice per file.
    uniqueIndex('invoices_team_file').on(t.teamId, t.slackFileId),
    index('invoices_team_sha').on(t.teamId, t.sha256),
    index('invoices_team_status').on(t.teamId, t.status),
    index('invoices_team_vendor_number').on(t.teamId, t.vendorId, t.invoiceNumber),
  ],
);

/** An invoice's stored file, in a table of its own so that no invoice query loads bytes by accident. */
export const invoiceFiles = sqliteTable('invoice_files', {
  invoiceId: integer('invoice_id')
    .primaryKey()
    .references(() => invoices.id, { onDelete: 'cascade' }),
  bytes: blob('bytes', { mode: 'buffer' }).notNull(),
});

/** Every status transition, with who, when and why. */
export const invoiceEvents = sqliteTable(
  'invoice_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status').$type<InvoiceStatus>(),
    toStatus: text('to_status').$type<InvoiceStatus>().notNull(),
    actor: text('actor').notNull(), // Slack user id, or 'system'
    reason: text('reason'),
    at: text('at').notNull().default(now),
  },
  (t) => [index('invoice_events_invoice').on(t.invoiceId)],
);

export type JobStatus = 'queued' | 'running' | 'done' | 'dead';

/** The durable work queue: a restart loses nothing; a dead holder's jobs are taken back (at once when known gone). */
export const jobs = sqliteTable(
  'jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind').notNull(),
    teamId: text('team_id'),
    /** At most one queued/running job per key (e.g. `sync:42`). */
    dedupeKey: text('dedupe_key'),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    status: text('status').$type<JobStatus>().notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    runAt: integer('run_at').notNull(), // epoch ms
    leaseUntil: integer('lease_until'),
    /** The Worker instance (`host:pid:random`) holding a running job; only it may finish the job. */
    lockedBy: text('locked_by'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('jobs_due').on(t.status, t.runAt),
    uniqueIndex('jobs_active_dedupe')
      .on(t.dedupeKey)
      .where(sql`dedupe_key IS NOT NULL AND status IN ('queued', 'running')`),
  ],
);

/** Slack event ids already handled (Slack retries deliveries). */
export const processedEvents = sqliteTable('processed_events', {
  eventId: text('event_id').primaryKey(),
  receivedAt: integer('received_at').notNull(),
});

/** Single-use OAuth `state` values for the QBO consent flow, bound to a workspace and admin, 10-minute life. */
export const oauthStates = sqliteTable('oauth_states', {
  state: text('state').primaryKey(),
  teamId: text('team_id').notNull(),
  userId: text('user_id').notNull(),
  viewId: text('view_id'),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
});

/** One admin DM per cause (disconnected, unlinked profile …), not one per invoice. */
export const adminNotices = sqliteTable(
  'admin_notices',
  {
    teamId: text('team_id').notNull(),
    cause: text('cause').notNull(),
    sentAt: text('sent_at').notNull().default(now),
    resolvedAt: text('resolved_at'),
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
    lastUpdated: integer('last_updated'),
    receivedAt: integer('received_at').notNull(),
    processedAt: integer('processed_at'),
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
    lastUpdated: integer('last_updated').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.entity, t.qboId] })],
);

/** Per workspace: the time change data capture has caught up to (epoch ms). */
export const qboCdcCursors = sqliteTable('qbo_cdc_cursors', {
  teamId: text('team_id')
    .primaryKey()
    .references(() => workspaces.teamId, { onDelete: 'cascade' }),
  changedSince: integer('changed_since').notNull(),
  ranAt: integer('ran_at').notNull(),
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
    decidedAt: integer('decided_at'), // epoch ms
    reason: text('reason'),
    /** Decided by an admin who was not a named approver. */
    override: integer('override', { mode: 'boolean' }).notNull().default(false),
    activatedAt: integer('activated_at'), // epoch ms: when the step became the one waiting
    remindedAt: integer('reminded_at'),
    escalatedAt: integer('escalated_at'),
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
    nextAt: integer('next_at').notNull(), // epoch ms; also the claim: a delivery in flight pushes it out
    /** The outbox loop (`host:pid:random`) delivering the row now; a gone instance's claims are taken back at once. */
    lockedBy: text('locked_by'),
    deliveredAt: integer('delivered_at'), // epoch ms
    /** The posted message's ts (a card's first post: its later updates edit this message). */
    ts: text('ts'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(), // epoch ms
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
  pausedUntil: integer('paused_until').notNull().default(0), // epoch ms
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
    startedAt: integer('started_at').notNull(),
    answeredAt: integer('answered_at'),
    leaseUntil: integer('lease_until').notNull(),
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
  until: integer('until').notNull(), // epoch ms
});
