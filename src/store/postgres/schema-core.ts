import { sql } from 'drizzle-orm';
import type { Reason } from '../../invoices/reasons.ts';
import { bigint, boolean, customType, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type {
  ApprovalStepStatus,
  ConnectionStatus,
  InvoiceStatus,
  JobStatus,
  OutboxKind,
  ProfileKind,
  QboListEntity,
  TxnType,
} from '../sqlite/schema.ts';

/**
 * The Postgres twin of ../sqlite/schema.ts: the same export names, tables, columns, nullability, keys and unique
 * indexes (test/store/schema-parity.test.ts compares them), so store code written against `c.t` runs on both.
 * Mappings: integer epoch-ms and money columns → bigint (read as JS numbers; int4 would overflow), booleans →
 * boolean, JSON → jsonb, blobs → bytea. Every timestamp is epoch milliseconds (UTC) in a bigint (`ms()`), as in
 * SQLite's integer columns, so both dialects return the same numbers; `msNow()` columns default to the statement's time.
 * Picker search: the SQLite FTS5 tables become GIN indexes over to_tsvector('simple', …) (word-prefix `:*` queries,
 * see ./search.ts) and the lower(name) indexes are COLLATE "C" (code-point order, like SQLite's), so the same
 * `>= lo AND < hi` prefix range is an index range scan.
 */

export type { ApprovalStepStatus, ConnectionStatus, InvoiceStatus, JobStatus, OutboxKind, ProfileKind, QboListEntity, TxnType };

/** The current (statement) time in epoch ms. */
export const nowMs = sql`(extract(epoch from statement_timestamp()) * 1000)::bigint`;
/** A timestamp column (epoch ms), or another possibly > 2^31 integer, read back as a JS number. */
export const ms = (name: string) => bigint(name, { mode: 'number' });
/** A timestamp column that the database fills in with the current time when a row is inserted without it. */
export const msNow = (name: string) => ms(name).notNull().default(nowMs);
export const createdAt = () => msNow('created_at');
export const updatedAt = () => msNow('updated_at');
export const id = () => integer('id').primaryKey().generatedByDefaultAsIdentity();
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });
export const lowerC = (c: unknown) => sql`lower(${c}) COLLATE "C"`;

export const workspaces = pgTable('workspaces', {
  teamId: text('team_id').primaryKey(),
  name: text('name'),
  qboRealmId: text('qbo_realm_id'),
  uninstalledAt: ms('uninstalled_at'),
  createdAt: createdAt(),
});

export const slackInstallations = pgTable('slack_installations', {
  id: text('id').primaryKey(),
  installationEnc: text('installation_enc').notNull(),
  updatedAt: updatedAt(),
});

export const qboConnections = pgTable('qbo_connections', {
  teamId: text('team_id')
    .primaryKey()
    .references(() => workspaces.teamId, { onDelete: 'cascade' }),
  realmId: text('realm_id').notNull(),
  companyName: text('company_name'),
  companyIdentity: jsonb('company_identity').$type<{
    companyName: string;
    legalName: string | null;
    addresses: string[];
  }>(),
  accessTokenEnc: text('access_token_enc'),
  refreshTokenEnc: text('refresh_token_enc'),
  accessExpiresAt: ms('access_expires_at'),
  refreshExpiresAt: ms('refresh_expires_at'),
  refreshHardExpiresAt: ms('refresh_hard_expires_at'),
  status: text('status').$type<ConnectionStatus>().notNull().default('connected'),
  statusReason: text('status_reason'),
  connectedBy: text('connected_by'),
  connectedAt: msNow('connected_at'),
  updatedAt: updatedAt(),
});

export const settings = pgTable('settings', {
  teamId: text('team_id')
    .primaryKey()
    .references(() => workspaces.teamId, { onDelete: 'cascade' }),
  autoSync: boolean('auto_sync').notNull().default(false),
  defaultPurchaseAccountId: text('default_purchase_account_id'),
  defaultType: text('default_type').$type<TxnType>().notNull().default('Bill'),
  defaultExpenseAccountId: text('default_expense_account_id'),
  adminUserIds: jsonb('admin_user_ids').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  payerUserIds: jsonb('payer_user_ids').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  updatedBy: text('updated_by'),
  updatedAt: updatedAt(),
});

export const qboListItems = pgTable(
  'qbo_list_items',
  {
    teamId: text('team_id')
      .notNull()
      .references(() => workspaces.teamId, { onDelete: 'cascade' }),
    entity: text('entity').$type<QboListEntity>().notNull(),
    qboId: text('qbo_id').notNull(),
    name: text('name').notNull(),
    fullName: text('full_name').notNull(),
    type: text('type'),
    subType: text('sub_type'),
    parentId: text('parent_id'),
    active: boolean('active').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>(),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.entity, t.qboId] }),
    index('qbo_list_items_search').on(t.teamId, t.entity, t.active),
    index('qbo_list_items_name_key').on(t.teamId, t.entity, lowerC(t.name)),
    index('qbo_list_items_full_name_key').on(t.teamId, t.entity, lowerC(t.fullName)),
    index('qbo_list_items_words').using('gin', sql`to_tsvector('simple', ${t.fullName} || ' ' || ${t.name})`),
  ],
);

export const qboListRefreshes = pgTable(
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
export const qboListCounts = pgTable(
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

export const profiles = pgTable(
  'profiles',
  {
    id: id(),
    teamId: text('team_id')
      .notNull()
      .references(() => workspaces.teamId, { onDelete: 'cascade' }),
    kind: text('kind').$type<ProfileKind>().notNull(),
    name: text('name').notNull(),
    qboEntity: text('qbo_entity').$type<'Customer' | 'Item' | 'Account'>(),
    qboId: text('qbo_id'),
    qboName: text('qbo_name'),
    linkedBy: text('linked_by'),
    linkedAt: ms('linked_at'),
    approverUserIds: jsonb('approver_user_ids').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('profiles_team_kind_name').on(t.teamId, t.kind, t.name),
    index('profiles_name_key').on(t.teamId, t.kind, lowerC(t.name)),
    index('profiles_team_link').on(t.teamId, t.qboId),
    index('profiles_words').using('gin', sql`to_tsvector('simple', ${t.name})`),
  ],
);

export const channelBindings = pgTable(
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

export const invoices = pgTable(
  'invoices',
  {
    id: id(),
    teamId: text('team_id')
      .notNull()
      .references(() => workspaces.teamId, { onDelete: 'cascade' }),
    status: text('status').$type<InvoiceStatus>().notNull().default('received'),
    revision: integer('revision').notNull().default(0),
    source: text('source').$type<'channel' | 'upload' | 'api'>().notNull(),
    slackFileId: text('slack_file_id'),
    channelId: text('channel_id'),
    messageTs: text('message_ts'),
    cardTs: text('card_ts'),
    uploadedBy: text('uploaded_by'),
    submittedBy: text('submitted_by'),
    fileName: text('file_name').notNull(),
    mimeType: text('mime_type').notNull(),
    fileSize: integer('file_size').notNull(),
    sha256: text('sha256').notNull(),
    extracted: jsonb('extracted').$type<Record<string, unknown>>(),
    extractionError: text('extraction_error'),
    txnType: text('txn_type').$type<TxnType>(),
    purchaseAccountId: text('purchase_account_id'),
    projectProfileId: integer('project_profile_id').references(() => profiles.id, { onDelete: 'set null' }),
    costCodeProfileId: integer('cost_code_profile_id').references(() => profiles.id, { onDelete: 'set null' }),
    vendorId: text('vendor_id'),
    vendorName: text('vendor_name'),
    amountCents: ms('amount_cents'),
    currency: text('currency'),
    invoiceNumber: text('invoice_number'),
    invoiceDate: text('invoice_date'),
    dueDate: text('due_date'),
    memo: text('memo'),
    statusReason: text('status_reason'),
    reason: jsonb('reason').$type<Reason>(),
    blockCause: text('block_cause'),
    qboCode: text('qbo_code'),
    qboId: text('qbo_id'),
    qboDocNumber: text('qbo_doc_number'),
    qboUrl: text('qbo_url'),
    qboAttachableId: text('qbo_attachable_id'),
    qboPaymentId: text('qbo_payment_id'),
    qboRealmId: text('qbo_realm_id'),
    pendingRequestId: text('pending_request_id'),
    payAttempt: integer('pay_attempt').notNull().default(0),
    duplicateOfId: integer('duplicate_of_id'),
    allowDuplicate: boolean('allow_duplicate').notNull().default(false),
    syncedAt: ms('synced_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('invoices_team_file').on(t.teamId, t.slackFileId),
    index('invoices_team_sha').on(t.teamId, t.sha256),
    index('invoices_team_status').on(t.teamId, t.status),
    index('invoices_team_vendor_number').on(t.teamId, t.vendorId, t.invoiceNumber),
  ],
);

export const invoiceFiles = pgTable('invoice_files', {
  invoiceId: integer('invoice_id')
    .primaryKey()
    .references(() => invoices.id, { onDelete: 'cascade' }),
  bytes: bytea('bytes').notNull(),
});

export const invoiceEvents = pgTable(
  'invoice_events',
  {
    id: id(),
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status').$type<InvoiceStatus>(),
    toStatus: text('to_status').$type<InvoiceStatus>().notNull(),
    actor: text('actor').notNull(),
    reason: text('reason'),
    at: msNow('at'),
  },
  (t) => [index('invoice_events_invoice').on(t.invoiceId)],
);

export const jobs = pgTable(
  'jobs',
  {
    id: id(),
    kind: text('kind').notNull(),
    teamId: text('team_id'),
    dedupeKey: text('dedupe_key'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status').$type<JobStatus>().notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    runAt: ms('run_at').notNull(),
    leaseUntil: ms('lease_until'),
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

export const processedEvents = pgTable(
  'processed_events',
  {
    eventId: text('event_id').primaryKey(),
    receivedAt: ms('received_at').notNull(),
  },
  // The once-a-minute cleanup deletes by age.
  (t) => [index('processed_events_received').on(t.receivedAt)],
);

export const oauthStates = pgTable('oauth_states', {
  state: text('state').primaryKey(),
  teamId: text('team_id').notNull(),
  userId: text('user_id').notNull(),
  viewId: text('view_id'),
  expiresAt: ms('expires_at').notNull(),
  usedAt: ms('used_at'),
});

export const adminNotices = pgTable(
  'admin_notices',
  {
    teamId: text('team_id').notNull(),
    cause: text('cause').notNull(),
    sentAt: msNow('sent_at'),
    resolvedAt: ms('resolved_at'),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.cause] })],
);

export const qboChanges = pgTable(
  'qbo_changes',
  {
    id: id(),
    teamId: text('team_id')
      .notNull()
      .references(() => workspaces.teamId, { onDelete: 'cascade' }),
    realmId: text('realm_id').notNull(),
    entity: text('entity').notNull(),
    qboId: text('qbo_id').notNull(),
    operation: text('operation').notNull(),
    lastUpdated: ms('last_updated'),
    receivedAt: ms('received_at').notNull(),
    processedAt: ms('processed_at'),
  },
  (t) => [index('qbo_changes_pending').on(t.teamId, t.processedAt)],
);

export const qboEntityVersions = pgTable(
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

export const qboCdcCursors = pgTable('qbo_cdc_cursors', {
  teamId: text('team_id')
    .primaryKey()
    .references(() => workspaces.teamId, { onDelete: 'cascade' }),
  changedSince: ms('changed_since').notNull(),
  ranAt: ms('ran_at').notNull(),
});

export const qboMeteredCalls = pgTable(
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
