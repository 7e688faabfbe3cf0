/** The SQLite schema, first half: workspace, connection, settings, lists, profiles, invoices and jobs. */
import { sql } from 'drizzle-orm';
import type { Reason } from '../../invoices/reasons.ts';
import { sqliteTable, text, integer, blob, primaryKey, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { createdAt, ms, msNow, updatedAt } from './schema-columns.ts';

/** A Slack workspace (team). Everything else hangs off its id, so nothing leaks between workspaces. */
export const workspaces = sqliteTable('workspaces', {
  teamId: text('team_id').primaryKey(),
  name: text('name'),
  /** The QBO company the workspace's links, defaults and cached lists refer to (kept across disconnects). */
  qboRealmId: text('qbo_realm_id'),
  /** When the Slack app was uninstalled (tokens deleted); its data is deleted DATA_RETENTION_DAYS later unless reinstalled. */
  uninstalledAt: ms('uninstalled_at'),
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
  companyIdentity: text('company_identity', { mode: 'json' }).$type<{
    companyName: string;
    legalName: string | null;
    addresses: string[];
  }>(),
  accessTokenEnc: text('access_token_enc'),
  refreshTokenEnc: text('refresh_token_enc'),
  accessExpiresAt: ms('access_expires_at'),
  refreshExpiresAt: ms('refresh_expires_at'),
  /** The refresh token's hard expiry (Intuit's x_refresh_token_hard_expires_in): past it, only a new consent works. */
  refreshHardExpiresAt: ms('refresh_hard_expires_at'),
  status: text('status').$type<ConnectionStatus>().notNull().default('connected'),
  statusReason: text('status_reason'),
  connectedBy: text('connected_by'),
  connectedAt: msNow('connected_at'),
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
    // Picker searches (src/store/lists.ts): name prefix, and the list in full-name order. Word search is the FTS5
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
    refreshedAt: ms('refreshed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.entity] })],
);

/**
 * How many rows each cached list holds: written in the same transaction as every write to qbo_list_items
 * (src/store/lists.ts), so the settings modal reads five rows instead of counting the lists on every open.
 */
export const qboListCounts = sqliteTable(
  'qbo_list_counts',
  {
    teamId: text('team_id')
      .notNull()
      .references(() => workspaces.teamId, { onDelete: 'cascade' }),
    entity: text('entity').$type<QboListEntity>().notNull(),
    n: integer('n').notNull(),
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
    linkedAt: ms('linked_at'),
    /** A project's approver set (Slack user ids): who approves its invoices when a rule asks for "the project's approvers". */
    approverUserIds: text('approver_user_ids', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('profiles_team_kind_name').on(t.teamId, t.kind, t.name),
    // Picker searches (ProfileStore.search, src/store/profiles.ts): name prefix; word search is the FTS5 table profiles_fts.
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
    syncedAt: ms('synced_at'),
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
    at: msNow('at'),
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
    runAt: ms('run_at').notNull(),
    leaseUntil: ms('lease_until'),
    /** The Worker instance (`host:pid:random`) holding a running job; only it may finish the job. */
    lockedBy: text('locked_by'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('jobs_due').on(t.status, t.runAt),
    uniqueIndex('jobs_active_dedupe').on(t.dedupeKey).where(sql`dedupe_key IS NOT NULL AND status IN ('queued', 'running')`),
  ],
);
