import { MAX_PAYERS, type SettingsDraft } from '../../app/settings.ts';
import type { ListItem } from '../../qbo/lists.ts';
import type { WorkspaceSettings } from '../../store/workspace.ts';
import { accountLabel, esc, mrkdwn, option, plain } from './common.ts';

/** The `/qbo settings` modal: a pure function of what the workspace has now. */

export const SETTINGS_CALLBACK = 'settings_modal';

/** The inputs' ids: each is both its block's id and its element's action id (the handler reads values[id][id]). */
const INPUT_IDS = {
  autoSync: 'settings_auto_sync',
  purchaseAccount: 'settings_purchase_account',
  defaultType: 'settings_default_type',
  expenseAccount: 'settings_expense_account',
  admins: 'settings_admins',
  payers: 'settings_payers',
} as const;

/** Block ids (the submission handler reads them; tests find them by label). */
export const SB = {
  connection: 'settings_connection',
  connectionActions: 'settings_connection_actions',
  ...INPUT_IDS,
  tools: 'settings_tools',
  status: 'settings_status',
} as const;

/** Action ids (buttons, selects). Selects over QBO lists are external_select answered from the local cache. */
export const SA = {
  connect: 'settings_connect',
  disconnect: 'settings_disconnect',
  /** The Disconnect button on the admins' "connected" DM. */
  dmDisconnect: 'connection_disconnect',
  ...INPUT_IDS,
  refreshLists: 'settings_refresh_lists',
  openLinks: 'settings_open_links',
  openApprovals: 'settings_open_approvals',
  open: 'settings_open',
} as const;

export const LABELS = {
  autoSync: 'Auto-sync',
  purchaseAccount: 'Default purchase account',
  defaultType: 'Default type',
  expenseAccount: 'Default expense account',
  admins: 'Extra admins',
  payers: 'Payers',
} as const;

/** At most this many named payers: the use case's rule (src/app/settings.ts). */
export { MAX_PAYERS };

export interface ConnectionState {
  status: 'none' | 'connected' | 'needs_reconnect';
  companyName: string | null;
  reason: string | null;
  /** When Intuit ends the authorization for good (epoch ms), if it said. */
  hardExpiresAt?: number | null;
  /** Where the Connect / Reconnect button leads (a short-lived signed link to /qbo/connect). */
  connectUrl: string;
}

export interface SettingsViewState {
  connection: ConnectionState;
  /** What the inputs show (saved values, or the admin's draft when the view is re-rendered). */
  settings: WorkspaceSettings;
  /** What was saved when the view was rendered: a submission changes only the fields the admin changed. */
  saved: WorkspaceSettings;
  /** The saved (or drafted) default accounts as the cache has them; null when unset or not found. */
  purchaseAccount: ListItem | null;
  expenseAccount: ListItem | null;
  /** Why a saved default is not offered any more (inactive, deleted, wrong type). */
  purchaseAccountProblem?: string | null;
  expenseAccountProblem?: string | null;
  lists: { refreshedAt: number | null; accounts: number; customers: number; items: number; vendors: number };
  profiles: { total: number; unlinked: number; bindings: number };
  /** True while QBO lists / company info are being fetched (the modal opens first, then updates). */
  loading?: boolean;
  notice?: string | null;
}

const ON = 'on';
const OFF = 'off';

function connectionBlocks(c: ConnectionState): any[] {
  if (c.status === 'connected') {
    return [
      {
        type: 'section',
        block_id: SB.connection,
        text: mrkdwn(`:white_check_mark: *QuickBooks:* connected to *${esc(c.companyName ?? 'your company')}*`),
      },
      {
        type: 'actions',
        block_id: SB.connectionActions,
        elements: [
          {
            type: 'button',
            action_id: SA.disconnect,
            text: plain('Disconnect'),
            style: 'danger',
            value: 'disconnect',
            confirm: {
              title: plain('Disconnect QuickBooks?'),
              text: mrkdwn('Invoices stop syncing until QuickBooks is connected again. The saved authorization is revoked at Intuit.'),
              confirm: plain('Disconnect'),
              deny: plain('Cancel'),
              style: 'danger',
            },
          },
        ],
      },
    ];
  }
  const text =
    c.status === 'needs_reconnect'
      ? `:warning: *QuickBooks:* needs reconnecting${c.companyName ? ` (*${esc(c.companyName)}*)` : ''}. ${esc(c.reason ?? '')}`.trim()
      : ':x: *QuickBooks:* Not connected';
  return [
    { type: 'section', block_id: SB.connection, text: mrkdwn(text) },
    {
      type: 'actions',
      block_id: SB.connectionActions,
      elements: [
        {
          type: 'button',
          action_id: SA.connect,
          text: plain(c.status === 'needs_reconnect' ? 'Reconnect QuickBooks' : 'Connect QuickBooks'),
          style: 'primary',
          url: c.connectUrl,
        },
      ],
    },
  ];
}

export function settingsView(s: SettingsViewState): any {
  const connected = s.connection.status === 'connected';
  const blocks: any[] = [...connectionBlocks(s.connection)];
  if (s.notice) blocks.push({ type: 'context', elements: [mrkdwn(s.notice)] });
  blocks.push({ type: 'divider' });
  blocks.push(...syncBlocks(s), ...accountBlocks(s, connected), ...peopleBlocks(s));
  blocks.push({ type: 'divider' }, ...toolBlocks(s, connected), ...listsStatusBlocks(s, connected));

  return {
    type: 'modal',
    callback_id: SETTINGS_CALLBACK,
    private_metadata: JSON.stringify(snapshotOf(s.saved)),
    title: plain('QuickBooks settings', 24),
    submit: plain('Save', 24),
    close: plain('Cancel', 24),
    blocks,
  };
}

/** Auto-sync and the default transaction type. */
function syncBlocks(s: SettingsViewState): any[] {
  const blocks: any[] = [];
  const onOff = [option('On: sync as soon as an invoice is submitted', ON), option('Off: invoices wait as ready', OFF)];
  blocks.push({
    type: 'input',
    block_id: SB.autoSync,
    label: plain(LABELS.autoSync),
    element: { type: 'radio_buttons', action_id: SA.autoSync, options: onOff, initial_option: s.settings.autoSync ? onOff[0] : onOff[1] },
    hint: plain('When on, submitted invoices go to QuickBooks at once; turning it on sends every invoice waiting as ready.'),
  });

  const types = [option('Bill (pay later)', 'Bill'), option('Expense (already paid)', 'Expense')];
  blocks.push({
    type: 'input',
    block_id: SB.defaultType,
    label: plain(LABELS.defaultType),
    element: {
      type: 'radio_buttons',
      action_id: SA.defaultType,
      options: types,
      initial_option: s.settings.defaultType === 'Expense' ? types[1] : types[0],
    },
  });

  return blocks;
}

/** The default purchase and expense accounts (pickers once QuickBooks is connected). */
function accountBlocks(s: SettingsViewState, connected: boolean): any[] {
  if (!connected)
    return [
      {
        type: 'context',
        elements: [mrkdwn('Connect QuickBooks to choose the *Default purchase account* and *Default expense account*.')],
      },
    ];
  return [
    accountPicker(SB.purchaseAccount, SA.purchaseAccount, LABELS.purchaseAccount, {
      placeholder: 'Choose a bank or credit card account',
      saved: s.purchaseAccount,
      problem: s.purchaseAccountProblem,
      hint: 'Active Bank and Credit Card accounts in QuickBooks. Each invoice can override it.',
    }),
    accountPicker(SB.expenseAccount, SA.expenseAccount, LABELS.expenseAccount, {
      placeholder: 'Choose an expense account',
      saved: s.expenseAccount,
      problem: s.expenseAccountProblem,
      hint: 'Used for invoice lines whose cost code has no account of its own.',
    }),
  ];
}

/** An optional account picker showing the saved account, or why the saved one is not offered any more. */
function accountPicker(
  blockId: string,
  actionId: string,
  label: string,
  p: { placeholder: string; saved: SettingsViewState['purchaseAccount']; problem: string | null | undefined; hint: string },
): any {
  return {
    type: 'input',
    block_id: blockId,
    optional: true,
    label: plain(label),
    element: {
      type: 'external_select',
      action_id: actionId,
      min_query_length: 0,
      placeholder: plain(p.placeholder),
      ...(p.saved ? { initial_option: option(accountLabel(p.saved), p.saved.id) } : {}),
    },
    hint: plain(p.problem ? `The saved account is not offered any more: ${p.problem}. Choose another.` : p.hint, 2000),
  };
}

/** Who may change settings and who may mark bills paid. */
function peopleBlocks(s: SettingsViewState): any[] {
  const blocks: any[] = [];
  blocks.push({
    type: 'input',
    block_id: SB.admins,
    optional: true,
    label: plain(LABELS.admins),
    element: {
      type: 'multi_users_select',
      action_id: SA.admins,
      placeholder: plain('People who may change these settings'),
      ...(s.settings.adminUserIds.length ? { initial_users: s.settings.adminUserIds.slice(0, 100) } : {}),
    },
    hint: plain('Slack workspace admins and owners can always change settings; add others here.'),
  });
  blocks.push({
    type: 'input',
    block_id: SB.payers,
    optional: true,
    label: plain(LABELS.payers),
    element: {
      type: 'multi_users_select',
      action_id: SA.payers,
      max_selected_items: MAX_PAYERS,
      placeholder: plain('People who may mark bills paid'),
      ...(s.settings.payerUserIds.length ? { initial_users: s.settings.payerUserIds.slice(0, MAX_PAYERS) } : {}),
    },
    hint: plain('Mark paid records a payment in QuickBooks: admins can always do it; add others here.'),
  });

  return blocks;
}

/** The projects & cost codes summary and the tool buttons. */
function toolBlocks(s: SettingsViewState, connected: boolean): any[] {
  const blocks: any[] = [];
  const p = s.profiles;
  blocks.push({
    type: 'section',
    text: mrkdwn(
      p.total === 0
        ? '*Projects & cost codes:* none yet. Link them to QuickBooks customers and items (or import them) so invoices can be coded.'
        : `*Projects & cost codes:* ${p.total} (${p.unlinked === 0 ? 'all linked' : `${p.unlinked} not linked`})` +
            (p.bindings ? ` · ${p.bindings} channel${p.bindings === 1 ? '' : 's'} bound to a project` : ''),
    ),
  });
  const tools: any[] = [{ type: 'button', action_id: SA.openLinks, text: plain('Link projects & cost codes'), value: 'links' }];
  tools.push({ type: 'button', action_id: SA.openApprovals, text: plain('Approvals'), value: 'approvals' });
  tools.push({ type: 'button', action_id: 'settings_open_vendor_rules', text: plain('Vendor rules'), value: 'vendor_rules' });
  if (connected) tools.push({ type: 'button', action_id: SA.refreshLists, text: plain('Refresh QuickBooks lists'), value: 'refresh' });
  blocks.push({ type: 'actions', block_id: SB.tools, elements: tools });

  return blocks;
}

/** When the QuickBooks lists were last fetched (or that they are being fetched). */
function listsStatusBlocks(s: SettingsViewState, connected: boolean): any[] {
  const blocks: any[] = [];
  const status = s.loading
    ? ':hourglass_flowing_sand: Fetching the latest lists from QuickBooks…'
    : connected
      ? s.lists.refreshedAt
        ? `QuickBooks lists from ${new Date(s.lists.refreshedAt).toISOString().replace('T', ' ').slice(0, 16)} UTC: ${s.lists.accounts} accounts, ${s.lists.customers} customers & projects, ${s.lists.items} items, ${s.lists.vendors} vendors.`
        : 'QuickBooks lists have not been fetched yet.'
      : null;
  if (status) blocks.push({ type: 'context', block_id: SB.status, elements: [mrkdwn(status)] });

  return blocks;
}

/** What the admin entered, read from a view's state (submission or a re-render that keeps the draft): the use case's type. */
export type { SettingsDraft };

/** The saved values a view was rendered from (kept in private_metadata; ≤ 3000 chars with ≤ 100 admins). */
export interface SettingsSnapshot {
  autoSync: boolean;
  defaultType: 'Bill' | 'Expense';
  defaultPurchaseAccountId: string | null;
  defaultExpenseAccountId: string | null;
  adminUserIds: string[];
  /** Absent in views rendered before payers existed. */
  payerUserIds?: string[];
}

export function snapshotOf(s: WorkspaceSettings): SettingsSnapshot {
  return {
    autoSync: s.autoSync,
    defaultType: s.defaultType,
    defaultPurchaseAccountId: s.defaultPurchaseAccountId,
    defaultExpenseAccountId: s.defaultExpenseAccountId,
    adminUserIds: s.adminUserIds.slice(0, 100),
    payerUserIds: s.payerUserIds.slice(0, MAX_PAYERS),
  };
}

export function readSnapshot(privateMetadata: string | undefined): SettingsSnapshot | null {
  try {
    const s = JSON.parse(privateMetadata || 'null');
    return s && typeof s === 'object' && 'autoSync' in s ? (s as SettingsSnapshot) : null;
  } catch {
    return null;
  }
}

/**
 * The fields the admin changed in this view: compared with what was saved when it was rendered, so an older modal
 * never undoes what someone else saved meanwhile in fields this admin did not touch.
 */
export function changedFields(draft: SettingsDraft, shown: SettingsSnapshot | null): SettingsDraft {
  if (!shown) return draft;
  const out: SettingsDraft = {};
  if (draft.autoSync !== undefined && draft.autoSync !== shown.autoSync) out.autoSync = draft.autoSync;
  if (draft.defaultType !== undefined && draft.defaultType !== shown.defaultType) out.defaultType = draft.defaultType;
  if (draft.defaultPurchaseAccountId !== undefined && draft.defaultPurchaseAccountId !== shown.defaultPurchaseAccountId) {
    out.defaultPurchaseAccountId = draft.defaultPurchaseAccountId;
  }
  if (draft.defaultExpenseAccountId !== undefined && draft.defaultExpenseAccountId !== shown.defaultExpenseAccountId) {
    out.defaultExpenseAccountId = draft.defaultExpenseAccountId;
  }
  if (draft.adminUserIds !== undefined && [...draft.adminUserIds].sort().join() !== [...shown.adminUserIds].sort().join()) {
    out.adminUserIds = draft.adminUserIds;
  }
  if (draft.payerUserIds !== undefined && [...draft.payerUserIds].sort().join() !== [...(shown.payerUserIds ?? [])].sort().join()) {
    out.payerUserIds = draft.payerUserIds;
  }
  return out;
}

export function readSettingsState(values: Record<string, Record<string, any>> | undefined): SettingsDraft {
  const v = values ?? {};
  const d: SettingsDraft = {};
  const auto = v[SB.autoSync]?.[SA.autoSync];
  if (auto && 'selected_option' in auto && auto.selected_option) d.autoSync = auto.selected_option.value === ON;
  const type = v[SB.defaultType]?.[SA.defaultType];
  if (type?.selected_option && ['Bill', 'Expense'].includes(type.selected_option.value)) d.defaultType = type.selected_option.value;
  const pa = v[SB.purchaseAccount]?.[SA.purchaseAccount];
  if (pa && 'selected_option' in pa) d.defaultPurchaseAccountId = pa.selected_option?.value ?? null;
  const ea = v[SB.expenseAccount]?.[SA.expenseAccount];
  if (ea && 'selected_option' in ea) d.defaultExpenseAccountId = ea.selected_option?.value ?? null;
  const admins = v[SB.admins]?.[SA.admins];
  if (admins && Array.isArray(admins.selected_users)) d.adminUserIds = admins.selected_users;
  const payers = v[SB.payers]?.[SA.payers];
  if (payers && Array.isArray(payers.selected_users)) d.payerUserIds = payers.selected_users.filter((u: unknown) => typeof u === 'string');
  return d;
}
