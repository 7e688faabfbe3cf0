// Web API methods of the Slack fake: the handler table (scopes and the OAuth code exchange are in access.ts).
import { validateBlocks, validateView } from './blockkit.ts';
import { nextTs, type Store, type TeamState } from './store.ts';
import type { PostedMessage, SlackFile } from './types.ts';
import { findView, invalid, openView, publishHome, pushView, SlackError, updateView, useTrigger } from './views.ts';

export type Args = Record<string, any>;
export interface Ctx {
  store: Store;
  teamId: string;
  t: TeamState;
  args: Args;
  baseUrl: string;
}
export type Handler = (c: Ctx) => Record<string, unknown>;

export function bool(v: unknown): boolean {
  return v === true || v === 'true' || v === '1' || v === 1;
}
export function must(args: Args, name: string): string {
  const v = args[name];
  if (v === undefined || v === null || v === '') throw invalid([`[ERROR] missing required field: ${name} [json-pointer:/${name}]`]);
  return String(v);
}

export function messageObject(t: TeamState, m: PostedMessage, appId: string) {
  const o: Record<string, unknown> = { type: 'message', text: m.text ?? '', ts: m.ts, team: t.team.id };
  if (m.author === t.botUserId)
    Object.assign(o, {
      user: t.botUserId,
      bot_id: t.botId,
      app_id: appId,
      bot_profile: { id: t.botId, app_id: appId, name: 'invoice-bot', team_id: t.team.id },
    });
  else o.user = m.author;
  if (m.blocks) o.blocks = m.blocks;
  if (m.attachments) o.attachments = m.attachments;
  if (m.thread_ts) o.thread_ts = m.thread_ts;
  if (m.files) {
    o.files = m.files;
    o.subtype = 'file_share';
    o.upload = true;
  }
  if (m.metadata) o.metadata = m.metadata;
  if (m.edited) o.edited = { user: t.botUserId, ts: nextTs() };
  return o;
}

export function resolveChannel(store: Store, c: Ctx, channel: unknown): string {
  if (typeof channel !== 'string' || !channel) throw new SlackError('channel_not_found');
  if (store.conversation(c.teamId, channel)) return channel;
  // A user id posts to the app's DM with that user (Slack does this for chat.postMessage).
  if (/^[UW]/.test(channel) && store.user(c.teamId, channel)) return store.imChannel(c.teamId, channel);
  throw new SlackError('channel_not_found');
}

export function messageContent(args: Args, ptrBase = ''): { text?: string; blocks?: any[]; attachments?: any[] } {
  const hasText = typeof args.text === 'string' && args.text.length > 0;
  const hasBlocks = Array.isArray(args.blocks) && args.blocks.length > 0;
  const hasAtt = Array.isArray(args.attachments) && args.attachments.length > 0;
  if (args.blocks !== undefined && !Array.isArray(args.blocks)) throw new SlackError('invalid_blocks_format');
  if (!hasText && !hasBlocks && !hasAtt) throw new SlackError('no_text');
  if (hasText && args.text.length > 40000) throw new SlackError('msg_too_long');
  if (args.blocks !== undefined) {
    const errs = validateBlocks(args.blocks, 'message', `${ptrBase}/blocks`);
    if (errs.length) throw new SlackError('invalid_blocks', errs, { errors: errs });
  }
  return { text: hasText ? args.text : (args.text ?? ''), blocks: args.blocks, attachments: args.attachments };
}

export function fileForInfo(f: SlackFile) {
  return { ...f };
}

export const methods: Record<string, Handler> = {
  'api.test': ({ args }) => ({ args }),

  'auth.test': ({ t, baseUrl: _b }) => ({
    url: `https://${t.domain}.slack.com/`,
    team: t.team.name,
    user: t.team.users.find((u) => u.id === t.botUserId)?.name ?? 'invoice-bot',
    team_id: t.team.id,
    user_id: t.botUserId,
    bot_id: t.botId,
    is_enterprise_install: false,
  }),

  'users.info': ({ store, teamId, args }) => {
    const id = must(args, 'user');
    const u = store.user(teamId, id);
    if (!u) throw new SlackError('user_not_found');
    const tz = u.tz ?? 'America/New_York';
    return {
      user: {
        id: u.id,
        team_id: teamId,
        name: u.name,
        deleted: false,
        color: '9f69e7',
        real_name: u.name,
        tz,
        tz_label: tz,
        tz_offset: 0,
        profile: {
          real_name: u.name,
          display_name: u.name,
          real_name_normalized: u.name,
          display_name_normalized: u.name,
          email: u.email,
          team: teamId,
        },
        is_admin: !!u.is_admin || !!u.is_owner,
        is_owner: !!u.is_owner,
        is_primary_owner: !!u.is_owner,
        is_restricted: false,
        is_ultra_restricted: false,
        is_bot: !!u.is_bot,
        is_app_user: false,
        updated: Math.floor(Date.now() / 1000),
      },
    };
  },

  // Paginated like Slack: `limit` (default 100, max 1000) and an opaque `next_cursor` in response_metadata.
  'users.list': ({ t, teamId, args }) => {
    const limit = Math.min(Math.max(Number(args.limit ?? 100) || 100, 1), 1000);
    const start = args.cursor ? Number(Buffer.from(String(args.cursor), 'base64').toString('utf8').replace('users:', '')) : 0;
    if (!Number.isInteger(start) || start < 0) throw new SlackError('invalid_cursor');
    const all = t.team.users;
    const page = all.slice(start, start + limit).map((u) => ({
      id: u.id,
      team_id: teamId,
      name: u.name,
      deleted: false,
      real_name: u.name,
      is_bot: !!u.is_bot,
      is_admin: !!u.is_admin || !!u.is_owner,
      is_owner: !!u.is_owner,
      is_primary_owner: !!u.is_owner,
      is_restricted: false,
      is_ultra_restricted: false,
    }));
    const next = start + limit < all.length ? Buffer.from(`users:${start + limit}`).toString('base64') : '';
    return { members: page, cache_ts: Math.floor(Date.now() / 1000), response_metadata: { next_cursor: next } };
  },

  'team.info': ({ t }) => ({
    team: {
      id: t.team.id,
      name: t.team.name,
      domain: t.domain,
      email_domain: '',
      icon: { image_default: true },
      is_verified: false,
    },
  }),

  'conversations.open': ({ store, teamId, args }) => {
    let userId: string;
    if (args.channel) {
      const conv = store.conversation(teamId, String(args.channel));
      if (conv?.kind !== 'im') throw new SlackError('channel_not_found');
      userId = conv.user;
    } else {
      if (!args.users) throw new SlackError('users_list_not_supplied');
      const users = String(args.users)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (users.length !== 1) throw new SlackError('not_supported', ['[ERROR] the fake opens 1:1 DMs only (one user)']);
      userId = users[0];
      if (!store.user(teamId, userId)) throw new SlackError('user_not_found');
    }
    const d = store.imChannel(teamId, userId);
    const channel: Record<string, unknown> = { id: d };
    if (bool(args.return_im))
      Object.assign(channel, {
        created: Math.floor(Date.now() / 1000),
        is_im: true,
        is_org_shared: false,
        user: userId,
        is_user_deleted: false,
        priority: 0,
      });
    return { no_op: false, already_open: false, channel };
  },

  'conversations.info': ({ store, teamId, args }) => {
    const conv = store.conversation(teamId, must(args, 'channel'));
    if (!conv) throw new SlackError('channel_not_found');
    const created = Math.floor(Date.now() / 1000);
    if (conv.kind === 'im')
      return {
        channel: {
          id: conv.id,
          created,
          is_im: true,
          is_org_shared: false,
          user: conv.user,
          is_user_deleted: false,
          priority: 0,
        },
      };
    return {
      channel: {
        id: conv.id,
        name: conv.name,
        name_normalized: conv.name,
        is_channel: !conv.is_private,
        is_group: conv.is_private,
        is_im: false,
        is_mpim: false,
        is_private: conv.is_private,
        created,
        is_archived: false,
        is_general: false,
        is_member: true,
        is_shared: false,
        is_ext_shared: false,
        is_org_shared: false,
        context_team_id: teamId,
        creator: '',
        topic: { value: '', creator: '', last_set: 0 },
        purpose: { value: '', creator: '', last_set: 0 },
      },
    };
  },

  'chat.postMessage': (c) => {
    const { store, t, args } = c;
    const channel = resolveChannel(store, c, args.channel);
    const content = messageContent(args);
    const m: PostedMessage = {
      ts: nextTs(),
      channel,
      text: content.text,
      blocks: content.blocks,
      attachments: content.attachments,
      ephemeral: false,
      author: t.botUserId,
      bot_id: t.botId,
      team: t.team.id,
      via: 'chat.postMessage',
      metadata: args.metadata,
    };
    if (args.thread_ts !== undefined && args.thread_ts !== '') m.thread_ts = String(args.thread_ts);
    store.putMessage(m);
    return { channel, ts: m.ts, message: messageObject(t, m, store.appId) };
  },

  'chat.postEphemeral': (c) => {
    const { store, t, args, teamId } = c;
    const channel = resolveChannel(store, c, args.channel);
    const user = must(args, 'user');
    if (!store.user(teamId, user)) throw new SlackError('user_not_in_channel');
    const conv = store.conversation(teamId, channel);
    if (conv?.kind === 'im' && conv.user !== user) throw new SlackError('user_not_in_channel');
    const content = messageContent(args);
    const m: PostedMessage = {
      ts: nextTs(),
      channel,
      text: content.text,
      blocks: content.blocks,
      attachments: content.attachments,
      ephemeral: true,
      user,
      author: t.botUserId,
      bot_id: t.botId,
      team: t.team.id,
      via: 'chat.postEphemeral',
    };
    if (args.thread_ts) m.thread_ts = String(args.thread_ts);
    store.putMessage(m);
    return { message_ts: m.ts };
  },

  'chat.update': (c) => {
    const { store, t, args } = c;
    const channel = resolveChannel(store, c, args.channel);
    const ts = must(args, 'ts');
    const old = store.getMessage(channel, ts);
    if (!old || old.ephemeral) throw new SlackError('message_not_found');
    if (old.author !== t.botUserId) throw new SlackError('cant_update_message');
    const content = messageContent(args);
    const m: PostedMessage = {
      ...old,
      text: content.text,
      blocks: args.blocks !== undefined ? content.blocks : old.blocks,
      attachments: args.attachments !== undefined ? content.attachments : old.attachments,
      edited: true,
      via: 'chat.update',
    };
    if (args.blocks !== undefined && args.blocks.length === 0) delete m.blocks;
    store.putMessage(m);
    return { channel, ts, text: m.text, message: messageObject(t, m, store.appId) };
  },

  'chat.delete': (c) => {
    const { store, t, args } = c;
    const channel = resolveChannel(store, c, args.channel);
    const ts = must(args, 'ts');
    const old = store.getMessage(channel, ts);
    if (!old || old.ephemeral) throw new SlackError('message_not_found');
    if (old.author !== t.botUserId) throw new SlackError('cant_delete_message');
    store.deleteMessage(channel, ts);
    return { channel, ts };
  },

  'chat.getPermalink': (c) => {
    const { store, t, args } = c;
    const channel = resolveChannel(store, c, args.channel);
    const ts = must(args, 'message_ts');
    if (!store.getMessage(channel, ts)) throw new SlackError('message_not_found');
    return { channel, permalink: `https://${t.domain}.slack.com/archives/${channel}/p${ts.replace('.', '')}` };
  },

  'views.open': ({ store, teamId, args }) => {
    if (args.view === undefined) throw invalid(['[ERROR] missing required field: view [json-pointer:/view]']);
    if (args.interactivity_pointer !== undefined && args.trigger_id === undefined) args.trigger_id = args.interactivity_pointer;
    // The view is checked before the trigger is exchanged: a rejected view leaves the trigger usable.
    const errs = validateView(args.view, 'modal');
    if (errs.length) throw invalid(errs);
    const tr = useTrigger(store, teamId, args.trigger_id);
    return { view: openView(store, teamId, tr.userId, args.view) };
  },

  'views.push': ({ store, teamId, args }) => {
    if (args.view === undefined) throw invalid(['[ERROR] missing required field: view [json-pointer:/view]']);
    if (args.interactivity_pointer !== undefined && args.trigger_id === undefined) args.trigger_id = args.interactivity_pointer;
    const errs = validateView(args.view, 'modal');
    if (errs.length) throw invalid(errs);
    const tr = useTrigger(store, teamId, args.trigger_id);
    return { view: pushView(store, teamId, tr.userId, args.view) };
  },

  'views.update': ({ store, teamId, args }) => {
    if (args.view === undefined) throw invalid(['[ERROR] missing required field: view [json-pointer:/view]']);
    const v = findView(store, teamId, args.view_id ? String(args.view_id) : undefined, args.external_id ? String(args.external_id) : undefined);
    return { view: updateView(store, v, args.view, args.hash === undefined ? undefined : String(args.hash)) };
  },

  'views.publish': ({ store, teamId, args }) => {
    const userId = must(args, 'user_id');
    if (args.view === undefined) throw invalid(['[ERROR] missing required field: view [json-pointer:/view]']);
    if (!store.user(teamId, userId)) throw new SlackError('user_not_found');
    return {
      view: publishHome(store, teamId, userId, args.view, args.hash === undefined ? undefined : String(args.hash)),
    };
  },

  'files.info': ({ t, args }) => {
    const id = must(args, 'file');
    const f = t.files.get(id);
    if (!f) throw new SlackError('file_not_found');
    return { file: fileForInfo(f.file), comments: [], response_metadata: { next_cursor: '' } };
  },

  'apps.uninstall': ({ store, teamId, args }) => {
    if (store.clientId && args.client_id !== store.clientId) throw new SlackError('invalid_client_id');
    if (store.clientSecret && args.client_secret !== store.clientSecret) throw new SlackError('bad_client_secret');
    store.team(teamId).revoked = true;
    return {};
  },
};
