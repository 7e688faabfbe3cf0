import type { CustomRoute } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SlackDeps } from '../slack/deps.ts';
import type { Store } from '../store/index.ts';
import { verifyToken } from '../crypto.ts';
import { afterConnected } from '../slack/settings-service.ts';
import { QboError } from '../qbo/errors.ts';
import { companyIdentityOf, type CompanyIdentity } from '../qbo/company-identity.ts';

/**
 * GET /qbo/connect?t=<signed, single-use link from the settings modal, 5 minutes> → Intuit's consent page with a
 * random, single-use `state` (10 minutes, bound to the workspace and admin). GET /qbo/callback checks that state,
 * exchanges the code, checks that the tokens open the company the callback's `realmId` names (reading its
 * CompanyInfo), stores the sealed tokens, realm and company identity, and answers with a plain page. A missing,
 * expired, replayed or unknown state, or a realm the tokens do not open, changes nothing.
 *
 * Login CSRF: the consent must finish in the browser that started it. /qbo/connect sets an HttpOnly, SameSite=Lax
 * cookie holding a random nonce, and the state carries an HMAC of that nonce (`<random>.<hmac>`, keyed with the app's
 * encryption key), so no schema change is needed. A callback whose browser has no such cookie, or another one, is
 * refused and changes nothing (a consent URL sent to someone else cannot connect their workspace to another company).
 */

export const STATE_TTL_MS = 10 * 60_000;
export const NONCE_COOKIE = 'qbo_connect_nonce';

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

/** The Set-Cookie value: HttpOnly, SameSite=Lax (sent on Intuit's top-level redirect back), Secure on https. */
export function nonceCookie(publicUrl: string, nonce: string, maxAgeSeconds = STATE_TTL_MS / 1000): string {
  const secure = publicUrl.toLowerCase().startsWith('https:') ? '; Secure' : '';
  return `${NONCE_COOKIE}=${nonce}; Path=/qbo; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure}`;
}

export function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim() || null;
  }
  return null;
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

function escHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function page(title: string, message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escHtml(title)}</title>
<style>body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1d1c1d}h1{font-size:1.4rem}</style>
</head><body><h1>${escHtml(title)}</h1><p>${escHtml(message)}</p></body></html>`;
}

function send(res: ServerResponse, status: number, title: string, message: string, extra: Record<string, string> = {}) {
  res.writeHead(status, {
    ...extra,
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  res.end(page(title, message));
}

function query(req: IncomingMessage): URLSearchParams {
  return new URL(req.url ?? '/', 'http://localhost').searchParams;
}

export function qboOAuthRoutes(deps: SlackDeps): CustomRoute[] {
  return [
    { path: '/qbo/connect', method: ['GET'], handler: connectHandler(deps) },
    { path: '/qbo/callback', method: ['GET'], handler: callbackHandler(deps) },
  ];
}

type Handler = CustomRoute['handler'];

/** GET /qbo/connect?t=…: a signed, single-use link from the settings modal → Intuit's consent page (admins only). */
function connectHandler(deps: SlackDeps): Handler {
  const { store, oauth, log } = { ...deps.engine, log: deps.log };
  return async (req, res) => {
    const t = query(req).get('t') ?? '';
    const link = t ? verifyToken<ConnectLink & Record<string, unknown>>(deps.config.encryptionKey, t) : null;
    if (link?.k !== 'qbo_connect' || typeof link.team !== 'string' || typeof link.user !== 'string') {
      return send(
        res,
        400,
        'This link has expired',
        'Connect links are valid for 5 minutes. Run /qbo settings in Slack again and use the new Connect QuickBooks button.',
      );
    }
    // Still an admin? (The link may have been forwarded, or the person demoted since.)
    let admin = false;
    try {
      admin = await deps.admins.isAdmin(await deps.clientFor(link.team), link.team, link.user);
    } catch (err) {
      log.warn('admin check for connect failed', { teamId: link.team, error: err });
    }
    if (!admin) {
      return send(res, 403, 'Only admins can connect QuickBooks', 'Ask a workspace admin to connect QuickBooks from /qbo settings in Slack.');
    }
    const now = Date.now();
    // Old states are useless; keep the table small.
    await store.oauthStates.pruneBefore(now - STATE_TTL_MS);
    if (!(await consumeLink(store, link, now))) {
      log.warn('qbo connect refused: link already used', { teamId: link.team, userId: link.user });
      return send(
        res,
        400,
        'This link was already used',
        'Each Connect link works once. Run /qbo settings in Slack again and use the new Connect QuickBooks button.',
      );
    }
    const { state, nonce } = newState(deps.config.encryptionKey);
    await store.oauthStates.insert({
      state,
      teamId: link.team,
      userId: link.user,
      viewId: link.view ?? null,
      expiresAt: now + STATE_TTL_MS,
    });
    log.info('qbo consent started', { teamId: link.team, userId: link.user });
    res.writeHead(302, {
      Location: oauth.authorizeUrl(state),
      'Set-Cookie': nonceCookie(deps.config.publicUrl, nonce),
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    });
    res.end();
  };
}

/** GET /qbo/callback: Intuit's redirect back; checks nonce, state and company, then stores the connection. */
function callbackHandler(deps: SlackDeps): Handler {
  const { store, oauth, connections, log } = { ...deps.engine, log: deps.log };
  return async (req, res) => {
    const q = query(req);
    const claimed = await claimState(deps, req, res, q);
    if (!claimed) return;
    const clear = { 'Set-Cookie': nonceCookie(deps.config.publicUrl, '', 0) };
    const { teamId, userId, viewId } = claimed;
    if (q.get('error')) {
      log.info('qbo consent declined', { teamId, userId, error: q.get('error') });
      return send(
        res,
        400,
        'QuickBooks was not connected',
        'The connection was cancelled at Intuit. Nothing was changed; you can try again from /qbo settings.',
        clear,
      );
    }
    const realmId = q.get('realmId');
    if (!q.get('code') || !realmId) {
      return send(
        res,
        400,
        'QuickBooks was not connected',
        'Intuit did not send an authorization. Nothing was changed; try again from /qbo settings.',
        clear,
      );
    }
    let tokens: Awaited<ReturnType<typeof oauth.exchangeCode>>;
    try {
      tokens = await oauth.exchangeCode(req.url ?? '');
    } catch (err) {
      log.error('qbo connect failed', { teamId, userId, error: err });
      return send(
        res,
        502,
        'QuickBooks was not connected',
        'Intuit did not accept the authorization. Nothing was changed; try again from /qbo settings.',
        clear,
      );
    }
    // Before anything is stored: the realmId in the URL must be the company these tokens open (it can be edited).
    const identity = await verifiedCompany(deps, res, { teamId, userId, realmId, accessToken: tokens.accessToken }, clear);
    if (!identity) return;
    await store.workspaces.ensure(teamId);
    await connections.save(teamId, realmId, tokens, { identity, connectedBy: userId });
    const companyName = identity.companyName || null;
    log.info('qbo connected', { teamId, userId, realmId });
    send(
      res,
      200,
      `Connected to ${companyName ?? 'QuickBooks'}`,
      `Connected to ${companyName ?? 'your QuickBooks company'} — return to Slack.`,
      clear,
    );
    // After the page: lists, the open settings modal, the admin's DM, invoices that waited for the connection.
    void afterConnected(deps, { teamId, userId, viewId }).catch((err) => log.error('after-connect steps failed', { teamId, error: err }));
  };
}

/**
 * The callback's `state`, claimed: the browser that started the consent must be the one finishing it (login CSRF,
 * checked before the state is used), and the state exists, is unused and unexpired — claimed in one statement, so a
 * replay (even a concurrent one) fails. Null when refused (the page is sent).
 */
async function claimState(deps: SlackDeps, req: IncomingMessage, res: ServerResponse, q: URLSearchParams) {
  const state = q.get('state') ?? '';
  if (state && !stateMatchesNonce(deps.config.encryptionKey, state, cookieValue(req, NONCE_COOKIE))) {
    deps.log.warn('qbo callback refused: consent started in another browser (no or wrong nonce cookie)');
    send(
      res,
      400,
      'This QuickBooks link is not valid here',
      'It was opened in a different browser from the one that started connecting QuickBooks. Nothing was changed. Run /qbo settings in Slack and use Connect QuickBooks again in this browser.',
    );
    return null;
  }
  const claimed = state ? await deps.engine.store.oauthStates.claim(state, Date.now()) : null;
  if (!claimed) {
    deps.log.warn('qbo callback refused: unknown, used or expired state');
    send(
      res,
      400,
      'This QuickBooks link is not valid',
      'It has expired or was already used. Run /qbo settings in Slack and use Connect QuickBooks again. Nothing was changed.',
    );
    return null;
  }
  return claimed;
}

/** The company the new tokens open, when it is the realmId the URL names (it can be edited); null when not (page sent). */
async function verifiedCompany(
  deps: SlackDeps,
  res: ServerResponse,
  a: { teamId: string; userId: string; realmId: string; accessToken: string },
  clear: Record<string, string>,
): Promise<CompanyIdentity | null> {
  const { teamId, userId, realmId } = a;
  try {
    return companyIdentityOf(await deps.engine.qbo.companyInfoWithToken(a.accessToken, realmId));
  } catch (err) {
    const refused = err instanceof QboError && (err.status === 401 || err.status === 403);
    deps.log.warn(refused ? 'qbo callback refused: the tokens do not open that company' : 'qbo company check failed', {
      teamId,
      userId,
      realmId,
      error: err,
    });
    if (refused) {
      send(
        res,
        400,
        'QuickBooks was not connected',
        'This authorization does not belong to the QuickBooks company the link names. Nothing was changed; try again from /qbo settings.',
        clear,
      );
    } else {
      send(
        res,
        502,
        'QuickBooks was not connected',
        'QuickBooks did not answer while checking the company. Nothing was changed; try again from /qbo settings.',
        clear,
      );
    }
    return null;
  }
}
