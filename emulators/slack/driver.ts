// Driver: sends correctly signed Slack requests (commands, events, interactivity) to the app's real HTTP endpoint,
// building interaction payloads from what the fake recorded, the way Slack's client would (plumbing in
// driver-context.ts, interactions in driver-interactions.ts).
import { nextTs } from './store.ts';
import type { PostedMessage, SlackFake, SlackFile, SlackView } from './types.ts';
import { ACK_TIMEOUT_MS, driverContext } from './driver-context.ts';
import { interactionMethods } from './driver-interactions.ts';

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
  uninstall(p: { teamId: string; order?: 'uninstalled_first' | 'revoked_first' }): Promise<Array<{ status: number; body: any }>>;
  /** A global shortcut (lightning menu): `shortcut` payload with a fresh trigger_id. */
  shortcut(p: { teamId: string; userId: string; callbackId: string }): Promise<{ status: number; body: any; triggerId: string }>;
  urlVerification(challenge?: string): Promise<{ status: number; body: any }>;
  signedPost(path: string, body: string, contentType: string, headers?: Record<string, string>): Promise<Response>;
}

export function createSlackDriver(o: DriverOptions): SlackDriver {
  const ctx = driverContext(o);
  const { fake, store, apiAppId, token, signedPost, read, postForm, postPayload, team, userObj, common, channelName } = ctx;
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
        authorizations: [{ enterprise_id: null, team_id: p.teamId, user_id: t.botUserId, is_bot: true, is_enterprise_install: false }],
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
      const res = await signedPost('/slack/events', JSON.stringify({ token, challenge, type: 'url_verification' }), 'application/json');
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

    ...interactionMethods(ctx),
  };
  return driver;
}
