import { homeSplits } from './coding-info.ts';
import type { WebClient } from '@slack/web-api';
import { waitingForMeBlocks } from './views/approvals-card.ts';
import type { SlackDeps } from './deps.ts';
import { connectLinkUrl } from '../app/connect.ts';
import { homeInvoices } from '../app/home.ts';
import type { RefreshResult } from '../app/qbo-refresh.ts';
import {
  linkState as appLinkState,
  checkAccount,
  connectionSummary,
  settingsState as loadSettings,
  profileCounts as appProfileCounts,
  type ProfileCounts,
  refreshLists,
} from '../app/settings.ts';
import { accountProblemText, refreshNoticeText, UNKNOWN_PROJECT } from './copy/settings.ts';
import type { ListItem } from '../qbo/lists.ts';
import type { AccountUse } from '../qbo/accounts.ts';
import { settingsView, type ConnectionState, type SettingsDraft, type SettingsViewState } from './views/settings.ts';
import { type LinkViewState, linkProfilesView } from './views/link-profiles.ts';
import { homeView } from './views/home.ts';

/**
 * The settings feature's Slack side, shared by its command, action, view, option and event listeners: the use case
 * (src/app/settings.ts) turned into view state (src/slack/copy/settings.ts words it), views.open / views.update with
 * hash handling, the open-modal map the OAuth callback uses, and App Home's publishing.
 */

export { NOTICE_NEEDS_RECONNECT } from '../app/connect.ts';

/** The Connect QuickBooks button's signed, single-use link (see src/app/connect.ts). */
export function connectUrl(deps: SlackDeps, teamId: string, userId: string, viewId?: string | null): string {
  return connectLinkUrl(deps.config.encryptionKey, deps.config.publicUrl, { teamId, userId, viewId });
}

export async function connectionState(deps: SlackDeps, teamId: string, userId: string, viewId?: string | null): Promise<ConnectionState> {
  return { ...(await connectionSummary(deps.engine, teamId)), connectUrl: connectUrl(deps, teamId, userId, viewId) };
}

/** A saved account id → the cached account, or why it is not offered (in words, for the modal's field error). */
type AccountChoice = { item: ListItem | null; problem: string | null };

async function accountChoice(deps: SlackDeps, teamId: string, id: string, use: AccountUse, accounts?: number): Promise<AccountChoice> {
  const c = await checkAccount(deps.engine, teamId, id, use, accounts);
  return { item: c.item, problem: accountProblemText(c.problem) };
}
export function validPurchaseAccount(deps: SlackDeps, teamId: string, id: string, accounts?: number): Promise<AccountChoice> {
  return accountChoice(deps, teamId, id, 'purchase', accounts);
}

export function profileCounts(deps: SlackDeps, teamId: string): Promise<ProfileCounts> {
  return appProfileCounts(deps.engine, teamId);
}

/** The settings modal's state: the use case's, with the Connect link and the problems in words. */
export async function settingsState(
  deps: SlackDeps,
  teamId: string,
  userId: string,
  opts: { viewId?: string | null; draft?: SettingsDraft; loading?: boolean; notice?: string | null } = {},
): Promise<SettingsViewState> {
  const s = await loadSettings(deps.engine, teamId, opts.draft);
  return {
    ...s,
    connection: { ...s.connection, connectUrl: connectUrl(deps, teamId, userId, opts.viewId) },
    purchaseAccountProblem: accountProblemText(s.purchaseAccountProblem),
    expenseAccountProblem: accountProblemText(s.expenseAccountProblem),
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
  const r = await refreshLists({ ...deps.engine, log: deps.log }, teamId, opts);
  return { notice: refreshNoticeText(r), refreshed: r.refreshed };
}

/** The modal's line about a refresh (see refreshNoticeText). */
export function refreshNotice(r: RefreshResult, opts: { force?: boolean } = {}): string | null {
  return refreshNoticeText({ ...r, forced: !!opts.force });
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

/** The profiles page's state: the use case's, with the page and the notice. */
export async function linkState(deps: SlackDeps, teamId: string, page: number, notice?: string | null): Promise<LinkViewState> {
  const s = await appLinkState(deps.engine, teamId);
  const bindings = s.bindings.map((b) => ({ channelId: b.channelId, projectName: b.projectName ?? UNKNOWN_PROJECT }));
  return { ...s, bindings, page, notice };
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
