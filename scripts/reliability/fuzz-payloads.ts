// Seeded generators of Slack payloads (commands, block_actions, view_submission, block_suggestion, events) and the
// mutations the fuzzer applies to them. Pure: a seed gives the same cases every run.
import { ACTION } from '../../src/slack/views/invoice-common.ts';
import { SA, SETTINGS_CALLBACK } from '../../src/slack/views/settings.ts';
import { HA } from '../../src/slack/views/home.ts';
import { LA, LINK_ADD_CALLBACK, LINK_BIND_CALLBACK, LINK_IMPORT_CALLBACK } from '../../src/slack/views/link-profiles.ts';
import { FIELD, REVIEW_CALLBACK, UPLOAD_CALLBACK } from '../../src/slack/views/invoice-review.ts';
import { UPLOAD_SHORTCUT } from '../../src/slack/listeners/shortcuts/invoices.ts';
import { seeded } from '../../emulators/qbo/limits.ts';

export interface FuzzTeam {
  id: string;
  admins: string[];
  members: string[];
  channels: string[];
}

export type Rng = () => number;

/** The emulator's seeded mulberry32: the same seed gives the same run. */
export const rng = (seed: number): Rng => seeded(seed);

export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const WEIRD: unknown[] = [
  null,
  undefined,
  '',
  ' ',
  0,
  -1,
  1.5,
  Number.POSITIVE_INFINITY, // 1e309 as JSON.parse would read it
  Number.MAX_SAFE_INTEGER,
  true,
  false,
  [],
  {},
  [null],
  { a: { b: { c: [] } } },
  'null',
  'undefined',
  '-1',
  '0',
  '1e9',
  '0x10',
  'NaN',
  '9'.repeat(40),
  'x'.repeat(5000),
  '<!channel> *bold* <https://evil.example|x>',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🚀 \u0000\u202e',
  "'; drop table settings; --",
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'T0B',
  'UADMIN',
  'link_row:abc',
  'Customer:1',
  'Account:',
  ':',
  'unlink',
  '{"a":1}',
  '%PDF-1.4',
];

export const weird = (r: Rng): unknown => structuredClone(pick(r, WEIRD));

const ACTIONS = [...Object.values(ACTION), ...Object.values(SA), ...Object.values(HA), ...Object.values(LA), 'unknown_action'];
const CALLBACKS = [SETTINGS_CALLBACK, REVIEW_CALLBACK, UPLOAD_CALLBACK, LINK_ADD_CALLBACK, LINK_IMPORT_CALLBACK, LINK_BIND_CALLBACK, 'unknown_view'];
const SUGGESTIONS = [
  SA.purchaseAccount,
  SA.expenseAccount,
  FIELD.vendor,
  FIELD.account,
  FIELD.project,
  FIELD.costCode,
  ACTION.fixLink,
  ACTION.fixAccount,
  ACTION.fixExpense,
  LA.pick,
  'unknown',
];
const COMMAND_TEXTS = ['settings', 'status', 'help', 'upload', '', 'settings now', 'SETTINGS', 'frobnicate', '💥', ' status ', 'x'.repeat(3000)];

export interface Actor {
  team: FuzzTeam;
  /** The team the payload claims (another team's id for cross-workspace attempts). */
  claimedTeam: string;
  user: string;
  admin: boolean;
}

const ids = (r: Rng, invoiceIds: number[]) =>
  pick(r, [...invoiceIds.map(String), ...invoiceIds.map(String), '0', '-1', '999999', 'abc', '1.5', ' 1', '']);

function commonPart(a: Actor) {
  return {
    user: { id: a.user, username: a.user, name: a.user, team_id: a.claimedTeam },
    team: { id: a.claimedTeam, domain: 'fuzz' },
    api_app_id: 'A0FAKEAPP',
    token: 'fakeVerificationToken0000',
    is_enterprise_install: false,
    enterprise: null,
  };
}

function stateValues(r: Rng): Record<string, Record<string, unknown>> {
  const v: Record<string, Record<string, unknown>> = {};
  const fields = [
    ['settings_auto_sync', SA.autoSync, { type: 'radio_buttons', selected_option: { value: pick(r, ['on', 'off', 'maybe']) } }],
    ['settings_default_type', SA.defaultType, { type: 'radio_buttons', selected_option: { value: pick(r, ['Bill', 'Expense', 'Invoice']) } }],
    [
      'settings_purchase_account',
      SA.purchaseAccount,
      { type: 'external_select', selected_option: pick(r, [null, { value: String(Math.floor(r() * 200)) }]) },
    ],
    ['settings_admins', SA.admins, { type: 'multi_users_select', selected_users: [pick(r, ['UNEWADMIN1', 'UNEWADMIN2'])] }],
    ['settings_payers', SA.payers, { type: 'multi_users_select', selected_users: [pick(r, ['UNEWPAYER1', 'W0NEWPAYER2'])] }],
    [FIELD.amount, FIELD.amount, { type: 'plain_text_input', value: pick(r, ['12.34', '-5', '0', 'abc', '1e12', '']) }],
    [FIELD.date, FIELD.date, { type: 'datepicker', selected_date: pick(r, ['2024-02-30', '2024-05-01', 'x', null]) }],
    [FIELD.vendor, FIELD.vendor, { type: 'external_select', selected_option: { value: pick(r, ['1', 'new:Acme', '', 'x']) } }],
    [FIELD.type, FIELD.type, { type: 'radio_buttons', selected_option: { value: pick(r, ['Bill', 'Expense', 'x']) } }],
    ['link_add_kind', LA.addKind, { type: 'static_select', selected_option: { value: pick(r, ['project', 'cost_code', 'x']) } }],
    ['link_add_name', LA.addName, { type: 'plain_text_input', value: pick(r, ['Oak', '', 'x'.repeat(300)]) }],
  ] as const;
  for (const [block, action, value] of fields) if (r() < 0.5) v[block] = { [action]: value };
  return v;
}

/** One well-formed payload of a random kind, before mutation: [kind, body, contentType]. */
export function basePayload(r: Rng, a: Actor, invoiceIds: number[]): { kind: string; body: Record<string, unknown>; form: boolean } {
  const channel = pick(r, a.team.channels);
  const roll = r();
  if (roll < 0.2) {
    return {
      kind: 'command',
      form: true,
      body: {
        token: 'fakeVerificationToken0000',
        team_id: a.claimedTeam,
        team_domain: 'fuzz',
        channel_id: channel,
        channel_name: 'c',
        user_id: a.user,
        user_name: a.user,
        command: pick(r, ['/qbo', '/qbo', '/other']),
        text: pick(r, COMMAND_TEXTS),
        api_app_id: 'A0FAKEAPP',
        is_enterprise_install: 'false',
        response_url: 'http://127.0.0.1:9/nowhere',
        trigger_id: `fuzz.${Math.floor(r() * 1e9)}`,
      },
    };
  }
  if (roll < 0.5) {
    const actionId = pick(r, ACTIONS);
    const inView = r() < 0.5;
    const payload: Record<string, unknown> = {
      type: 'block_actions',
      ...commonPart(a),
      trigger_id: `fuzz.${Math.floor(r() * 1e9)}`,
      actions: [
        {
          action_id: actionId,
          block_id: pick(r, ['b', 'link_row:1', 'invoice_actions', `link_row:${ids(r, invoiceIds)}`]),
          type: 'button',
          value: ids(r, invoiceIds),
          selected_option: r() < 0.3 ? { value: pick(r, ['Customer:1', 'Item:2', 'Account:3', 'unlink', 'x']) } : undefined,
          action_ts: '1.2',
        },
      ],
    };
    if (inView)
      payload.view = {
        id: `VFUZZ${Math.floor(r() * 100)}`,
        type: pick(r, ['modal', 'home']),
        callback_id: pick(r, CALLBACKS),
        private_metadata: pick(r, ['', '{}', '{"autoSync":true}', 'x']),
        hash: 'h',
        state: { values: stateValues(r) },
      };
    else payload.container = { type: 'message', message_ts: '1.1', channel_id: channel, is_ephemeral: false };
    return { kind: 'block_actions', form: true, body: { payload } };
  }
  if (roll < 0.65) {
    const payload = {
      type: 'view_submission',
      ...commonPart(a),
      trigger_id: `fuzz.${Math.floor(r() * 1e9)}`,
      view: {
        id: `VFUZZ${Math.floor(r() * 100)}`,
        type: 'modal',
        callback_id: pick(r, CALLBACKS),
        private_metadata: pick(r, [
          '',
          '{}',
          JSON.stringify({ invoiceId: Number(ids(r, invoiceIds)) }),
          JSON.stringify({
            autoSync: false,
            defaultType: 'Bill',
            defaultPurchaseAccountId: null,
            defaultExpenseAccountId: null,
            adminUserIds: [],
          }),
          'x',
        ]),
        hash: 'h',
        state: { values: stateValues(r) },
      },
      response_urls: [],
    };
    return { kind: 'view_submission', form: true, body: { payload } };
  }
  if (roll < 0.75) {
    const payload = {
      type: 'block_suggestion',
      ...commonPart(a),
      action_id: pick(r, SUGGESTIONS),
      block_id: pick(r, ['b', 'link_row:1', 'link_row:x']),
      value: String(weird(r) ?? ''),
      view: {
        id: 'VFUZZ',
        type: 'modal',
        callback_id: pick(r, CALLBACKS),
        private_metadata: '',
        state: { values: {} },
      },
    };
    return { kind: 'block_suggestion', form: true, body: { payload } };
  }
  if (roll < 0.8) {
    const payload = {
      type: pick(r, ['shortcut', 'message_action', 'view_closed', 'unknown']),
      ...commonPart(a),
      callback_id: pick(r, [UPLOAD_SHORTCUT, 'x']),
      trigger_id: 'fuzz.1',
      view: { id: 'V', callback_id: pick(r, CALLBACKS), state: { values: {} } },
    };
    return { kind: 'other_interaction', form: true, body: { payload } };
  }
  const ev = pick(r, [
    {
      type: 'file_shared',
      channel_id: channel,
      file_id: pick(r, ['F0FUZZ', 'F404', '']),
      user_id: a.user,
      file: { id: 'F0FUZZ' },
    },
    {
      type: 'message',
      subtype: 'file_share',
      text: '',
      files: [
        {
          id: 'F0FUZZ',
          name: 'x.pdf',
          mimetype: 'application/pdf',
          size: 10,
          url_private_download: 'https://evil.example/x',
        },
      ],
      user: a.user,
      ts: '1.1',
      channel,
      channel_type: 'channel',
    },
    { type: 'app_home_opened', user: a.user, channel: 'DFUZZ', tab: pick(r, ['home', 'messages']) },
    { type: 'app_uninstalled' },
    { type: 'tokens_revoked', tokens: { oauth: [a.user], bot: ['B1'] } },
    { type: 'member_joined_channel', user: a.user, channel },
  ]);
  return {
    kind: `event:${ev.type}`,
    form: false,
    body: {
      token: 'fakeVerificationToken0000',
      team_id: a.claimedTeam,
      api_app_id: 'A0FAKEAPP',
      type: 'event_callback',
      event: { ...ev, event_ts: '1.1' },
      event_id: `EvFUZZ${Math.floor(r() * 1e12)}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: a.claimedTeam, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    },
  };
}

/** Replaces, deletes or retypes one value somewhere in the object (not the envelope's `type` every time). */
export function mutate(r: Rng, obj: unknown, depth = 0): unknown {
  if (obj === null || typeof obj !== 'object' || depth > 6) return weird(r);
  const o = obj as Record<string, unknown>;
  const keys = Object.keys(o);
  if (!keys.length || r() < 0.1) return r() < 0.5 ? weird(r) : Array.isArray(o) ? [...o, weird(r)] : { ...o, [String(weird(r))]: weird(r) };
  const k = pick(r, keys);
  const v = o[k];
  if (r() < 0.2) {
    delete o[k];
  } else if (v !== null && typeof v === 'object' && r() < 0.6) {
    o[k] = mutate(r, v, depth + 1);
  } else {
    o[k] = weird(r);
  }
  return o;
}
