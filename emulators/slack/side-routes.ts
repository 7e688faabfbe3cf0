// The Slack fake's non-API routes: file downloads (url_private), response_url posts and the OAuth consent page.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, send, SIGN_IN_PAGE } from './http.ts';
import type { Args } from './methods.ts';
import type { SlackFakeInternal } from './server.ts';
import type { Store } from './store.ts';

/** How file downloads behave (normal, stalled halfway, trickling a byte per interval) and how many started. */
export interface Downloads {
  mode: 'normal' | 'stall' | 'trickle';
  intervalMs: number;
  started: number;
}

type Recorder = (method: string, teamId: string | null, args: Args, result: { ok: boolean; error?: string; messages?: string[] }) => void;

export function handleFile(
  store: Store,
  downloads: Downloads,
  req: IncomingMessage,
  res: ServerResponse,
  teamId: string,
  fileId: string,
  download: boolean,
) {
  const t = store.teams.get(teamId);
  const f = t?.files.get(fileId);
  if (!t || !f) {
    res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<html><body>File not found</body></html>');
    return;
  }
  const auth = String(req.headers.authorization ?? '');
  const token = /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, '').trim() : '';
  if (!token || store.tokens.get(token) !== teamId || t.revoked || !t.scopes.includes('files:read')) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(SIGN_IN_PAGE);
    return;
  }
  const headers: Record<string, string> = {
    'content-type': f.file.mimetype,
    'content-length': String(f.bytes.length),
  };
  if (download) headers['content-disposition'] = `attachment; filename="${encodeURIComponent(f.file.name)}"`;
  res.writeHead(200, headers);
  if (req.method === 'HEAD') return void res.end();
  downloads.started++;
  if (downloads.mode === 'normal') return void res.end(f.bytes);
  if (downloads.mode === 'stall') return void res.write(f.bytes.subarray(0, Math.floor(f.bytes.length / 2)));
  // Trickle: one byte at a time, as a link that barely moves.
  let i = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    res.write(f.bytes.subarray(i, i + 1));
    if (++i >= f.bytes.length) {
      clearInterval(timer);
      res.end();
    }
  }, downloads.intervalMs);
  res.once('close', () => clearInterval(timer));
}

export async function handleResponseUrl(fake: SlackFakeInternal, record: Recorder, req: IncomingMessage, res: ServerResponse, id: string) {
  const store = fake.store;
  const raw = await readBody(req);
  const r = store.responseUrls.get(id);
  let body: any = {};
  const rec = (ok: boolean, error?: string, messages?: string[]) => record('response_url', r?.teamId ?? null, body, { ok, error, messages });
  if (!r) {
    rec(false, 'invalid_url');
    send(res, 404, 'invalid_url');
    return;
  }
  if (Date.now() - r.created > 30 * 60_000) {
    rec(false, 'expired_url');
    send(res, 404, 'expired_url');
    return;
  }
  if (r.uses >= 5) {
    rec(false, 'used_url');
    send(res, 404, 'used_url');
    return;
  }
  const ct = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim();
  try {
    if (ct !== 'application/json') throw new Error('not json');
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    rec(false, 'invalid_payload');
    send(res, 400, 'invalid_payload');
    return;
  }
  r.uses++;
  const result = fake.applyResponseMessage(r.teamId, r.userId, r.channel, body, 'response_url', {
    ts: r.messageTs,
    ephemeral: r.ephemeral,
  });
  if (!result.ok) {
    send(res, 400, result.error ?? 'invalid_payload');
    return;
  }
  send(res, 200, { ok: true });
}

/** Slack's consent page, approved at once by the team's first admin (or ?team=T…&user=U…): 302 to redirect_uri
 *  with a single-use code and the app's state, granting the requested bot scopes. */
export function handleAuthorize(fake: SlackFakeInternal, res: ServerResponse, q: URLSearchParams) {
  const store = fake.store;
  const page = (status: number, msg: string) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<html><body><h1>${msg}</h1></body></html>`);
  };
  const clientId = q.get('client_id');
  if (!clientId || (store.clientId && clientId !== store.clientId)) return page(400, 'Invalid client_id parameter');
  const redirect = q.get('redirect_uri');
  if (!redirect) return page(400, 'Missing redirect_uri');
  const teamId = q.get('team') ?? [...store.teams.keys()][0];
  if (!store.teams.has(teamId)) return page(400, 'Unknown team');
  const scopes = (q.get('scope') ?? '').split(/[ ,]+/).filter(Boolean);
  if (!scopes.length) return page(400, 'Invalid permissions requested');
  const code = fake.issueOAuthCode(teamId, { userId: q.get('user') ?? undefined, redirectUri: redirect, scopes });
  const to = new URL(redirect);
  to.searchParams.set('code', code);
  if (q.has('state')) to.searchParams.set('state', q.get('state')!);
  res.writeHead(302, { location: to.toString() });
  res.end();
}
