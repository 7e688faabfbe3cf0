// The driver's plumbing: signed posts to the app, payload envelopes (team/user/channel context) and view lookups.
import { createHmac } from 'node:crypto';
import { stateValuesOf } from './store.ts';
import type { SlackFakeInternal } from './server.ts';
import type { PostedMessage, SlackView } from './types.ts';
import { isOpen } from './views.ts';
import type { DriverOptions } from './driver.ts';

export const ACK_TIMEOUT_MS = 3000;

/** What every driver method builds on, for the options `o`. */
export function driverContext(o: DriverOptions) {
  const fake = o.fake as SlackFakeInternal;
  const store = fake.store;
  const apiAppId = o.apiAppId ?? store.appId;
  const token = o.verificationToken ?? 'fakeVerificationToken0000';
  const base = o.appUrl.replace(/\/+$/, '');

  function sign(ts: string, body: string) {
    return `v0=${createHmac('sha256', o.signingSecret).update(`v0:${ts}:${body}`).digest('hex')}`;
  }

  async function signedPost(path: string, body: string, contentType: string, headers: Record<string, string> = {}): Promise<Response> {
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    const ts = lower['x-slack-request-timestamp'] ?? String(Math.floor(Date.now() / 1000));
    const sig = lower['x-slack-signature'] ?? sign(ts, body);
    return fetch(`${base}${path}`, {
      method: 'POST',
      headers: {
        ...lower,
        'content-type': contentType,
        'x-slack-request-timestamp': ts,
        'x-slack-signature': sig,
        'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      },
      body,
    });
  }

  async function read(res: Response): Promise<any> {
    const text = await res.text();
    if (!text) return undefined;
    if ((res.headers.get('content-type') ?? '').includes('application/json')) {
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    }
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  async function postForm(fields: Record<string, string>, kind: string, teamId: string): Promise<{ status: number; body: any; ms: number }> {
    const started = Date.now();
    const res = await signedPost('/slack/events', new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded');
    const body = await read(res);
    const ms = Date.now() - started;
    if (ms > ACK_TIMEOUT_MS)
      store.record({
        method: kind,
        teamId,
        args: {},
        ok: false,
        error: 'ack_timeout',
        at: Date.now(),
        messages: [`[ERROR] app acked after ${ms} ms; Slack gives up after 3 s and shows the user an error`],
      });
    return { status: res.status, body, ms };
  }
  const postPayload = (payload: any, kind: string, teamId: string) => postForm({ payload: JSON.stringify(payload) }, kind, teamId);

  function team(teamId: string) {
    return store.team(teamId);
  }
  function userObj(teamId: string, userId: string) {
    const u = store.user(teamId, userId);
    if (!u) throw new Error(`unknown user ${userId} in team ${teamId}`);
    return { id: u.id, username: u.name, name: u.name, team_id: teamId };
  }
  const teamObj = (teamId: string) => ({ id: teamId, domain: team(teamId).domain });
  const common = (teamId: string, userId: string) => ({
    user: userObj(teamId, userId),
    api_app_id: apiAppId,
    token,
    team: teamObj(teamId),
    enterprise: null,
    is_enterprise_install: false,
  });

  function viewPayload(v: SlackView) {
    const { user: _u, ...rest } = v;
    return { ...structuredClone(rest), state: { values: stateValuesOf(v) } };
  }

  function latestView(teamId: string, userId: string, v: SlackView): SlackView {
    const cur = store.views.get(v.id);
    if (!cur || cur.team_id !== teamId) throw new Error(`view ${v.id} unknown in team ${teamId}`);
    if (cur.user !== userId) throw new Error(`view ${v.id} is shown to ${cur.user}, not ${userId}`);
    if (!isOpen(store, cur)) throw new Error(`view ${v.id} (${cur.callback_id || cur.type}) is not on screen any more`);
    if (cur.type === 'modal') {
      const s = store.stack(teamId, userId);
      if (s[s.length - 1] !== cur.id) throw new Error(`view ${v.id} is covered by a pushed view (${s[s.length - 1]})`);
    }
    return cur;
  }

  function channelName(teamId: string, channel: string) {
    const conv = store.conversation(teamId, channel);
    return conv?.kind === 'channel' ? conv.name : 'directmessage';
  }

  function messageContext(teamId: string, userId: string, m: PostedMessage) {
    const cur = store.getMessage(m.channel, m.ts);
    if (!cur) throw new Error(`message ${m.ts} in ${m.channel} no longer exists`);
    if (cur.ephemeral && cur.user !== userId) throw new Error(`ephemeral message ${m.ts} is only visible to ${cur.user}`);
    const t = team(teamId);
    const container: Record<string, any> = {
      type: 'message',
      message_ts: cur.ts,
      channel_id: cur.channel,
      is_ephemeral: cur.ephemeral,
    };
    if (cur.thread_ts) container.thread_ts = cur.thread_ts;
    const extra: Record<string, any> = {
      container,
      channel: { id: cur.channel, name: channelName(teamId, cur.channel) },
      response_url: fake.newResponseUrl({
        teamId,
        userId,
        channel: cur.channel,
        messageTs: cur.ts,
        ephemeral: cur.ephemeral,
      }),
      state: { values: {} },
    };
    if (!cur.ephemeral) {
      extra.message = {
        type: 'message',
        text: cur.text ?? '',
        ts: cur.ts,
        team: teamId,
        ...(cur.blocks ? { blocks: cur.blocks } : {}),
        ...(cur.thread_ts ? { thread_ts: cur.thread_ts } : {}),
      };
      if (cur.author === t.botUserId) Object.assign(extra.message, { user: t.botUserId, bot_id: t.botId, app_id: store.appId });
      else extra.message.user = cur.author;
    }
    return { cur, extra };
  }

  const isMessage = (w: SlackView | PostedMessage): w is PostedMessage => typeof (w as PostedMessage).ts === 'string' && !(w as SlackView).hash;

  return {
    fake,
    store,
    apiAppId,
    token,
    base,
    sign,
    signedPost,
    read,
    postForm,
    postPayload,
    team,
    userObj,
    teamObj,
    common,
    viewPayload,
    latestView,
    channelName,
    messageContext,
    isMessage,
  };
}

export type DriverContext = ReturnType<typeof driverContext>;
