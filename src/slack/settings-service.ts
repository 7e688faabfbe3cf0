import { homeSplits } from './coding-info.ts';
import type { WebClient } from '@slack/web-api';
import { waitingForMeBlocks } from './views/approvals-card.ts';
import type { SlackDeps } from './deps.ts';
import { connectLinkUrl } from '../app/connect.ts';
import { homeInvoices } from '../app/home.ts';
import { refreshFromQbo, type RefreshResult } from '../app/qbo-refresh.ts';
import { QboError } from '../qbo/errors.ts';
import { qboFaultWords } from './copy/reasons.ts';
import type { ListItem } from '../qbo/lists.ts';
import { accountUnfit, type AccountUse } from '../qbo/accounts.ts';
import type { WorkspaceSettings } from '../store/workspace.ts';
import { settingsView, type ConnectionState, type SettingsDraft, type SettingsViewState } from './views/settings.ts';
import { linkProfilesView } from './views/link-profiles.ts';
import { homeView } from './views/home.ts';
import { esc } from './views/common.ts';

/** The settings feature's Slack-side logic, shared by its command, action, view, option and event listeners. */

export { NOTICE_NEEDS_RECONNECT } from '../app/connect.ts';

/** The Connect QuickBooks button's signed, single-use link (see src/app/connect.ts). */
export function connectUrl(deps: SlackDeps, teamId: string, userId: string, viewId?: string | null): string {
  return connectLinkUrl(deps.config.encryptionKey, deps.config.publicUrl, { teamId, userId, viewId });
}

export async function connectionState(deps: SlackDeps, teamId: string, userId: string, viewId?: string | null): Promise<ConnectionState> {
  const c = await deps.engine.connections.get(teamId);
  return {
    status: !c || c.status === 'disconnected' ? 'none' : c.status,
    companyName: c?.companyName ?? null,
    reason: c?.statusReason ?? null,
    hardExpiresAt: c?.refreshHardExpiresAt ?? null,
    connectUrl: connectUrl(deps, teamId, userId, viewId),
  };
}

type AccountChoice = { item: ListItem | null; problem: string | null };

/**
 * A saved account id → the cached account, or why it is not offered (inactive, deleted, wrong type). A missing one
 * is "no longer in QuickBooks" only once the accounts were cached (`accounts`: how many, when the caller knows).
 */
async function accountCheck(
  deps: SlackDeps,
  teamId: string,
  id: string | null | undefined,
  use: AccountUse,
  accounts?: number,
): Promise<AccountChoice> {
  if (!id) return { item: null, problem: null };
  const a = await deps.engine.lists.get(teamId, 'Account', id);
  if (!a) {
    const cached = accounts ?? (await deps.engine.lists.count(teamId, 'Account'));
    return { item: null, problem: cached ? 'it is no longer in QuickBooks' : null };
  }
  const unfit = accountUnfit(a, use);
  if (unfit === 'inactive') return { item: null, problem: `${a.fullName} is inactive in QuickBooks` };
  if (unfit) return { item: null, problem: `${a.fullName} is a ${a.type ?? 'different'} account` };
  return { item: a, problem: null };
}

export function validPurchaseAccount(deps: SlackDeps, teamId: string, id: string, accounts?: number): Promise<AccountChoice> {
  return accountCheck(deps, teamId, id, 'purchase', accounts);
}
export function validExpenseAccount(deps: SlackDeps, teamId: string, id: string, accounts?: number): Promise<AccountChoice> {
  return accountCheck(deps, teamId, id, 'expense', accounts);
}

export function profileCounts(deps: SlackDeps, teamId: string): Promise<{ total: number; unlinked: number; bindings: number }> {
  return deps.engine.store.profiles.summary(teamId);
}

export async function settingsState(
  deps: SlackDeps,
  teamId: string,
  userId: string,
  opts: { viewId?: string | null; draft?: SettingsDraft; loading?: boolean; notice?: string | null } = {},
): Promise<SettingsViewState> {
  const { lists } = deps.engine;
  const saved = await deps.engine.store.workspaces.getSettings(teamId);
  const settings: WorkspaceSettings = { ...saved };
  const d = opts.draft ?? {};
  if (d.autoSync !== undefined) settings.autoSync = d.autoSync;
  if (d.defaultType !== undefined) settings.defaultType = d.defaultType;
  if (d.defaultPurchaseAccountId !== undefined) settings.defaultPurchaseAccountId = d.defaultPurchaseAccountId;
  if (d.defaultExpenseAccountId !== undefined) settings.defaultExpenseAccountId = d.defaultExpenseAccountId;
  if (d.adminUserIds !== undefined) settings.adminUserIds = d.adminUserIds;
  if (d.payerUserIds !== undefined) settings.payerUserIds = d.payerUserIds;
  // One grouped count for the "N cached" lines (and whether accounts were cached at all): the ack path stays bounded.
  const [counts, refreshedAt] = await Promise.all([lists.counts(teamId), lists.refreshedAt(teamId, 'Account')]);
  const [pa, ea] = await Promise.all([
    validPurchaseAccount(deps, teamId, settings.defaultPurchaseAccountId ?? '', counts.Account),
    validExpenseAccount(deps, teamId, settings.defaultExpenseAccountId ?? '', counts.Account),
  ]);
  return {
    connection: await connectionState(deps, teamId, userId, opts.viewId),
    settings,
    saved,
    purchaseAccount: pa.item,
    expenseAccount: ea.item,
    purchaseAccountProblem: pa.problem,
    expenseAccountProblem: ea.problem,
    lists: {
      refreshedAt,
      accounts: counts.Account,
      customers: counts.Customer,
      items: counts.Item,
      vendors: counts.Vendor,
    },
    profiles: await profileCounts(deps, teamId),
    loading: opts.loading,
    notice: opts.notice,
  };
}

/**
 * Brings the cache up to date with QBO (lists, company name) when connected. Returns a line for the modal when
 * something went wrong; never throws (the modal is already open).
 */
export async function syncFromQbo(
  deps: SlackDeps,
  teamId: string,
  opts: { force?: boolean } = {},
): Promise<{ notice: string | null; refreshed: boolean }> {
  const r = await refreshFromQbo({ ...deps.engine, log: deps.log }, teamId, opts);
  return { notice: refreshNotice(r, opts), refreshed: r.refreshed };
}

/** The modal's line about a refresh: a failure (the choices may be out of date), or a forced one that worked. */
export function refreshNotice(r: RefreshResult, opts: { force?: boolean } = {}): string | null {
  if (r.error) {
    const why = r.error instanceof QboError ? qboFaultWords(r.error).reason : 'Something went wrong.';
    return `:warning: Could not fetch the latest lists from QuickBooks. ${esc(why)} The choices below may be out of date.`;
  }
  return r.refreshed && opts.force ? ':white_check_mark: QuickBooks lists refreshed.' : null;
}

/** views.update that tolerates a view the admin closed meanwhile, or a newer update (hash). */
export async function updateView(deps: SlackDeps, client: WebClient, viewId: string, view: any, hash?: string): Promise<{ hash?: string } | null> {
  try {
    const res = await client.views.update({ view_id: viewId, view, ...(hash ? { hash } : {}) });
    return { hash: (res.view as any)?.hash };
  } catch (err: any) {
    const code = err?.data?.error;
    if (code === 'hash_conflict' || code === 'not_found') {
      deps.log.debug('settings view update skipped', { viewId, code });
      return null;
    }
    deps.log.warn('views.update failed', { viewId, error: err, messages: err?.data?.response_metadata?.messages });
    return null;
  }
}

/**
 * The settings modal each admin has open (latest first), so the OAuth callback can update it even when the Connect
 * link was taken from the first render (before the link could name the view). In memory: losing it loses only
 * the live update of the modal.
 */
const openSettingsViews = new Map<string, string>();
export function lastSettingsView(teamId: string, userId: string): string | null {
  return openSettingsViews.get(`${teamId}:${userId}`) ?? null;
}

/** Opens the settings modal at once (trigger ids expire in 3 s), then fetches from QBO and updates it. */
export async function openSettings(deps: SlackDeps, client: WebClient, p: { teamId: string; userId: string; triggerId: string }): Promise<void> {
  const { teamId, userId } = p;
  const connected = await deps.engine.connections.isConnected(teamId);
  const opened = await client.views.open({
    trigger_id: p.triggerId,
    view: settingsView(await settingsState(deps, teamId, userId, { loading: connected })),
  });
  const view = opened.view as { id: string; hash: string };
  openSettingsViews.set(`${teamId}:${userId}`, view.id);
  const { notice } = await syncFromQbo(deps, teamId);
  // Always update once: the Connect button's link now names this view, so the callback can refresh it.
  await updateView(deps, client, view.id, settingsView(await settingsState(deps, teamId, userId, { viewId: view.id, notice })), view.hash);
}

export async function linkState(deps: SlackDeps, teamId: string, page: number, notice?: string | null) {
  const profiles = deps.engine.store.profiles;
  const all = await profiles.list(teamId);
  const byId = new Map(all.map((p) => [p.id, p]));
  const bindings = (await profiles.bindings(teamId)).map((b) => ({ channelId: b.channelId, projectName: byId.get(b.projectProfileId)?.name ?? '?' }));
  const connected = await deps.engine.connections.isConnected(teamId);
  const stale = new Set<number>();
  if (connected && (await deps.engine.lists.refreshedAt(teamId, 'Customer'))) {
    const linked = all.filter((p) => p.qboId && p.qboEntity);
    const active = new Set<string>();
    // One query per list linked to (Customer, Item, Account), not one per profile.
    for (const entity of new Set(linked.map((p) => p.qboEntity!))) {
      const ids = linked.filter((p) => p.qboEntity === entity).map((p) => p.qboId!);
      for (const item of await deps.engine.lists.getMany(teamId, entity, ids)) if (item.active) active.add(`${entity}:${item.id}`);
    }
    for (const p of linked) if (!active.has(`${p.qboEntity}:${p.qboId}`)) stale.add(p.id);
  }
  return { profiles: all, bindings, page, connected, notice, stale };
}

export async function buildLinkView(deps: SlackDeps, teamId: string, page = 0, notice?: string | null) {
  return linkProfilesView(await linkState(deps, teamId, page, notice));
}

export async function publishHome(deps: SlackDeps, client: WebClient, teamId: string, userId: string): Promise<void> {
  const s = await settingsState(deps, teamId, userId);
  const admin = await deps.admins.isAdmin(client, teamId, userId);
  const canPay = admin || (await deps.admins.canPay(client, teamId, userId));
  const { connectUrl: _omit, ...connection } = s.connection;
  const recentInvoices = await homeInvoices(deps.engine.invoices, { teamId, userId, seesAll: canPay });
  const view = homeView({
    connection,
    settings: s.settings,
    purchaseAccount: s.purchaseAccount,
    expenseAccount: s.expenseAccount,
    profiles: s.profiles,
    isAdmin: admin,
    canPay,
    // Payers see the workspace's invoices as admins do (they pay any of its bills).
    recentInvoices,
    splits: await homeSplits(deps, recentInvoices),
    meteredThisMonth: admin ? await deps.engine.metered.forTeam(teamId) : undefined,
    waitingForMe: waitingForMeBlocks(await deps.engine.approvals.waitingFor(teamId, userId)),
  });
  await client.views.publish({ user_id: userId, view });
}
