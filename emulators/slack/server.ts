// HTTP server of the Slack fake: Web API methods under /api/, file downloads, response_url posts.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nextTs, randomToken, slackId, Store, type TeamState } from './store.ts';
import type { FakeTeam, PostedMessage, RecordedCall, SlackFake, SlackFakeOptions, SlackFile } from './types.ts';
import { SlackError } from './views.ts';
import { NO_TOKEN_METHODS, oauthAccess, scopesFor } from './access.ts';
import { bool, messageContent, methods, type Args } from './methods.ts';
import { type Downloads, handleAuthorize, handleFile, handleResponseUrl } from './side-routes.ts';
import { parseApiArgs, readBody, redact, send } from './http.ts';

/** Internal surface the driver uses (not part of the public API). */
export interface SlackFakeInternal extends SlackFake {
  store: Store;
  /** Creates a response_url on this server. */
  newResponseUrl(r: { teamId: string; userId: string; channel: string; messageTs?: string; ephemeral?: boolean }): string;
  /** Applies a message body the app returned (command ack, response_url post): validates and records it. */
  applyResponseMessage(
    teamId: string,
    userId: string,
    channel: string,
    body: any,
    via: string,
    original?: { ts?: string; ephemeral?: boolean },
  ): { ok: boolean; error?: string };
  issueTrigger(teamId: string, userId: string, sourceViewId?: string): string;
}

export async function startSlackFake(opts: SlackFakeOptions): Promise<SlackFake> {
  const store = new Store(opts.appId ?? 'A0FAKEAPP');
  store.clientId = opts.clientId;
  store.clientSecret = opts.clientSecret;
  for (const t of opts.teams) store.addTeam(t);
  let baseUrl = '';

  function record(method: string, teamId: string | null, args: Args, result: { ok: boolean; error?: string; messages?: string[] }) {
    const call: RecordedCall = { method, teamId, args: redact(args), ok: result.ok, at: Date.now() };
    if (result.error) call.error = result.error;
    if (result.messages?.length) call.messages = result.messages;
    store.record(call);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string, query: URLSearchParams) {
    const raw = await readBody(req);
    let args: Args = {};
    let teamId: string | null = null;
    let scopeHeaders: Record<string, string> = {};
    const fail = (e: SlackError) => {
      const body: Record<string, unknown> = { ok: false, error: e.error, ...e.extra };
      if (e.messages?.length) body.response_metadata = { messages: e.messages };
      record(method, teamId, args, { ok: false, error: e.error, messages: e.messages });
      send(res, 200, body, scopeHeaders);
    };
    try {
      const parsed = parseApiArgs(req, raw, query);
      args = parsed.args;
      // token: Authorization header, or a `token` form field (never from a JSON body, as Slack)
      const auth = String(req.headers.authorization ?? '');
      let token: string | undefined;
      let basic: { id: string; secret: string } | undefined;
      if (/^Bearer\s+/i.test(auth)) token = auth.replace(/^Bearer\s+/i, '').trim();
      else if (/^Basic\s+/i.test(auth)) {
        const [id, secret] = Buffer.from(auth.replace(/^Basic\s+/i, ''), 'base64')
          .toString('utf8')
          .split(':');
        basic = { id, secret };
      }
      if (!token && !parsed.json && typeof args.token === 'string' && args.token) token = args.token;
      delete args.token;
      if (token) teamId = store.tokens.get(token) ?? null;

      const failure = store.failures.get(method)?.shift();
      if (failure) {
        record(method, teamId, args, { ok: false, error: failure.error });
        const headers: Record<string, string> = {};
        if (failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter);
        const status = failure.status ?? 200;
        send(res, status, { ok: false, error: failure.error }, headers);
        return;
      }

      if (method === 'oauth.v2.access') {
        const out = oauthAccess(store, args, basic);
        teamId = out.team.id;
        record(method, teamId, args, { ok: true });
        send(res, 200, { ok: true, ...out });
        return;
      }
      const handler = methods[method];
      if (!handler) throw new SlackError('unknown_method');
      if (!NO_TOKEN_METHODS.has(method)) {
        if (!token) throw new SlackError('not_authed');
        if (!teamId) throw new SlackError('invalid_auth');
        const ts = store.team(teamId);
        if (ts.revoked) throw new SlackError('token_revoked');
        const needed = scopesFor(store, teamId, method, args);
        scopeHeaders = { 'x-oauth-scopes': ts.scopes.join(','), 'x-accepted-oauth-scopes': (needed ?? []).join(',') };
        if (needed && !needed.some((sc) => ts.scopes.includes(sc))) {
          throw new SlackError('missing_scope', undefined, { needed: needed[0], provided: ts.scopes.join(',') });
        }
      }
      const t = teamId ? store.team(teamId) : (undefined as unknown as TeamState);
      const out = handler({ store, teamId: teamId as string, t, args, baseUrl });
      record(method, teamId, args, { ok: true });
      send(res, 200, { ok: true, ...out }, scopeHeaders);
    } catch (e) {
      if (e instanceof SlackError) return fail(e);
      record(method, teamId, args, { ok: false, error: 'internal_error', messages: [String(e)] });
      send(res, 200, {
        ok: false,
        error: 'internal_error',
        response_metadata: { messages: [`[ERROR] fake: ${String((e as Error)?.stack ?? e)}`] },
      });
    }
  }

  const downloads: Downloads = { mode: 'normal', intervalMs: 1000, started: 0 };

  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const p = u.pathname;
    let m: RegExpMatchArray | null;
    (async () => {
      if ((m = p.match(/^\/api\/([A-Za-z0-9_.]+)$/))) return handleApi(req, res, m[1], u.searchParams);
      if ((m = p.match(/^\/files-pri\/(T[A-Z0-9]+)-(F[A-Z0-9]+)\/(download\/)?[^/]+$/)) && (req.method === 'GET' || req.method === 'HEAD'))
        return handleFile(store, downloads, req, res, m[1], m[2], !!m[3]);
      if ((m = p.match(/^\/response\/([A-Za-z0-9]+)$/)) && req.method === 'POST') return handleResponseUrl(fake, record, req, res, m[1]);
      if (p === '/oauth/v2/authorize' && req.method === 'GET') return handleAuthorize(fake, res, u.searchParams);
      // A hop a file link may take (tests of redirects to other hosts): 302 to ?to=.
      if (p === '/redirect' && req.method === 'GET') {
        res.writeHead(302, { location: u.searchParams.get('to') ?? '/' });
        return void res.end();
      }
      send(res, 404, 'not found');
    })().catch((e) => {
      if (!res.headersSent) send(res, 500, String(e));
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = opts.host ?? '127.0.0.1';
  baseUrl = `http://${host}:${addr.port}`;

  const fake: SlackFakeInternal = {
    store,
    url: baseUrl,
    apiUrl: `${baseUrl}/api/`,
    oauthAuthorizeUrl: `${baseUrl}/oauth/v2/authorize`,
    fileHost: `${host}:${addr.port}`,
    get calls() {
      return store.calls;
    },
    callsTo: (method) => store.calls.filter((c) => c.method === method),
    rejected: () => store.calls.filter((c) => !c.ok),
    addTeam: (team: FakeTeam) => {
      store.addTeam(team);
    },
    team: (teamId) => store.teams.get(teamId)?.team,
    addFile(teamId, f) {
      const t = store.team(teamId);
      if (!store.user(teamId, f.user)) throw new Error(`addFile: unknown user ${f.user} in ${teamId}`);
      const id = slackId('F');
      const now = Math.floor(Date.now() / 1000);
      const safe = encodeURIComponent(f.name.replace(/[\s/]+/g, '_'));
      const filetype = f.filetype ?? (f.name.includes('.') ? f.name.split('.').pop()!.toLowerCase() : 'binary');
      const file: SlackFile = {
        id,
        created: now,
        timestamp: now,
        name: f.name,
        title: f.name,
        mimetype: f.mimetype,
        filetype,
        pretty_type: filetype.toUpperCase(),
        user: f.user,
        user_team: teamId,
        editable: false,
        size: f.claimedSize ?? f.bytes.length,
        mode: 'hosted',
        is_external: false,
        external_type: '',
        is_public: false,
        public_url_shared: false,
        display_as_bot: false,
        username: '',
        url_private: `${baseUrl}/files-pri/${teamId}-${id}/${safe}`,
        url_private_download: f.downloadUrl ?? `${baseUrl}/files-pri/${teamId}-${id}/download/${safe}`,
        permalink: `https://${t.domain}.slack.com/files/${f.user}/${id}/${safe}`,
        permalink_public: `https://slack-files.com/${teamId}-${id}-${randomToken(10)}`,
        channels: [],
        groups: [],
        ims: [],
        shares: {},
        comments_count: 0,
      };
      if (f.channel) shareFile(file, teamId, f.channel, undefined, f.user);
      t.files.set(id, { file, bytes: Buffer.from(f.bytes) });
      return structuredClone(file);
    },
    issueTriggerId: (teamId, userId) => fake.issueTrigger(teamId, userId),
    issueTrigger(teamId, userId, sourceViewId) {
      store.team(teamId);
      const id = `${Date.now()}.${randomToken(6)}.${randomToken(16)}`.replace(/[^A-Za-z0-9.]/g, '');
      store.triggers.set(id, { id, teamId, userId, created: Date.now(), used: false, sourceViewId });
      return id;
    },
    setTriggerTtlMs: (ms) => {
      store.triggerTtlMs = ms;
    },
    views: store.views,
    view: (id) => store.views.get(id),
    openModalStack: (teamId, userId) =>
      store
        .stack(teamId, userId)
        .map((id) => store.views.get(id)!)
        .filter(Boolean),
    homeView: (teamId, userId) => {
      const id = store.homes.get(store.stackKey(teamId, userId));
      return id ? store.views.get(id) : undefined;
    },
    messages: (channel) =>
      [...store.messages.values()].filter((m) => channel === undefined || m.channel === channel).sort((a, b) => Number(a.ts) - Number(b.ts)),
    dms: (teamId, userId) => {
      const d = store.teams.get(teamId)?.ims.get(userId);
      return d ? fake.messages(d) : [];
    },
    imChannel: (teamId, userId) => store.imChannel(teamId, userId),
    failNext: (method, error, o) => {
      const list = store.failures.get(method) ?? [];
      list.push({ error, status: o?.status, retryAfter: o?.retryAfter ?? (o?.status === 429 ? 1 : undefined) });
      store.failures.set(method, list);
    },
    issueOAuthCode: (teamId, o) => {
      const t = store.team(teamId);
      const code = `${Date.now()}.${randomToken(20)}`;
      const admin = t.team.users.find((u) => u.is_admin || u.is_owner) ?? t.team.users[0];
      store.oauthCodes.set(code, {
        code,
        teamId,
        userId: o?.userId ?? admin.id,
        redirectUri: o?.redirectUri,
        created: Date.now(),
        used: false,
        scopes: o?.scopes ?? t.scopes,
      });
      return code;
    },
    revokeToken: (teamId) => {
      store.team(teamId).revoked = true;
    },
    setDownloadMode: (mode, o) => {
      downloads.mode = mode;
      downloads.intervalMs = o?.intervalMs ?? 1000;
    },
    downloadsStarted: () => downloads.started,
    postUserMessage: (teamId, m) => {
      const t = store.team(teamId);
      if (!store.conversation(teamId, m.channel)) throw new Error(`postUserMessage: unknown channel ${m.channel}`);
      const msg: PostedMessage = {
        ts: nextTs(),
        channel: m.channel,
        text: m.text ?? '',
        ephemeral: false,
        author: m.user,
        team: teamId,
        via: 'user',
        files: m.files?.map((f) => structuredClone(t.files.get(f.id)?.file ?? f)),
      };
      if (m.thread_ts) msg.thread_ts = m.thread_ts;
      if (m.files?.length) msg.subtype = 'file_share';
      for (const f of m.files ?? []) {
        const stored = t.files.get(f.id);
        if (stored) shareFile(stored.file, teamId, m.channel, msg.ts, m.user);
      }
      store.putMessage(msg);
      return msg;
    },
    newResponseUrl: (r) => {
      const id = randomToken(24);
      store.responseUrls.set(id, { id, ...r, uses: 0, created: Date.now() });
      return `${baseUrl}/response/${id}`;
    },
    applyResponseMessage(teamId, userId, channel, body, via, original) {
      const t = store.team(teamId);
      const args = body ?? {};
      try {
        if (bool(args.delete_original)) {
          if (!original?.ts) throw new SlackError('message_not_found');
          store.deleteMessage(channel, original.ts);
        } else if (bool(args.replace_original) && original?.ts) {
          const old = store.getMessage(channel, original.ts);
          if (!old) throw new SlackError('message_not_found');
          const content = messageContent(args);
          store.putMessage({
            ...old,
            text: content.text,
            blocks: content.blocks,
            attachments: content.attachments,
            edited: true,
            via,
          });
        } else {
          const content = messageContent(args);
          const inChannel = args.response_type === 'in_channel';
          const m: PostedMessage = {
            ts: nextTs(),
            channel,
            text: content.text,
            blocks: content.blocks,
            attachments: content.attachments,
            ephemeral: !inChannel,
            author: t.botUserId,
            bot_id: t.botId,
            team: teamId,
            via,
          };
          if (!inChannel) m.user = userId;
          if (args.thread_ts) m.thread_ts = String(args.thread_ts);
          store.putMessage(m);
        }
        record(via, teamId, args, { ok: true });
        return { ok: true };
      } catch (e) {
        const err = e instanceof SlackError ? e : new SlackError('invalid_payload', [String(e)]);
        record(via, teamId, args, { ok: false, error: err.error, messages: err.messages });
        return { ok: false, error: err.error };
      }
    },
    reset() {
      store.calls.length = 0;
      store.views.clear();
      store.stacks.clear();
      store.homes.clear();
      store.messages.clear();
      store.triggers.clear();
      store.failures.clear();
      store.responseUrls.clear();
      store.oauthCodes.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  function shareFile(file: SlackFile, teamId: string, channel: string, ts: string | undefined, user: string) {
    const conv = store.conversation(teamId, channel);
    if (!conv) throw new Error(`unknown channel ${channel} in ${teamId}`);
    const list = conv.kind === 'im' ? file.ims : conv.is_private ? file.groups : file.channels;
    if (!list.includes(channel)) list.push(channel);
    if (ts) {
      const kind = conv.kind === 'channel' && !conv.is_private ? 'public' : 'private';
      const shares = (file.shares[kind] ??= {});
      (shares[channel] ??= []).push({
        reply_users: [],
        reply_users_count: 0,
        reply_count: 0,
        ts,
        channel_name: conv.kind === 'channel' ? conv.name : '',
        team_id: teamId,
        share_user_id: user,
      });
    }
  }

  return fake;
}
