import type { CustomRoute } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterConnected, type FinishRefusal, finishConsent, STATE_TTL_MS, type StartOutcome, startConsent } from '../app/connect.ts';
import type { HttpDeps } from './deps.ts';

/**
 * GET /qbo/connect?t=<signed, single-use link from the settings modal, 5 minutes> → Intuit's consent page; GET
 * /qbo/callback → a plain page. The HTTP side of connecting only: the checks, the token exchange and the storing are
 * the connect use case's (src/app/connect.ts); this maps its outcomes to pages and carries the browser nonce in an
 * HttpOnly, SameSite=Lax cookie (login CSRF: a callback whose browser has no such cookie, or another one, is refused).
 */

export const NONCE_COOKIE = 'qbo_connect_nonce';

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

export function qboOAuthRoutes(deps: HttpDeps): CustomRoute[] {
  return [
    { path: '/qbo/connect', method: ['GET'], handler: connectHandler(deps) },
    { path: '/qbo/callback', method: ['GET'], handler: callbackHandler(deps) },
  ];
}

type Handler = CustomRoute['handler'];

const START_PAGES: Record<Extract<StartOutcome, { ok: false }>['why'], [number, string, string]> = {
  invalid_link: [
    400,
    'This link has expired',
    'Connect links are valid for 5 minutes. Run /qbo settings in Slack again and use the new Connect QuickBooks button.',
  ],
  not_admin: [403, 'Only admins can connect QuickBooks', 'Ask a workspace admin to connect QuickBooks from /qbo settings in Slack.'],
  link_used: [
    400,
    'This link was already used',
    'Each Connect link works once. Run /qbo settings in Slack again and use the new Connect QuickBooks button.',
  ],
};

/** GET /qbo/connect?t=…: a signed, single-use link from the settings modal → Intuit's consent page (admins only). */
function connectHandler(deps: HttpDeps): Handler {
  return async (req, res) => {
    const started = await startConsent(deps.connect, query(req).get('t') ?? '');
    if (!started.ok) return send(res, ...START_PAGES[started.why]);
    res.writeHead(302, {
      Location: started.authorizeUrl,
      'Set-Cookie': nonceCookie(deps.config.publicUrl, started.nonce),
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    });
    res.end();
  };
}

const NOT_CONNECTED = 'QuickBooks was not connected';
const FINISH_PAGES: Record<FinishRefusal, [number, string, string]> = {
  other_browser: [
    400,
    'This QuickBooks link is not valid here',
    'It was opened in a different browser from the one that started connecting QuickBooks. Nothing was changed. Run /qbo settings in Slack and use Connect QuickBooks again in this browser.',
  ],
  invalid_state: [
    400,
    'This QuickBooks link is not valid',
    'It has expired or was already used. Run /qbo settings in Slack and use Connect QuickBooks again. Nothing was changed.',
  ],
  declined: [400, NOT_CONNECTED, 'The connection was cancelled at Intuit. Nothing was changed; you can try again from /qbo settings.'],
  no_code: [400, NOT_CONNECTED, 'Intuit did not send an authorization. Nothing was changed; try again from /qbo settings.'],
  exchange_failed: [502, NOT_CONNECTED, 'Intuit did not accept the authorization. Nothing was changed; try again from /qbo settings.'],
  wrong_company: [
    400,
    NOT_CONNECTED,
    'This authorization does not belong to the QuickBooks company the link names. Nothing was changed; try again from /qbo settings.',
  ],
  company_check_failed: [
    502,
    NOT_CONNECTED,
    'QuickBooks did not answer while checking the company. Nothing was changed; try again from /qbo settings.',
  ],
};

/** GET /qbo/callback: Intuit's redirect back; the use case checks nonce, state and company, then stores the connection. */
function callbackHandler(deps: HttpDeps): Handler {
  return async (req, res) => {
    const q = query(req);
    const done = await finishConsent(deps.connect, {
      state: q.get('state') ?? '',
      nonce: cookieValue(req, NONCE_COOKIE),
      error: q.get('error'),
      code: q.get('code'),
      realmId: q.get('realmId'),
      url: req.url ?? '',
    });
    // Once the state is claimed the cookie has done its work: it is cleared (not before: a wrong browser keeps its own).
    const clear = { 'Set-Cookie': nonceCookie(deps.config.publicUrl, '', 0) };
    if (!done.ok) {
      const claimed = done.why !== 'other_browser' && done.why !== 'invalid_state';
      return send(res, ...FINISH_PAGES[done.why], claimed ? clear : {});
    }
    const { companyName, teamId, userId, viewId } = done;
    send(
      res,
      200,
      `Connected to ${companyName ?? 'QuickBooks'}`,
      `Connected to ${companyName ?? 'your QuickBooks company'} — return to Slack.`,
      clear,
    );
    // After the page: lists, the open settings modal, the admin's DM, invoices that waited for the connection.
    void afterConnected(deps.connect, { teamId, userId, viewId }).catch((err) =>
      deps.log.error('after-connect steps failed', { teamId, error: err }),
    );
  };
}
