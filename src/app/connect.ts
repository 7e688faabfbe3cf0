import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { signToken, verifyToken } from '../crypto.ts';
import { type CompanyIdentity, companyIdentityOf } from '../qbo/company-identity.ts';
import { QboError } from '../qbo/errors.ts';
import type { QboOAuth } from '../qbo/oauth.ts';
import type { Store } from '../store/index.ts';
import { type RefreshDeps, type RefreshResult, refreshFromQbo } from './qbo-refresh.ts';

/**
 * Connecting a workspace to a QuickBooks company, as a use case (no Slack, no HTTP): the signed, single-use Connect
 * link, the consent's start (admin still? link unused? → a random, single-use `state` bound to the workspace and
 * admin, 10 minutes), and its finish (state claimed, code exchanged, the company the tokens open checked against the
 * callback's `realmId`, the sealed tokens and company identity stored), then what follows a connection (notices
 * released, lists refreshed, waiting invoices resent) and its announcement through the `announce` port.
 *
 * Login CSRF: the consent must finish in the browser that started it. The start hands back a random nonce for an
 * HttpOnly cookie, and the state carries an HMAC of that nonce (`<random>.<hmac>`, keyed with the app's encryption
 * key), so a consent URL sent to someone else cannot connect their workspace to another company.
 */

export const STATE_TTL_MS = 10 * 60_000;
/**
 * How long the Connect button's link stays valid. It is also single-use (consumed when the consent starts), so a
 * link someone else gets hold of is of no use to them for long, or at all once the admin used it.
 */
export const CONNECT_LINK_TTL_S = 5 * 60;
/** The admin_notices cause of "QuickBooks needs to be reconnected" (one DM per break; released on connect). */
export const NOTICE_NEEDS_RECONNECT = 'qbo_needs_reconnect';
/** Per-person "QuickBooks is unreachable" notices (`outage_dm:<user>`); released on connect. */
export const OUTAGE_NOTICE_PREFIX = 'outage_dm:';

export interface ConnectDeps extends RefreshDeps {
  store: Store;
  oauth: QboOAuth;
  sync: { resumeBlocked(teamId: string, actor: string): Promise<unknown[]> };
  encryptionKey: Buffer;
  /** Is this person (still) an admin of the workspace? Fails closed: false when it cannot be told. */
  isAdmin(teamId: string, userId: string): Promise<boolean>;
  /** Tells the people concerned that the workspace is connected (the Slack side: modal, DM, App Home). */
  announce(c: Connected): Promise<void>;
}

/** What a finished connection hands to `announce`. */
export interface Connected {
  teamId: string;
  userId: string;
  /** The settings modal the Connect link came from, when it named one. */
  viewId: string | null;
  companyName: string | null;
  /** How many invoices that waited for the connection were resent. */
  resumed: number;
  /** The lists' refresh right after connecting (it may fail: QBO may not answer yet). */
  refresh: RefreshResult;
}

interface ConnectLink {
  k: string;
  /** The link's id: single use, recorded in oauth_states as `link:<n>` when the consent starts. */
  n?: string;
  team: string;
  user: string;
  view?: string;
  exp: number;
}

/** The Connect button's URL: a signed link naming the workspace, the admin and (when known) the settings modal. */
export function connectLinkUrl(key: Buffer, publicUrl: string, p: { teamId: string; userId: string; viewId?: string | null }): string {
  const n = randomBytes(12).toString('base64url'); // the link's id: the consent accepts each one once
  const claims = { k: 'qbo_connect', n, team: p.teamId, user: p.userId, ...(p.viewId ? { view: p.viewId } : {}) };
  const t = signToken(key, claims, CONNECT_LINK_TTL_S);
  return `${publicUrl}/qbo/connect?t=${encodeURIComponent(t)}`;
}

function nonceMac(key: Buffer, random: string, nonce: string): string {
  return createHmac('sha256', key).update(`qbo-state.${random}.${nonce}`).digest('base64url');
}

/** A fresh state bound to a fresh browser nonce: the state goes to Intuit, the nonce into the cookie. */
export function newState(key: Buffer): { state: string; nonce: string } {
  const random = randomBytes(32).toString('base64url');
  const nonce = randomBytes(32).toString('base64url');
  return { state: `${random}.${nonceMac(key, random, nonce)}`, nonce };
}

/** Does the state carry the HMAC of this browser's nonce? */
export function stateMatchesNonce(key: Buffer, state: string, nonce: string | null): boolean {
  if (!nonce) return false;
  const dot = state.lastIndexOf('.');
  if (dot <= 0) return false;
  const expected = Buffer.from(nonceMac(key, state.slice(0, dot), nonce));
  const given = Buffer.from(state.slice(dot + 1));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export type StartOutcome = { ok: true; authorizeUrl: string; nonce: string } | { ok: false; why: 'invalid_link' | 'not_admin' | 'link_used' };

/** The consent's start, from the Connect link's token: refused unless signed, unexpired, unused and still an admin's. */
export async function startConsent(deps: ConnectDeps, token: string, now = Date.now()): Promise<StartOutcome> {
  const link = token ? verifyToken<ConnectLink & Record<string, unknown>>(deps.encryptionKey, token) : null;
  if (link?.k !== 'qbo_connect' || typeof link.team !== 'string' || typeof link.user !== 'string') return { ok: false, why: 'invalid_link' };
  // Still an admin? (The link may have been forwarded, or the person demoted since.)
  if (!(await deps.isAdmin(link.team, link.user))) return { ok: false, why: 'not_admin' };
  await deps.store.oauthStates.pruneBefore(now - STATE_TTL_MS); // old states are useless; keep the table small
  if (!(await consumeLink(deps.store, link, now))) {
    deps.log.warn('qbo connect refused: link already used', { teamId: link.team, userId: link.user });
    return { ok: false, why: 'link_used' };
  }
  const { state, nonce } = newState(deps.encryptionKey);
  await deps.store.oauthStates.insert({
    state,
    teamId: link.team,
    userId: link.user,
    viewId: link.view ?? null,
    expiresAt: now + STATE_TTL_MS,
  });
  deps.log.info('qbo consent started', { teamId: link.team, userId: link.user });
  return { ok: true, authorizeUrl: deps.oauth.authorizeUrl(state), nonce };
}

/** Marks a connect link used; false when it already was (a second opening, a forwarded copy). */
async function consumeLink(store: Store, link: ConnectLink, now: number): Promise<boolean> {
  if (typeof link.n !== 'string' || !link.n) return false;
  return store.oauthStates.insertUsed({
    state: `link:${link.n}`,
    teamId: link.team,
    userId: link.user,
    expiresAt: link.exp * 1000,
    usedAt: now,
  });
}

/** Intuit's redirect back, as plain data. */
export interface Callback {
  state: string;
  /** The nonce cookie of the browser that came back (null: none). */
  nonce: string | null;
  error: string | null;
  code: string | null;
  realmId: string | null;
  /** The callback's URL (path and query), for the code exchange. */
  url: string;
}

export type FinishRefusal = 'other_browser' | 'invalid_state' | 'declined' | 'no_code' | 'exchange_failed' | 'wrong_company' | 'company_check_failed';

export type FinishOutcome =
  | { ok: true; teamId: string; userId: string; viewId: string | null; realmId: string; companyName: string | null }
  | { ok: false; why: FinishRefusal };

/** The consent's finish. Refused (nothing stored) unless this browser started it and the state is fresh and unused. */
export async function finishConsent(deps: ConnectDeps, cb: Callback): Promise<FinishOutcome> {
  const { log } = deps;
  if (cb.state && !stateMatchesNonce(deps.encryptionKey, cb.state, cb.nonce)) {
    log.warn('qbo callback refused: consent started in another browser (no or wrong nonce cookie)');
    return { ok: false, why: 'other_browser' };
  }
  // Claimed in one statement, so a replay (even a concurrent one) fails.
  const claimed = cb.state ? await deps.store.oauthStates.claim(cb.state, Date.now()) : null;
  if (!claimed) {
    log.warn('qbo callback refused: unknown, used or expired state');
    return { ok: false, why: 'invalid_state' };
  }
  const { teamId, userId, viewId } = claimed;
  if (cb.error) {
    log.info('qbo consent declined', { teamId, userId, error: cb.error });
    return { ok: false, why: 'declined' };
  }
  const realmId = cb.realmId;
  if (!cb.code || !realmId) return { ok: false, why: 'no_code' };
  let tokens: Awaited<ReturnType<QboOAuth['exchangeCode']>>;
  try {
    tokens = await deps.oauth.exchangeCode(cb.url);
  } catch (err) {
    log.error('qbo connect failed', { teamId, userId, error: err });
    return { ok: false, why: 'exchange_failed' };
  }
  // Before anything is stored: the realmId in the URL must be the company these tokens open (it can be edited).
  const identity = await verifiedCompany(deps, { teamId, userId, realmId, accessToken: tokens.accessToken });
  if (!('companyName' in identity)) return { ok: false, why: identity.why };
  await deps.store.workspaces.ensure(teamId);
  await deps.connections.save(teamId, realmId, tokens, { identity, connectedBy: userId });
  log.info('qbo connected', { teamId, userId, realmId });
  return { ok: true, teamId, userId, viewId, realmId, companyName: identity.companyName || null };
}

/** The company the new tokens open (read from its CompanyInfo), or why it cannot be trusted. */
async function verifiedCompany(
  deps: ConnectDeps,
  a: { teamId: string; userId: string; realmId: string; accessToken: string },
): Promise<CompanyIdentity | { why: 'wrong_company' | 'company_check_failed' }> {
  try {
    return companyIdentityOf(await deps.qbo.companyInfoWithToken(a.accessToken, a.realmId));
  } catch (err) {
    const refused = err instanceof QboError && (err.status === 401 || err.status === 403);
    deps.log.warn(refused ? 'qbo callback refused: the tokens do not open that company' : 'qbo company check failed', {
      teamId: a.teamId,
      userId: a.userId,
      realmId: a.realmId,
      error: err,
    });
    return { why: refused ? 'wrong_company' : 'company_check_failed' };
  }
}

/**
 * After a successful consent: the "needs reconnect" and outage notices are released (a later break tells people
 * once again), the lists are fetched, invoices that waited for the connection are resent, and it is announced.
 */
export async function afterConnected(deps: ConnectDeps, p: { teamId: string; userId: string; viewId: string | null }): Promise<Connected> {
  const { teamId, userId } = p;
  await deps.store.notices.resolve(teamId, NOTICE_NEEDS_RECONNECT);
  await deps.store.notices.resolveLike(teamId, OUTAGE_NOTICE_PREFIX);
  const refresh = await refreshFromQbo(deps, teamId, { force: true });
  const resumed = await deps.sync.resumeBlocked(teamId, userId);
  const companyName = (await deps.connections.get(teamId))?.companyName ?? null;
  const connected: Connected = { ...p, companyName, resumed: resumed.length, refresh };
  await deps.announce(connected);
  return connected;
}
