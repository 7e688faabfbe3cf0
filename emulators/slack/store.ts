// State of the Slack fake: teams, tokens, files, views and modal stacks, messages, triggers, OAuth codes.
import { randomBytes } from 'node:crypto';
import type { FakeTeam, FakeUser, PostedMessage, RecordedCall, SlackFile, SlackView } from './types.ts';
import { elementsOf } from './blockkit.ts';
import { INPUT_ELEMENTS } from './blockkit-spec.ts';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export function slackId(prefix: string, len = 10): string {
  const b = randomBytes(len);
  let s = prefix;
  for (let i = 0; i < len; i++) s += ALNUM[b[i] % ALNUM.length];
  return s;
}
function shortId(len = 5): string {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const b = randomBytes(len);
  let s = '';
  for (let i = 0; i < len; i++) s += chars[b[i] % chars.length];
  return s;
}

/** The bot scopes docs/slack.md says the app requests. */
export const DEFAULT_BOT_SCOPES = ['commands', 'chat:write', 'im:write', 'files:read', 'channels:history', 'groups:history', 'users:read'];

export interface TeamState {
  team: FakeTeam;
  scopes: string[];
  domain: string;
  botUserId: string;
  botId: string;
  revoked: boolean;
  ims: Map<string, string>; // userId → D…
  imUsers: Map<string, string>; // D… → userId
  files: Map<string, { file: SlackFile; bytes: Buffer }>;
}

export interface Trigger {
  id: string;
  teamId: string;
  userId: string;
  created: number;
  used: boolean;
  sourceViewId?: string;
}
export interface OAuthCode {
  code: string;
  teamId: string;
  userId: string;
  redirectUri?: string;
  scopes: string[];
  created: number;
  used: boolean;
}
export interface ResponseUrl {
  id: string;
  teamId: string;
  userId: string;
  channel: string;
  messageTs?: string;
  ephemeral?: boolean;
  uses: number;
  created: number;
}
export interface Failure {
  error: string;
  status?: number;
  retryAfter?: number;
}

/** The kinds of element whose value Slack keeps in view.state.values: the input elements, wherever they sit. */
export const STATEFUL = INPUT_ELEMENTS;

/** The state value Slack reports for an element nobody has touched (its initial_* or empty). */
export function initialStateValue(e: any): Record<string, any> {
  const t = e.type as string;
  switch (t) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      return { type: t, value: e.initial_value ?? null };
    case 'rich_text_input':
      return { type: t, rich_text_value: e.initial_value ?? null };
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type: t, selected_option: e.initial_option ?? null };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return { type: t, selected_options: e.initial_options ?? [] };
    case 'users_select':
      return { type: t, selected_user: e.initial_user ?? null };
    case 'multi_users_select':
      return { type: t, selected_users: e.initial_users ?? [] };
    case 'conversations_select':
      return { type: t, selected_conversation: e.initial_conversation ?? null };
    case 'multi_conversations_select':
      return { type: t, selected_conversations: e.initial_conversations ?? [] };
    case 'channels_select':
      return { type: t, selected_channel: e.initial_channel ?? null };
    case 'multi_channels_select':
      return { type: t, selected_channels: e.initial_channels ?? [] };
    case 'datepicker':
      return { type: t, selected_date: e.initial_date ?? null };
    case 'timepicker':
      return { type: t, selected_time: e.initial_time ?? null };
    case 'datetimepicker':
      return { type: t, selected_date_time: e.initial_date_time ?? null };
    case 'file_input':
      return { type: t, files: [] };
    default:
      return { type: t };
  }
}

/** view.state.values as Slack sends it in payloads: what the user entered, else each element's initial value. */
export function stateValuesOf(view: SlackView): Record<string, Record<string, any>> {
  const out: Record<string, Record<string, any>> = {};
  for (const { block, element } of elementsOf(view.blocks)) {
    if (!STATEFUL.has(element.type)) continue;
    const entered = view.state?.values?.[block.block_id]?.[element.action_id];
    (out[block.block_id] ??= {})[element.action_id] = entered ?? initialStateValue(element);
  }
  return out;
}

/** Slack gives every block a block_id and every element an action_id when the app leaves them out. */
export function fillIds(blocks: any[]): any[] {
  return (blocks ?? []).map((b) => {
    const nb = { ...b, block_id: b.block_id ?? shortId(4) };
    if (nb.type === 'input' && nb.element) nb.element = { ...nb.element, action_id: nb.element.action_id ?? shortId(5) };
    if (nb.type === 'section' && nb.accessory && nb.accessory.type !== 'image')
      nb.accessory = { ...nb.accessory, action_id: nb.accessory.action_id ?? shortId(5) };
    if (nb.type === 'actions' && Array.isArray(nb.elements))
      nb.elements = nb.elements.map((e: any) => ({ ...e, action_id: e.action_id ?? shortId(5) }));
    return nb;
  });
}

let tsCounter = 0;
export function nextTs(): string {
  tsCounter = (tsCounter + 1) % 1_000_000;
  return `${Math.floor(Date.now() / 1000)}.${String(tsCounter).padStart(6, '0')}`;
}
export function newHash(): string {
  return `${Math.floor(Date.now() / 1000)}.${shortId(8)}`;
}
export function randomToken(len = 24): string {
  return shortId(len);
}

export class Store {
  teams = new Map<string, TeamState>();
  tokens = new Map<string, string>(); // bot token → team id
  views = new Map<string, SlackView>();
  stacks = new Map<string, string[]>(); // `${team}:${user}` → view ids, bottom first
  homes = new Map<string, string>(); // `${team}:${user}` → home view id
  messages = new Map<string, PostedMessage>(); // `${channel}:${ts}` → latest version
  triggers = new Map<string, Trigger>();
  oauthCodes = new Map<string, OAuthCode>();
  responseUrls = new Map<string, ResponseUrl>();
  failures = new Map<string, Failure[]>();
  calls: RecordedCall[] = [];
  triggerTtlMs = 3000;
  clientId?: string;
  clientSecret?: string;

  constructor(public appId: string) {}

  addTeam(team: FakeTeam): TeamState {
    if (this.teams.has(team.id)) throw new Error(`team ${team.id} already added`);
    for (const [tok, tid] of this.tokens)
      if (tok === team.botToken && tid !== team.id) throw new Error(`bot token of ${team.id} already used by ${tid}`);
    const botUserId = team.botUserId ?? slackId('U');
    const ts: TeamState = {
      team: { ...team, users: [...team.users], channels: [...(team.channels ?? [])] },
      domain:
        team.domain ??
        team.name
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '') ??
        'team',
      botUserId,
      botId: slackId('B'),
      revoked: false,
      scopes: [...(team.scopes ?? DEFAULT_BOT_SCOPES)],
      ims: new Map(),
      imUsers: new Map(),
      files: new Map(),
    };
    ts.team.botUserId = botUserId;
    if (!ts.team.users.some((u) => u.id === botUserId)) ts.team.users.push({ id: botUserId, name: 'invoice-bot', is_bot: true });
    this.teams.set(team.id, ts);
    this.tokens.set(team.botToken, team.id);
    return ts;
  }

  team(teamId: string): TeamState {
    const t = this.teams.get(teamId);
    if (!t) throw new Error(`unknown team ${teamId} (teams: ${[...this.teams.keys()].join(', ')})`);
    return t;
  }
  user(teamId: string, userId: string): FakeUser | undefined {
    return this.teams.get(teamId)?.team.users.find((u) => u.id === userId);
  }

  imChannel(teamId: string, userId: string): string {
    const t = this.team(teamId);
    let d = t.ims.get(userId);
    if (!d) {
      d = slackId('D');
      t.ims.set(userId, d);
      t.imUsers.set(d, userId);
    }
    return d;
  }

  /** Which conversation a channel id is in this team: a channel, an IM, or nothing. */
  conversation(
    teamId: string,
    channel: string,
  ): { kind: 'channel'; id: string; name: string; is_private: boolean } | { kind: 'im'; id: string; user: string } | undefined {
    const t = this.teams.get(teamId);
    if (!t) return undefined;
    const c = t.team.channels?.find((x) => x.id === channel);
    if (c) return { kind: 'channel', id: c.id, name: c.name, is_private: !!c.is_private };
    const u = t.imUsers.get(channel);
    if (u) return { kind: 'im', id: channel, user: u };
    return undefined;
  }

  stackKey(teamId: string, userId: string) {
    return `${teamId}:${userId}`;
  }
  stack(teamId: string, userId: string): string[] {
    const k = this.stackKey(teamId, userId);
    let s = this.stacks.get(k);
    if (!s) {
      s = [];
      this.stacks.set(k, s);
    }
    return s;
  }
  /** The stack a modal view id currently belongs to, if it is open. */
  stackOf(viewId: string): string[] | undefined {
    for (const s of this.stacks.values()) if (s.includes(viewId)) return s;
    return undefined;
  }

  putMessage(m: PostedMessage) {
    this.messages.set(`${m.channel}:${m.ts}`, m);
  }
  getMessage(channel: string, ts: string) {
    return this.messages.get(`${channel}:${ts}`);
  }
  deleteMessage(channel: string, ts: string) {
    this.messages.delete(`${channel}:${ts}`);
  }

  record(call: RecordedCall) {
    this.calls.push(call);
  }
}
