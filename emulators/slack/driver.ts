// Driver: sends correctly signed Slack requests (commands, events, interactivity) to the app's real HTTP endpoint,
// building interaction payloads from what the fake recorded, the way Slack's client would.
import { createHmac } from 'node:crypto';
import { elementsOf, plainTextOf, validateSuggestionResponse } from './blockkit.ts';
import { actionFromState, findByLabel, isEmpty, pickOption, stateValue } from './driver-values.ts';
import { nextTs, stateValuesOf } from './store.ts';
import type { SlackFakeInternal } from './server.ts';
import type { PostedMessage, SlackFake, SlackFile, SlackView } from './types.ts';
import { closeStack, isOpen, popView, pushView, SlackError, updateView } from './views.ts';

export interface DriverOptions {
  appUrl: string;
  signingSecret: string;
  fake: SlackFake;
  apiAppId?: string;
  verificationToken?: string;
}

export type SubmitValue = string | string[] | boolean | { value: string; text?: string } | { files: SlackFile[] };

export interface SlackDriver {
  command(p: {
    teamId: string;
    userId: string;
    command: string;
    text?: string;
    channelId?: string;
  }): Promise<{ status: number; body: any; triggerId: string; responseUrl: string }>;
  event(p: {
    teamId: string;
    event: Record<string, any>;
    eventId?: string;
    retryNum?: number;
    retryReason?: string;
  }): Promise<{ status: number; body: any; eventId: string }>;
  clickButton(p: {
    teamId: string;
    userId: string;
    where: SlackView | PostedMessage;
    actionId?: string;
    text?: string;
    value?: string;
  }): Promise<{ status: number; body: any; triggerId: string }>;
  /** Picks an option in a select/radio/datepicker/… found by its input label or section text. Slack only sends
   *  block_actions for section accessories, actions blocks and input blocks with dispatch_action: true; otherwise the
   *  choice only lands in view.state (sent: false, status 0) and shows up in later payloads. */
  selectOption(p: {
    teamId: string;
    userId: string;
    view: SlackView | PostedMessage;
    label: string;
    value: string;
    text?: string;
  }): Promise<{ status: number; body: any; sent: boolean }>;
  /** block_suggestion for an external_select found by its input label; flattens option_groups. A query shorter than
   *  min_query_length (default 3) is not sent (status 0), as in Slack. Invalid answers are recorded as rejected. */
  suggest(p: {
    teamId: string;
    userId: string;
    view: SlackView;
    label: string;
    query: string;
  }): Promise<{ status: number; options: Array<{ text: string; value: string }>; body?: any }>;
  /** view_submission. Throws, as Slack's client refuses to submit, when a required input is empty or a value breaks
   *  the element's own constraints. Applies the ack (errors / update / push / clear / close) to the fake's stack. */
  submitView(p: {
    teamId: string;
    userId: string;
    view: SlackView;
    values: Record<string, SubmitValue>;
  }): Promise<{ status: number; body: any; errors?: Record<string, string> }>;
  /** The user closes the modal (X / Close): pops it (or the whole stack with clear_on_close); view_closed if notify_on_close. */
  closeView(p: { teamId: string; userId: string; view: SlackView }): Promise<{ status: number; body: any } | null>;
  /** A person shares a file in a channel: records the message in the fake and delivers file_shared + message(file_share). */
  shareFile(p: { teamId: string; userId: string; channelId: string; file: SlackFile; text?: string }): Promise<{
    message: PostedMessage;
    fileShared: { status: number; body: any };
    messageEvent: { status: number; body: any };
  }>;
  appHomeOpened(p: { teamId: string; userId: string }): Promise<{ status: number; body: any }>;
  /** The workspace uninstalls the app: its bot token is revoked (refused from now on), then Slack sends
   *  app_uninstalled and tokens_revoked, in the order given (Slack does not promise one). */
  uninstall(p: {
    teamId: string;
    order?: 'uninstalled_first' | 'revoked_first';
  }): Promise<Array<{ status: number; body: any }>>;
  /** A global shortcut (lightning menu): `shortcut` payload with a fresh trigger_id. */
  shortcut(p: {
    teamId: string;
    userId: string;
    callbackId: string;
  }): Promise<{ status: number; body: any; triggerId: string }>;
  urlVerification(challenge?: string): Promise<{ status: number; body: any }>;
  signedPost(path: string, body: string, contentType: string, headers?: Record<string, string>): Promise<Response>;
}

const ACK_TIMEOUT_MS = 3000;

export function createSlackDriver(o: DriverOptions): SlackDriver {
  const fake = o.fake as SlackFakeInternal;
  const store = fake.store;
  const apiAppId = o.apiAppId ?? store.appId;
  const token = o.verificationToken ?? 'fakeVerificationToken0000';
  const base = o.appUrl.replace(/\/+$/, '');

  function sign(ts: string, body: string) {
    return `v0=${createHmac('sha256', o.signingSecret).update(`v0:${ts}:${body}`).digest('hex')}`;
  }

  async function signedPost(
    path: string,
    body: string,
    contentType: string,
    headers: Record<string, string> = {},
  ): Promise<Response> {
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

  async function postForm(
    fields: Record<string, string>,
    kind: string,
    teamId: string,
  ): Promise<{ status: number; body: any; ms: number }> {
    const started = Date.now();
    const res = await signedPost(
      '/slack/events',
      new URLSearchParams(fields).toString(),
      'application/x-www-form-urlencoded',
    );
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
  const postPayload = (payload: any, kind: string, teamId: string) =>
    postForm({ payload: JSON.stringify(payload) }, kind, teamId);

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
    if (cur.ephemeral && cur.user !== userId)
      throw new Error(`ephemeral message ${m.ts} is only visible to ${cur.user}`);
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
      if (cur.author === t.botUserId)
        Object.assign(extra.message, { user: t.botUserId, bot_id: t.botId, app_id: store.appId });
      else extra.message.user = cur.author;
    }
    return { cur, extra };
  }

  const isMessage = (w: SlackView | PostedMessage): w is PostedMessage =>
    typeof (w as PostedMessage).ts === 'string' && !(w as SlackView).hash;

  const driver: SlackDriver = {
    signedPost,

    async command(p) {
      const t = team(p.teamId);
      const u = userObj(p.teamId, p.userId);
      const channelId = p.channelId ?? t.team.channels?.[0]?.id ?? store.imChannel(p.teamId, p.userId);
      const triggerId = fake.issueTrigger(p.teamId, p.userId);
      const responseUrl = fake.newResponseUrl({ teamId: p.teamId, userId: p.userId, channel: channelId });
      const fields = {
        token,
        team_id: p.teamId,
        team_domain: t.domain,
        channel_id: channelId,
        channel_name: channelName(p.teamId, channelId),
        user_id: p.userId,
        user_name: u.name,
        command: p.command,
        text: p.text ?? '',
        api_app_id: apiAppId,
        is_enterprise_install: 'false',
        response_url: responseUrl,
        trigger_id: triggerId,
      };
      const r = await postForm(fields, 'command', p.teamId);
      if (r.status === 200 && r.body !== undefined && r.body !== '' && r.ms <= ACK_TIMEOUT_MS) {
        const msg = typeof r.body === 'string' ? { text: r.body } : r.body;
        fake.applyResponseMessage(p.teamId, p.userId, channelId, msg, 'command.ack');
      }
      return { status: r.status, body: r.body, triggerId, responseUrl };
    },

    async event(p) {
      const t = team(p.teamId);
      const eventId = p.eventId ?? `Ev${nextTs().replace('.', '')}${Math.floor(Math.random() * 1000)}`;
      const event = { ...p.event };
      event.event_ts ??= nextTs();
      const body = {
        token,
        team_id: p.teamId,
        context_team_id: p.teamId,
        context_enterprise_id: null,
        api_app_id: apiAppId,
        event,
        type: 'event_callback',
        event_id: eventId,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [
          { enterprise_id: null, team_id: p.teamId, user_id: t.botUserId, is_bot: true, is_enterprise_install: false },
        ],
        is_ext_shared_channel: false,
        event_context: `4-fake-${eventId}`,
      };
      const headers: Record<string, string> = {};
      if (p.retryNum !== undefined) {
        headers['x-slack-retry-num'] = String(p.retryNum);
        headers['x-slack-retry-reason'] = p.retryReason ?? 'http_timeout';
      }
      const res = await signedPost('/slack/events', JSON.stringify(body), 'application/json', headers);
      return { status: res.status, body: await read(res), eventId };
    },

    async urlVerification(challenge = `chal${nextTs().replace('.', '')}`) {
      const res = await signedPost(
        '/slack/events',
        JSON.stringify({ token, challenge, type: 'url_verification' }),
        'application/json',
      );
      return { status: res.status, body: await read(res) };
    },

    async shareFile(p) {
      const conv = store.conversation(p.teamId, p.channelId);
      if (!conv) throw new Error(`shareFile: unknown channel ${p.channelId}`);
      const message = fake.postUserMessage(p.teamId, {
        channel: p.channelId,
        user: p.userId,
        text: p.text ?? '',
        files: [p.file],
      });
      const file = structuredClone(team(p.teamId).files.get(p.file.id)?.file ?? p.file);
      const fileShared = await driver.event({
        teamId: p.teamId,
        event: {
          type: 'file_shared',
          channel_id: p.channelId,
          file_id: file.id,
          user_id: p.userId,
          file: { id: file.id },
          event_ts: nextTs(),
        },
      });
      const channelType = conv.kind === 'im' ? 'im' : conv.is_private ? 'group' : 'channel';
      const messageEvent = await driver.event({
        teamId: p.teamId,
        event: {
          type: 'message',
          subtype: 'file_share',
          text: p.text ?? '',
          files: [file],
          upload: false,
          user: p.userId,
          display_as_bot: false,
          ts: message.ts,
          channel: p.channelId,
          channel_type: channelType,
          event_ts: message.ts,
        },
      });
      return { message, fileShared, messageEvent };
    },

    async uninstall(p) {
      const t = team(p.teamId);
      fake.revokeToken(p.teamId);
      const uninstalled = { type: 'app_uninstalled' };
      const revoked = { type: 'tokens_revoked', tokens: { oauth: [], bot: [t.botUserId] } };
      const order = p.order === 'revoked_first' ? [revoked, uninstalled] : [uninstalled, revoked];
      const out = [];
      for (const event of order) out.push(await driver.event({ teamId: p.teamId, event }));
      return out;
    },

    async appHomeOpened(p) {
      const home = fake.homeView(p.teamId, p.userId);
      const event: Record<string, any> = {
        type: 'app_home_opened',
        user: p.userId,
        channel: store.imChannel(p.teamId, p.userId),
        tab: 'home',
      };
      if (home) event.view = (({ user: _u, ...rest }) => rest)(home);
      return driver.event({ teamId: p.teamId, event });
    },

    async clickButton(p) {
      const blocks = isMessage(p.where)
        ? (store.getMessage(p.where.channel, p.where.ts)?.blocks ?? [])
        : (store.views.get(p.where.id)?.blocks ?? []);
      const buttons = [...elementsOf(blocks)].filter((x) => x.element.type === 'button');
      const hits = buttons.filter(
        (x) =>
          (p.actionId === undefined || x.element.action_id === p.actionId) &&
          (p.text === undefined || plainTextOf(x.element.text) === p.text) &&
          (p.value === undefined || x.element.value === p.value),
      );
      const list =
        buttons.map((x) => `'${plainTextOf(x.element.text)}' (${x.element.action_id})`).join(', ') || '(no buttons)';
      if (hits.length === 0)
        throw new Error(
          `clickButton: no button matches ${JSON.stringify({ actionId: p.actionId, text: p.text, value: p.value })}. Buttons: ${list}`,
        );
      if (hits.length > 1) throw new Error(`clickButton: ${hits.length} buttons match; say which. Buttons: ${list}`);
      const { block, element } = hits[0];
      const action: Record<string, any> = {
        action_id: element.action_id,
        block_id: block.block_id,
        text: element.text,
        type: 'button',
        action_ts: nextTs(),
      };
      if (element.value !== undefined) action.value = element.value;
      if (element.style) action.style = element.style;
      if (element.url) action.url = element.url;
      let payload: Record<string, any>;
      let triggerId: string;
      if (isMessage(p.where)) {
        const { extra } = messageContext(p.teamId, p.userId, p.where);
        triggerId = fake.issueTrigger(p.teamId, p.userId);
        payload = {
          type: 'block_actions',
          ...common(p.teamId, p.userId),
          trigger_id: triggerId,
          ...extra,
          actions: [action],
        };
      } else {
        const v = latestView(p.teamId, p.userId, p.where);
        triggerId = fake.issueTrigger(p.teamId, p.userId, v.type === 'modal' ? v.id : undefined);
        payload = {
          type: 'block_actions',
          ...common(p.teamId, p.userId),
          container: { type: 'view', view_id: v.id },
          trigger_id: triggerId,
          view: viewPayload(v),
          actions: [action],
        };
      }
      const r = await postPayload(payload, 'block_actions', p.teamId);
      return { status: r.status, body: r.body, triggerId };
    },

    async selectOption(p) {
      const accept = (e: any) =>
        [
          'static_select',
          'external_select',
          'users_select',
          'conversations_select',
          'channels_select',
          'radio_buttons',
          'datepicker',
          'timepicker',
          'multi_static_select',
          'multi_external_select',
          'checkboxes',
          'multi_users_select',
          'multi_conversations_select',
          'multi_channels_select',
          'overflow',
        ].includes(e.type);
      const inMessage = isMessage(p.view);
      const v = inMessage ? undefined : latestView(p.teamId, p.userId, p.view as SlackView);
      const blocks = inMessage
        ? (store.getMessage((p.view as PostedMessage).channel, (p.view as PostedMessage).ts)?.blocks ?? [])
        : v!.blocks;
      const { block, element } = findByLabel(blocks, p.label, accept, 'selectOption');
      const given = p.text !== undefined ? { value: p.value, text: p.text } : p.value;
      let action: Record<string, any>;
      if (element.type === 'overflow') {
        action = {
          type: 'overflow',
          action_id: element.action_id,
          block_id: block.block_id,
          selected_option: pickOption(element, given, p.label),
          action_ts: nextTs(),
        };
      } else {
        const sv = stateValue(
          element,
          element.type.startsWith('multi_') || element.type === 'checkboxes' ? [given as any] : given,
          p.label,
        );
        if (v) (v.state.values[block.block_id] ??= {})[element.action_id] = sv;
        action = actionFromState(block, element, sv);
      }
      const dispatches = block.type !== 'input' || block.dispatch_action === true;
      if (!dispatches) return { status: 0, body: undefined, sent: false };
      let payload: Record<string, any>;
      if (inMessage) {
        const { extra } = messageContext(p.teamId, p.userId, p.view as PostedMessage);
        payload = {
          type: 'block_actions',
          ...common(p.teamId, p.userId),
          trigger_id: fake.issueTrigger(p.teamId, p.userId),
          ...extra,
          actions: [action],
        };
      } else {
        payload = {
          type: 'block_actions',
          ...common(p.teamId, p.userId),
          container: { type: 'view', view_id: v!.id },
          trigger_id: fake.issueTrigger(p.teamId, p.userId, v!.type === 'modal' ? v!.id : undefined),
          view: viewPayload(v!),
          actions: [action],
        };
      }
      const r = await postPayload(payload, 'block_actions', p.teamId);
      return { status: r.status, body: r.body, sent: true };
    },

    async suggest(p) {
      const v = latestView(p.teamId, p.userId, p.view);
      const { block, element } = findByLabel(
        v.blocks,
        p.label,
        (e) => e.type === 'external_select' || e.type === 'multi_external_select',
        'suggest',
      );
      const min = element.min_query_length ?? 3;
      if (p.query.length < min) return { status: 0, options: [] };
      const payload = {
        type: 'block_suggestion',
        ...common(p.teamId, p.userId),
        container: { type: 'view', view_id: v.id },
        action_id: element.action_id,
        block_id: block.block_id,
        value: p.query,
        view: viewPayload(v),
      };
      const r = await postPayload(payload, 'block_suggestion', p.teamId);
      if (r.status !== 200) return { status: r.status, options: [], body: r.body };
      const errs = validateSuggestionResponse(r.body);
      store.record({
        method: 'block_suggestion',
        teamId: p.teamId,
        args: { action_id: element.action_id, value: p.query, response: r.body },
        ok: errs.length === 0,
        error: errs.length ? 'invalid_options' : undefined,
        at: Date.now(),
        messages: errs.length ? errs : undefined,
      });
      if (errs.length) return { status: r.status, options: [], body: r.body };
      const opts = r.body.options ?? r.body.option_groups.flatMap((g: any) => g.options);
      return {
        status: r.status,
        options: opts.map((x: any) => ({ text: plainTextOf(x.text), value: x.value })),
        body: r.body,
      };
    },

    async submitView(p) {
      const v = latestView(p.teamId, p.userId, p.view);
      if (v.type !== 'modal' || !v.submit) throw new Error(`view ${v.id} has no submit button`);
      const inputs = v.blocks.filter((b) => b.type === 'input');
      const entered: Record<string, Record<string, any>> = {};
      for (const [label, value] of Object.entries(p.values)) {
        const { block, element } = findByLabel(inputs, label, () => true, 'submitView');
        (entered[block.block_id] ??= {})[element.action_id] = stateValue(element, value, label);
      }
      for (const [b, acts] of Object.entries(entered))
        for (const [a, sv] of Object.entries(acts)) (v.state.values[b] ??= {})[a] = sv;
      const values = stateValuesOf(v);
      const missing = inputs
        .filter((b) => !b.optional && isEmpty(values[b.block_id]?.[b.element.action_id] ?? {}))
        .map((b) => plainTextOf(b.label));
      if (missing.length)
        throw new Error(`Slack would not submit: required input(s) empty: ${missing.map((m) => `'${m}'`).join(', ')}`);
      const payload = {
        type: 'view_submission',
        ...common(p.teamId, p.userId),
        trigger_id: fake.issueTrigger(p.teamId, p.userId, v.id),
        view: viewPayload(v),
        response_urls: [],
      };
      const r = await postPayload(payload, 'view_submission', p.teamId);
      let errors: Record<string, string> | undefined;
      if (r.status === 200 && r.ms <= ACK_TIMEOUT_MS) {
        const body = typeof r.body === 'object' && r.body ? r.body : {};
        const rec = (ok: boolean, error?: string, messages?: string[]) =>
          store.record({
            method: 'view_submission',
            teamId: p.teamId,
            args: { view_id: v.id, callback_id: v.callback_id, response: r.body },
            ok,
            error,
            messages,
            at: Date.now(),
          });
        try {
          switch (body.response_action) {
            case undefined:
              popView(store, v.id);
              rec(true);
              break;
            case 'errors': {
              const ids = new Set(inputs.map((b) => b.block_id));
              if (typeof body.errors !== 'object' || !body.errors || Object.keys(body.errors).length === 0)
                throw new SlackError('invalid_arguments', [
                  '[ERROR] errors must be a non-empty object [json-pointer:/errors]',
                ]);
              const bad = Object.keys(body.errors).filter((k) => !ids.has(k));
              if (bad.length)
                throw new SlackError(
                  'invalid_arguments',
                  bad.map(
                    (k) =>
                      `[ERROR] '${k}' is not the block_id of an input block in this view [json-pointer:/errors/${k}]`,
                  ),
                );
              errors = body.errors;
              rec(true);
              break;
            }
            case 'update':
              updateView(store, v, body.view);
              rec(true);
              break;
            case 'push':
              pushView(store, p.teamId, p.userId, body.view);
              rec(true);
              break;
            case 'clear':
              closeStack(store, p.teamId, p.userId);
              rec(true);
              break;
            default:
              throw new SlackError('invalid_arguments', [`[ERROR] unknown response_action '${body.response_action}'`]);
          }
        } catch (e) {
          if (!(e instanceof SlackError)) throw e;
          rec(false, e.error, e.messages);
        }
      }
      return { status: r.status, body: r.body, errors };
    },

    async shortcut(p) {
      const triggerId = fake.issueTrigger(p.teamId, p.userId);
      const payload = {
        type: 'shortcut',
        ...common(p.teamId, p.userId),
        callback_id: p.callbackId,
        trigger_id: triggerId,
        action_ts: nextTs(),
      };
      const r = await postPayload(payload, 'shortcut', p.teamId);
      return { status: r.status, body: r.body, triggerId };
    },

    async closeView(p) {
      const v = latestView(p.teamId, p.userId, p.view);
      const stackIds = store.stack(p.teamId, p.userId);
      const cleared = v.clear_on_close;
      if (cleared) closeStack(store, p.teamId, p.userId);
      else popView(store, v.id);
      void stackIds;
      if (!v.notify_on_close) return null;
      const payload = { type: 'view_closed', ...common(p.teamId, p.userId), view: viewPayload(v), is_cleared: cleared };
      const r = await postPayload(payload, 'view_closed', p.teamId);
      return { status: r.status, body: r.body };
    },
  };
  return driver;
}
