import type { Engine } from '../engine.ts';
import type { Logger } from '../log.ts';
import { type AccountUse, accountUnfit } from '../qbo/accounts.ts';
import type { ListItem } from '../qbo/lists.ts';
import type { WorkspaceSettings } from '../store/workspace.ts';
import type { Profile } from '../workspace/profiles.ts';
import { type RefreshResult, refreshFromQbo } from './qbo-refresh.ts';

/**
 * The workspace's settings as a use case (no Slack): what the settings modal and App Home show — the connection, the
 * saved settings with an admin's draft over them, the default accounts checked against the cached lists, the lists'
 * and profiles' counts — the lists' refresh from QuickBooks, and which profile links went stale. Plain data out:
 * problems and outcomes are codes, worded by src/slack/copy/settings.ts.
 */

export type SettingsDeps = Pick<Engine, 'store' | 'lists' | 'connections'>;

/** Why a saved default account is not offered any more. */
export type AccountProblem =
  | { code: 'inactive'; name: string }
  | { code: 'wrong_type'; name: string; type: string | null }
  /** Not in the cached accounts (only said once accounts were cached at all). */
  | { code: 'missing' };

/** A saved account id → the cached account when it may be used, or the problem that keeps it out. */
export interface AccountCheck {
  item: ListItem | null;
  problem: AccountProblem | null;
}

/**
 * Checks a saved account id for a use (purchase: Bank / Credit Card; expense). A missing one is a problem only once
 * the accounts were cached (`accounts`: how many, when the caller knows; counted otherwise).
 */
export async function checkAccount(
  deps: Pick<SettingsDeps, 'lists'>,
  teamId: string,
  id: string | null | undefined,
  use: AccountUse,
  accounts?: number,
): Promise<AccountCheck> {
  if (!id) return { item: null, problem: null };
  const a = await deps.lists.get(teamId, 'Account', id);
  if (!a) {
    const cached = accounts ?? (await deps.lists.count(teamId, 'Account'));
    return { item: null, problem: cached ? { code: 'missing' } : null };
  }
  const unfit = accountUnfit(a, use);
  if (unfit === 'inactive') return { item: null, problem: { code: 'inactive', name: a.fullName } };
  if (unfit) return { item: null, problem: { code: 'wrong_type', name: a.fullName, type: a.type ?? null } };
  return { item: a, problem: null };
}

/**
 * What an admin changed in the modal and has not saved, or entered in a submission (undefined: untouched, or the input
 * was not in the view; null account: cleared).
 */
export interface SettingsDraft {
  autoSync?: boolean;
  defaultType?: 'Bill' | 'Expense';
  defaultPurchaseAccountId?: string | null;
  defaultExpenseAccountId?: string | null;
  adminUserIds?: string[];
  payerUserIds?: string[];
}

/** The saved settings with the draft's fields over them. */
export function applyDraft(saved: WorkspaceSettings, d: SettingsDraft = {}): WorkspaceSettings {
  const s: WorkspaceSettings = { ...saved };
  if (d.autoSync !== undefined) s.autoSync = d.autoSync;
  if (d.defaultType !== undefined) s.defaultType = d.defaultType;
  if (d.defaultPurchaseAccountId !== undefined) s.defaultPurchaseAccountId = d.defaultPurchaseAccountId;
  if (d.defaultExpenseAccountId !== undefined) s.defaultExpenseAccountId = d.defaultExpenseAccountId;
  if (d.adminUserIds !== undefined) s.adminUserIds = d.adminUserIds;
  if (d.payerUserIds !== undefined) s.payerUserIds = d.payerUserIds;
  return s;
}

/** The QuickBooks connection as the settings show it ('none': never connected, or disconnected). */
export interface ConnectionSummary {
  status: 'none' | 'connected' | 'needs_reconnect';
  companyName: string | null;
  reason: string | null;
  /** When Intuit ends the authorization for good (epoch ms), if it said. */
  hardExpiresAt: number | null;
}

export async function connectionSummary(deps: Pick<SettingsDeps, 'connections'>, teamId: string): Promise<ConnectionSummary> {
  const c = await deps.connections.get(teamId);
  return {
    status: !c || c.status === 'disconnected' ? 'none' : c.status,
    companyName: c?.companyName ?? null,
    reason: c?.statusReason ?? null,
    hardExpiresAt: c?.refreshHardExpiresAt ?? null,
  };
}

export interface ProfileCounts {
  total: number;
  unlinked: number;
  bindings: number;
}

export function profileCounts(deps: Pick<SettingsDeps, 'store'>, teamId: string): Promise<ProfileCounts> {
  return deps.store.profiles.summary(teamId);
}

export interface SettingsState {
  connection: ConnectionSummary;
  /** The saved settings, with the draft over them when there is one. */
  settings: WorkspaceSettings;
  /** What is saved (a submission changes only the fields the admin changed). */
  saved: WorkspaceSettings;
  /** The (drafted) default accounts when usable, else null with the problem (null too when unset). */
  purchaseAccount: ListItem | null;
  expenseAccount: ListItem | null;
  purchaseAccountProblem: AccountProblem | null;
  expenseAccountProblem: AccountProblem | null;
  lists: { refreshedAt: number | null; accounts: number; customers: number; items: number; vendors: number };
  profiles: ProfileCounts;
}

/** Everything the settings show, from the database and the cached lists (no QuickBooks call). */
export async function settingsState(deps: SettingsDeps, teamId: string, draft?: SettingsDraft): Promise<SettingsState> {
  const { lists } = deps;
  const saved = await deps.store.workspaces.getSettings(teamId);
  const settings = applyDraft(saved, draft);
  // One grouped count for the "N cached" lines (and whether accounts were cached at all): the ack path stays bounded.
  const [counts, refreshedAt] = await Promise.all([lists.counts(teamId), lists.refreshedAt(teamId, 'Account')]);
  const [pa, ea] = await Promise.all([
    checkAccount(deps, teamId, settings.defaultPurchaseAccountId, 'purchase', counts.Account),
    checkAccount(deps, teamId, settings.defaultExpenseAccountId, 'expense', counts.Account),
  ]);
  const [connection, profiles] = await Promise.all([connectionSummary(deps, teamId), profileCounts(deps, teamId)]);
  return {
    connection,
    settings,
    saved,
    purchaseAccount: pa.item,
    expenseAccount: ea.item,
    purchaseAccountProblem: pa.problem,
    expenseAccountProblem: ea.problem,
    lists: { refreshedAt, accounts: counts.Account, customers: counts.Customer, items: counts.Item, vendors: counts.Vendor },
    profiles,
  };
}

/** A refresh of the lists as the settings report it: whether it was asked for (the Refresh button, a new connection). */
export interface ListsRefresh extends RefreshResult {
  forced: boolean;
}

/** Brings the cached lists up to date with QuickBooks (when connected and stale, or forced); never throws. */
export async function refreshLists(
  deps: Pick<Engine, 'connections' | 'qbo' | 'lists'> & { log: Logger },
  teamId: string,
  opts: { force?: boolean } = {},
): Promise<ListsRefresh> {
  const r = await refreshFromQbo(deps, teamId, opts);
  return { ...r, forced: !!opts.force };
}

/** The profiles page: profiles, channel bindings (project name null when its profile is gone) and stale links. */
export interface LinkState {
  profiles: Profile[];
  bindings: Array<{ channelId: string; projectName: string | null }>;
  connected: boolean;
  /** Linked profiles whose QuickBooks entry is gone or inactive in the cached lists (known once customers are cached). */
  stale: Set<number>;
}

export async function linkState(deps: SettingsDeps, teamId: string): Promise<LinkState> {
  const profiles = deps.store.profiles;
  const all = await profiles.list(teamId);
  const byId = new Map(all.map((p) => [p.id, p]));
  const bindings = (await profiles.bindings(teamId)).map((b) => ({
    channelId: b.channelId,
    projectName: byId.get(b.projectProfileId)?.name ?? null,
  }));
  const connected = await deps.connections.isConnected(teamId);
  const stale = connected && (await deps.lists.refreshedAt(teamId, 'Customer')) ? await staleLinks(deps, teamId, all) : new Set<number>();
  return { profiles: all, bindings, connected, stale };
}

/** The linked profiles whose entry is not active in the cached lists: one query per list linked to, not per profile. */
async function staleLinks(deps: Pick<SettingsDeps, 'lists'>, teamId: string, all: Profile[]): Promise<Set<number>> {
  const linked = all.filter((p) => p.qboId && p.qboEntity);
  const active = new Set<string>();
  for (const entity of new Set(linked.map((p) => p.qboEntity!))) {
    const ids = linked.filter((p) => p.qboEntity === entity).map((p) => p.qboId!);
    for (const item of await deps.lists.getMany(teamId, entity, ids)) if (item.active) active.add(`${entity}:${item.id}`);
  }
  return new Set(linked.filter((p) => !active.has(`${p.qboEntity}:${p.qboId}`)).map((p) => p.id));
}

// ---------- saving the modal ----------

/** At most this many named payers (the modal keeps the saved values in private_metadata, ≤ 3000 chars, with ≤ 100 admins). */
export const MAX_PAYERS = 50;

/** Why a default account in a submission cannot be saved: `problem` null when it is simply not a cached account. */
export interface DraftAccountError {
  code: 'account_unfit';
  use: AccountUse;
  problem: AccountProblem | null;
}
export type DraftErrors = Partial<Record<'defaultPurchaseAccountId' | 'defaultExpenseAccountId', DraftAccountError>>;

/** The draft's new default accounts checked against the cached lists (bounded: one indexed read each); null when fine. */
export async function checkDraft(deps: Pick<SettingsDeps, 'lists'>, teamId: string, d: SettingsDraft): Promise<DraftErrors | null> {
  const errors: DraftErrors = {};
  const check = async (key: keyof DraftErrors, id: string | null | undefined, use: AccountUse) => {
    if (!id) return;
    const c = await checkAccount(deps, teamId, id, use);
    if (!c.item) errors[key] = { code: 'account_unfit', use, problem: c.problem };
  };
  await check('defaultPurchaseAccountId', d.defaultPurchaseAccountId, 'purchase');
  await check('defaultExpenseAccountId', d.defaultExpenseAccountId, 'expense');
  return Object.keys(errors).length ? errors : null;
}

/** The settings patch a draft makes: only the fields it has; admins and payers once each, payers capped. */
export function draftPatch(d: SettingsDraft): Partial<Omit<WorkspaceSettings, 'teamId'>> {
  const patch: Partial<Omit<WorkspaceSettings, 'teamId'>> = {};
  if (d.autoSync !== undefined) patch.autoSync = d.autoSync;
  if (d.defaultType !== undefined) patch.defaultType = d.defaultType;
  if (d.defaultPurchaseAccountId !== undefined) patch.defaultPurchaseAccountId = d.defaultPurchaseAccountId;
  if (d.defaultExpenseAccountId !== undefined) patch.defaultExpenseAccountId = d.defaultExpenseAccountId;
  if (d.adminUserIds !== undefined) patch.adminUserIds = [...new Set(d.adminUserIds)];
  if (d.payerUserIds !== undefined) patch.payerUserIds = [...new Set(d.payerUserIds)].slice(0, MAX_PAYERS);
  return patch;
}

export interface SavedSettings {
  before: WorkspaceSettings;
  after: WorkspaceSettings;
  /** Blocked invoices resumed because a default account changed. */
  resumed: number;
  /** Ready invoices queued because Auto-sync was turned on. */
  queued: number;
}

/**
 * Saves a checked draft (checkDraft first: the caller acks in between): a new default account resumes the blocked
 * invoices, Auto-sync turned on queues the ready ones.
 */
export async function saveDraft(
  deps: Pick<Engine, 'store' | 'sync'> & { log: Logger },
  actor: { teamId: string; userId: string },
  d: SettingsDraft,
): Promise<SavedSettings> {
  const { teamId, userId } = actor;
  const { before, after } = await deps.store.workspaces.updateSettings(teamId, draftPatch(d), userId);
  deps.log.info('settings saved', { teamId, userId, autoSync: after.autoSync, defaultType: after.defaultType });
  const changed = (k: 'defaultPurchaseAccountId' | 'defaultExpenseAccountId') => !!after[k] && after[k] !== before[k];
  const resumed =
    changed('defaultPurchaseAccountId') || changed('defaultExpenseAccountId') ? (await deps.sync.resumeBlocked(teamId, userId)).length : 0;
  let queued = 0;
  if (after.autoSync && !before.autoSync) {
    queued = await deps.sync.queueReady(teamId, userId);
    deps.log.info('auto-sync turned on; queued ready invoices', { teamId, queued });
  }
  return { before, after, resumed, queued };
}
