import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { App, LogLevel } from '@slack/bolt';
import { createSlackDriver, DEFAULT_BOT_SCOPES, startSlackFake, type SlackFake, type SlackView } from '../../emulators/slack/index.ts';

const TEAM = 'T0AAAAAAA';
const TEAM_B = 'T0BBBBBBB';
const ADMIN = 'U0ADMIN01';
const CREW = 'U0CREW001';
const CHANNEL = 'C0PROJ001';
const TOKEN = 'xoxb-team-a-token';
const TOKEN_B = 'xoxb-team-b-token';

let fake: SlackFake;
const quiet = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} } as any;
let web: WebClient;
let webB: WebClient;

const modal = (over: Record<string, any> = {}) => ({
  type: 'modal', callback_id: 'cb', title: { type: 'plain_text', text: 'Review invoice' },
  submit: { type: 'plain_text', text: 'Save' },
  blocks: [{ type: 'input', block_id: 'amount', label: { type: 'plain_text', text: 'Amount' }, element: { type: 'plain_text_input', action_id: 'v' } }],
  ...over,
});

async function slackError(p: Promise<unknown>): Promise<{ error: string; messages: string[]; data: any }> {
  try { await p; } catch (e) {
    const err = e as WebAPIPlatformError;
    return { error: err.data?.error, messages: err.data?.response_metadata?.messages ?? [], data: err.data };
  }
  throw new Error('expected the call to be rejected');
}

beforeAll(async () => {
  fake = await startSlackFake({
    teams: [
      {
        id: TEAM, name: 'Acme Builders', domain: 'acme', botToken: TOKEN, botUserId: 'U0BOT0001',
        users: [{ id: ADMIN, name: 'alice', is_admin: true }, { id: CREW, name: 'bob' }],
        channels: [{ id: CHANNEL, name: 'proj-main-street' }, { id: 'G0PRIV001', name: 'office', is_private: true }],
      },
      { id: TEAM_B, name: 'Other Co', botToken: TOKEN_B, users: [{ id: 'U0OTHER01', name: 'carol', is_owner: true }], scopes: [...DEFAULT_BOT_SCOPES, 'team:read', 'im:read'] },
    ],
  });
  web = new WebClient(TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quiet });
  webB = new WebClient(TOKEN_B, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quiet });
});
afterAll(async () => { await fake.close(); });
afterEach(() => { fake.setTriggerTtlMs(3000); });

describe('Web API fake through the real WebClient', () => {
  it('auth.test, users.info, team.info; unknown token → invalid_auth', async () => {
    const a = await web.auth.test();
    expect(a).toMatchObject({ ok: true, team_id: TEAM, user_id: 'U0BOT0001', url: 'https://acme.slack.com/' });
    expect(a.bot_id).toMatch(/^B/);
    const u = await web.users.info({ user: ADMIN });
    expect(u.user).toMatchObject({ id: ADMIN, is_admin: true, is_owner: false });
    expect((await web.users.info({ user: CREW })).user?.is_admin).toBe(false);
    expect((await webB.users.info({ user: 'U0OTHER01' })).user).toMatchObject({ is_owner: true, is_admin: true });
    // team.info needs team:read, which the app's manifest scopes do not include
    expect(await slackError(web.team.info())).toMatchObject({ error: 'missing_scope', data: { needed: 'team:read', provided: DEFAULT_BOT_SCOPES.join(',') } });
    expect((await webB.team.info()).team).toMatchObject({ id: TEAM_B, name: 'Other Co', domain: 'other-co' });
    expect((await slackError(webB.users.info({ user: ADMIN }))).error).toBe('user_not_found');
    const bad = new WebClient('xoxb-nope', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quiet });
    expect((await slackError(bad.auth.test())).error).toBe('invalid_auth');
    expect(fake.rejected().at(-1)).toMatchObject({ method: 'auth.test', ok: false, error: 'invalid_auth', teamId: null });
  });

  it('accepts JSON bodies with a bearer token, and refuses a token inside a JSON body', async () => {
    const ok = await fetch(`${fake.apiUrl}auth.test`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${TOKEN}` }, body: '{}' });
    expect(await ok.json()).toMatchObject({ ok: true, team_id: TEAM });
    const no = await fetch(`${fake.apiUrl}auth.test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKEN }) });
    expect(await no.json()).toMatchObject({ ok: false, error: 'not_authed' });
  });

  it('DMs: conversations.open gives a D channel; chat.postMessage there shows in dms()', async () => {
    const open = await web.conversations.open({ users: CREW });
    const d = open.channel!.id!;
    expect(d).toMatch(/^D/);
    expect((await web.conversations.open({ users: CREW })).channel!.id).toBe(d);
    expect((await slackError(web.conversations.info({ channel: d }))).error).toBe('missing_scope'); // im:read
    const dB = (await webB.conversations.open({ users: 'U0OTHER01' })).channel!.id!;
    expect((await webB.conversations.info({ channel: dB })).channel).toMatchObject({ is_im: true, user: 'U0OTHER01' });
    const posted = await web.chat.postMessage({ channel: d, text: 'Bill 1042 synced', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Bill 1042* synced' } }] });
    expect(posted.channel).toBe(d);
    expect(fake.dms(TEAM, CREW).map((m) => m.text)).toContain('Bill 1042 synced');
    // a user id as channel posts to the app DM
    const viaUser = await web.chat.postMessage({ channel: ADMIN, text: 'QBO disconnected' });
    expect(viaUser.channel).toBe(fake.imChannel(TEAM, ADMIN));
    expect(fake.dms(TEAM, ADMIN).at(-1)?.text).toBe('QBO disconnected');
  });

  it('chat.postMessage: no_text, channel_not_found, invalid_blocks (> 50 blocks, mrkdwn button text); update/delete/ephemeral', async () => {
    expect((await slackError(web.chat.postMessage({ channel: CHANNEL } as any))).error).toBe('no_text');
    expect((await slackError(web.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).error).toBe('channel_not_found');
    expect((await slackError(webB.chat.postMessage({ channel: CHANNEL, text: 'x' }))).error).toBe('channel_not_found');
    const many = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const e1 = await slackError(web.chat.postMessage({ channel: CHANNEL, text: 'x', blocks: many }));
    expect(e1.error).toBe('invalid_blocks');
    expect(e1.messages.join()).toMatch(/no more than 50 items/);
    const e2 = await slackError(web.chat.postMessage({ channel: CHANNEL, text: 'x', blocks: [{ type: 'actions', elements: [{ type: 'button', text: { type: 'mrkdwn', text: '*Go*' }, action_id: 'go' }] }] as any }));
    expect(e2.messages.join()).toMatch(/plain_text.*json-pointer:\/blocks\/0\/elements\/0\/text\/type/);
    const e3 = await slackError(web.chat.postMessage({ channel: CHANNEL, text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'a'.repeat(3001) } }] }));
    expect(e3.messages.join()).toMatch(/less than 3001/);

    const m = await web.chat.postMessage({ channel: CHANNEL, text: 'Invoice received', thread_ts: '1700000000.000100' });
    expect(m.message).toMatchObject({ text: 'Invoice received', thread_ts: '1700000000.000100', bot_id: expect.stringMatching(/^B/) });
    await web.chat.update({ channel: CHANNEL, ts: m.ts!, text: 'Invoice synced' });
    expect(fake.messages(CHANNEL).find((x) => x.ts === m.ts)?.text).toBe('Invoice synced');
    expect((await slackError(web.chat.update({ channel: CHANNEL, ts: '1.2', text: 'x' }))).error).toBe('message_not_found');
    const eph = await web.chat.postEphemeral({ channel: CHANNEL, user: CREW, text: 'Only admins can change settings.' });
    expect(fake.messages(CHANNEL).find((x) => x.ts === eph.message_ts)).toMatchObject({ ephemeral: true, user: CREW });
    await web.chat.delete({ channel: CHANNEL, ts: m.ts! });
    expect(fake.messages(CHANNEL).find((x) => x.ts === m.ts)).toBeUndefined();
  });

  it('views.open: Block Kit limits → invalid_arguments with json-pointer messages', async () => {
    const cases: Array<[string, any, RegExp]> = [
      ['title > 24', modal({ title: { type: 'plain_text', text: 'x'.repeat(25) } }), /less than 25 characters \[json-pointer:\/view\/title\/text\]/],
      ['submit > 24', modal({ submit: { type: 'plain_text', text: 'x'.repeat(25) } }), /\/view\/submit\/text/],
      ['close > 24', modal({ close: { type: 'plain_text', text: 'x'.repeat(25) } }), /\/view\/close\/text/],
      ['mrkdwn title', modal({ title: { type: 'mrkdwn', text: 'Title' } }), /plain_text.*\/view\/title\/type/],
      ['private_metadata > 3000', modal({ private_metadata: 'x'.repeat(3001) }), /less than 3001.*private_metadata/],
      ['callback_id > 255', modal({ callback_id: 'x'.repeat(256) }), /callback_id/],
      ['> 100 blocks', modal({ blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) }), /no more than 100 items/],
      ['duplicate block_id', modal({ blocks: [{ type: 'divider', block_id: 'a' }, { type: 'divider', block_id: 'a' }] }), /duplicate block_id/],
      ['block_id > 255', modal({ blocks: [{ type: 'divider', block_id: 'b'.repeat(256) }] }), /block_id/],
      ['duplicate action_id in a block', modal({ blocks: [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'A' }, action_id: 'x' }, { type: 'button', text: { type: 'plain_text', text: 'B' }, action_id: 'x' }] }] }), /duplicate action_id/],
      ['action_id > 255', modal({ blocks: [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'A' }, action_id: 'a'.repeat(256) }] }] }), /action_id/],
      ['input without label', modal({ blocks: [{ type: 'input', element: { type: 'plain_text_input' } }] }), /\/view\/blocks\/0\/label/],
      ['input without element', modal({ blocks: [{ type: 'input', label: { type: 'plain_text', text: 'Amount' } }] }), /element/],
      ['input label mrkdwn', modal({ blocks: [{ type: 'input', label: { type: 'mrkdwn', text: 'Amount' }, element: { type: 'plain_text_input' } }] }), /plain_text/],
      ['inputs but no submit', modal({ submit: undefined }), /submit/],
      ['static_select > 100 options', modal({ blocks: [{ type: 'input', label: { type: 'plain_text', text: 'Project' }, element: { type: 'static_select', options: Array.from({ length: 101 }, (_, i) => ({ text: { type: 'plain_text', text: `P${i}` }, value: `p${i}` })) } }] }), /no more than 100 items/],
      ['option text > 75', modal({ blocks: [{ type: 'input', label: { type: 'plain_text', text: 'Project' }, element: { type: 'static_select', options: [{ text: { type: 'plain_text', text: 'x'.repeat(76) }, value: 'v' }] } }] }), /less than 76/],
      ['option value > 75', modal({ blocks: [{ type: 'input', label: { type: 'plain_text', text: 'Project' }, element: { type: 'static_select', options: [{ text: { type: 'plain_text', text: 'x' }, value: 'v'.repeat(76) }] } }] }), /value/],
      ['select option mrkdwn', modal({ blocks: [{ type: 'input', label: { type: 'plain_text', text: 'Project' }, element: { type: 'static_select', options: [{ text: { type: 'mrkdwn', text: '*x*' }, value: 'v' }] } }] }), /plain_text/],
      ['radio > 10 options', modal({ blocks: [{ type: 'input', label: { type: 'plain_text', text: 'Type' }, element: { type: 'radio_buttons', options: Array.from({ length: 11 }, (_, i) => ({ text: { type: 'plain_text', text: `o${i}` }, value: `o${i}` })) } }] }), /no more than 10/],
      ['checkboxes > 10 options', modal({ blocks: [{ type: 'input', label: { type: 'plain_text', text: 'Flags' }, element: { type: 'checkboxes', options: Array.from({ length: 11 }, (_, i) => ({ text: { type: 'mrkdwn', text: `o${i}` }, value: `o${i}` })) } }] }), /no more than 10/],
      ['section text > 3000', modal({ blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }] }), /less than 3001/],
      ['button text > 75', modal({ blocks: [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'x'.repeat(76) } }] }] }), /less than 76/],
      ['button url > 3000', modal({ blocks: [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open' }, url: `https://x.test/${'a'.repeat(3000)}` }] }] }), /url/],
      ['header > 150', modal({ blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] }), /less than 151/],
      ['view > 250 kB', modal({ blocks: Array.from({ length: 100 }, () => ({ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(2900) } })) }), /bytes/],
      ['initial_option not in options', modal({ blocks: [{ type: 'input', label: { type: 'plain_text', text: 'Type' }, element: { type: 'static_select', options: [{ text: { type: 'plain_text', text: 'Bill' }, value: 'bill' }], initial_option: { text: { type: 'plain_text', text: 'Expense' }, value: 'expense' } } }] }), /initial_option/],
      ['number_input without is_decimal_allowed', modal({ blocks: [{ type: 'input', label: { type: 'plain_text', text: 'Amount' }, element: { type: 'number_input' } }] }), /is_decimal_allowed/],
      ['unknown block property', modal({ blocks: [{ type: 'divider', colour: 'red' }] }), /unsupported property 'colour'/],
    ];
    for (const [name, view, re] of cases) {
      const trigger = fake.issueTriggerId(TEAM, ADMIN);
      const e = await slackError(web.views.open({ trigger_id: trigger, view }));
      expect(e.error, name).toBe('invalid_arguments');
      expect(e.messages.join('\n'), name).toMatch(re);
      // a rejected view does not use up the trigger
      await web.views.open({ trigger_id: trigger, view: modal() as any });
    }
  });

  it('trigger_id: invalid, reused (exchanged), expired, other team', async () => {
    expect((await slackError(web.views.open({ trigger_id: '123.456.abc', view: modal() as any }))).error).toBe('invalid_trigger_id');
    const t = fake.issueTriggerId(TEAM, ADMIN);
    const opened = await web.views.open({ trigger_id: t, view: modal() as any });
    expect(opened.view).toMatchObject({ id: expect.stringMatching(/^V/), team_id: TEAM, callback_id: 'cb', state: { values: {} }, previous_view_id: null });
    expect(opened.view!.root_view_id).toBe(opened.view!.id);
    expect(fake.openModalStack(TEAM, ADMIN).map((v) => v.id)).toEqual([opened.view!.id]);
    expect((await slackError(web.views.open({ trigger_id: t, view: modal() as any }))).error).toBe('exchanged_trigger_id');
    fake.setTriggerTtlMs(30);
    const t2 = fake.issueTriggerId(TEAM, ADMIN);
    await new Promise((r) => setTimeout(r, 60));
    expect((await slackError(web.views.open({ trigger_id: t2, view: modal() as any }))).error).toBe('expired_trigger_id');
    const t3 = fake.issueTriggerId(TEAM, ADMIN);
    expect((await slackError(webB.views.open({ trigger_id: t3, view: modal() as any }))).error).toBe('invalid_trigger_id');
  });

  it('views.push stacks at most 3; views.update hash_conflict and external_id; publish home', async () => {
    const root: any = (await web.views.open({ trigger_id: fake.issueTriggerId(TEAM, CREW), view: modal({ external_id: 'inv-1' }) as any })).view!;
    const fromModal = () => (fake as any).issueTrigger(TEAM, CREW, root.id) as string;
    const p1 = (await web.views.push({ trigger_id: fromModal(), view: modal({ callback_id: 'p1' }) as any })).view!;
    expect(p1).toMatchObject({ previous_view_id: root.id, root_view_id: root.id });
    await web.views.push({ trigger_id: fromModal(), view: modal({ callback_id: 'p2' }) as any });
    expect((await slackError(web.views.push({ trigger_id: fromModal(), view: modal({ callback_id: 'p3' }) as any }))).error).toBe('push_limit_reached');
    expect(fake.openModalStack(TEAM, CREW).map((v) => v.callback_id)).toEqual(['cb', 'p1', 'p2']);

    const u1 = (await web.views.update({ view_id: root.id, hash: root.hash, view: modal({ callback_id: 'cb2', external_id: 'inv-1' }) as any })).view!;
    expect(u1.id).toBe(root.id);
    expect(u1.hash).not.toBe(root.hash);
    expect((await slackError(web.views.update({ view_id: root.id, hash: root.hash, view: modal() as any }))).error).toBe('hash_conflict');
    const u2 = (await web.views.update({ external_id: 'inv-1', view: modal({ callback_id: 'cb3', external_id: 'inv-1' }) as any })).view!;
    expect(u2.callback_id).toBe('cb3');
    expect(fake.views.get(root.id)?.callback_id).toBe('cb3');
    expect((await slackError(web.views.update({ view_id: 'V0NOPE', view: modal() as any }))).error).toBe('not_found');
    expect((await slackError(webB.views.update({ view_id: root.id, view: modal() as any }))).error).toBe('not_found');

    const home = (await web.views.publish({ user_id: CREW, view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*QuickBooks*: connected' } }] } })).view!;
    expect(fake.homeView(TEAM, CREW)?.id).toBe(home.id);
    expect((await slackError(web.views.publish({ user_id: CREW, view: modal() as any }))).error).toBe('invalid_arguments');
    expect((await slackError(web.views.publish({ user_id: CREW, hash: 'stale', view: { type: 'home', blocks: [] } }))).error).toBe('hash_conflict');
  });

  it('files.info and the download route: bytes with the bot token, sign-in page without; other team cannot see', async () => {
    const pdf = Buffer.from('%PDF-1.7\n%fake invoice\n');
    const f = fake.addFile(TEAM, { name: 'Invoice 1042.pdf', mimetype: 'application/pdf', bytes: pdf, user: CREW, channel: CHANNEL });
    expect(f).toMatchObject({ id: expect.stringMatching(/^F/), size: pdf.length, filetype: 'pdf', channels: [CHANNEL] });
    expect(new URL(f.url_private_download).host).toBe(fake.fileHost);
    const info = await web.files.info({ file: f.id });
    expect(info.file).toMatchObject({ id: f.id, name: 'Invoice 1042.pdf', mimetype: 'application/pdf', url_private_download: f.url_private_download });
    expect((await slackError(webB.files.info({ file: f.id }))).error).toBe('file_not_found');

    const good = await fetch(f.url_private_download, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(good.status).toBe(200);
    expect(good.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await good.arrayBuffer()).equals(pdf)).toBe(true);
    for (const headers of [{}, { authorization: `Bearer ${TOKEN_B}` }, { authorization: 'Bearer xoxb-wrong' }] as Array<Record<string, string>>) {
      const r = await fetch(f.url_private_download, { headers });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await r.text()).toMatch(/Sign in/);
    }
  });

  it('failNext: ok:false once, and 429 with Retry-After surfaces as a rate-limit error', async () => {
    fake.failNext('chat.postMessage', 'ratelimited', { status: 429, retryAfter: 7 });
    const rl = new WebClient(TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: quiet });
    await expect(rl.chat.postMessage({ channel: CHANNEL, text: 'x' })).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 7 });
    fake.failNext('views.publish', 'internal_error');
    expect((await slackError(web.views.publish({ user_id: CREW, view: { type: 'home', blocks: [] } }))).error).toBe('internal_error');
    await web.views.publish({ user_id: CREW, view: { type: 'home', blocks: [] } });
  });

  it('oauth.v2.access exchanges a single-use code', async () => {
    const code = fake.issueOAuthCode(TEAM_B);
    const noToken = new WebClient(undefined, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quiet });
    const r = await noToken.oauth.v2.access({ client_id: '123.456', client_secret: 's', code });
    expect(r).toMatchObject({ ok: true, access_token: TOKEN_B, token_type: 'bot', team: { id: TEAM_B, name: 'Other Co' }, authed_user: { id: 'U0OTHER01' }, is_enterprise_install: false });
    expect(r.scope).toContain('files:read');
    expect((await slackError(noToken.oauth.v2.access({ client_id: '123.456', client_secret: 's', code }))).error).toBe('code_already_used');
    expect((await slackError(noToken.oauth.v2.access({ client_id: '123.456', client_secret: 's', code: 'nope' }))).error).toBe('invalid_code');
  });
});

describe('driver against a real Bolt app', () => {
  const SECRET = 'test-signing-secret';
  let app: App;
  let appUrl: string;
  const seen: any[] = [];
  let lastSubmission: any;

  beforeAll(async () => {
    app = new App({
      signingSecret: SECRET, token: TOKEN, processBeforeResponse: true, logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/qbo', async ({ ack, command, client }) => {
      seen.push({ kind: 'command', command });
      if (command.text === 'help') { await ack({ response_type: 'ephemeral', text: 'Usage: /qbo settings' }); return; }
      await ack();
      await client.views.open({
        trigger_id: command.trigger_id,
        view: {
          type: 'modal', callback_id: 'review', title: { type: 'plain_text', text: 'Review invoice' }, submit: { type: 'plain_text', text: 'Sync' },
          private_metadata: JSON.stringify({ invoice: 42 }),
          blocks: [
            { type: 'input', block_id: 'type', label: { type: 'plain_text', text: 'Type' }, element: { type: 'radio_buttons', action_id: 'v', initial_option: { text: { type: 'plain_text', text: 'Bill' }, value: 'bill' }, options: [{ text: { type: 'plain_text', text: 'Bill' }, value: 'bill' }, { text: { type: 'plain_text', text: 'Expense' }, value: 'expense' }] } },
            { type: 'input', block_id: 'project', label: { type: 'plain_text', text: 'Project' }, element: { type: 'external_select', action_id: 'v', min_query_length: 0 } },
            { type: 'input', block_id: 'amount', label: { type: 'plain_text', text: 'Amount' }, element: { type: 'number_input', action_id: 'v', is_decimal_allowed: true, initial_value: '100.00' } },
            { type: 'input', block_id: 'date', label: { type: 'plain_text', text: 'Invoice date' }, element: { type: 'datepicker', action_id: 'v' } },
            { type: 'input', block_id: 'memo', optional: true, label: { type: 'plain_text', text: 'Memo' }, element: { type: 'plain_text_input', action_id: 'v' } },
            { type: 'actions', block_id: 'act', elements: [{ type: 'button', action_id: 'link_profiles', text: { type: 'plain_text', text: 'Link projects' }, value: 'x' }] },
          ],
        },
      });
    });
    app.options({ action_id: 'v', block_id: 'project' }, async ({ ack, payload }) => {
      seen.push({ kind: 'options', value: payload.value });
      await ack({ option_groups: [
        { label: { type: 'plain_text', text: 'Active' }, options: [{ text: { type: 'plain_text', text: 'Main Street' }, value: 'qbo:12' }] },
        { label: { type: 'plain_text', text: 'Other' }, options: [{ text: { type: 'plain_text', text: `Match ${payload.value}` }, value: 'qbo:13' }] },
      ] } as any);
    });
    app.action('link_profiles', async ({ ack, body, client }) => {
      await ack();
      seen.push({ kind: 'action', body });
      await client.views.push({ trigger_id: (body as any).trigger_id, view: { type: 'modal', callback_id: 'link', title: { type: 'plain_text', text: 'Link' }, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Profiles' } }] } });
    });
    app.view('review', async ({ ack, view }) => {
      lastSubmission = view;
      const amount = Number(view.state.values.amount.v.value);
      if (!(amount > 0)) { await ack({ response_action: 'errors', errors: { amount: 'Enter an amount above 0' } }); return; }
      await ack({ response_action: 'update', view: { type: 'modal', callback_id: 'done', title: { type: 'plain_text', text: 'Synced' }, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `Bill for ${amount}` } }] } });
    });
    app.event('app_mention', async ({ event }) => { seen.push({ kind: 'event', event }); });
    app.command('/status', async ({ ack, respond, say }) => {
      await ack();
      await say({ text: 'Invoice 7 ready', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Invoice 7 ready' }, accessory: { type: 'button', action_id: 'retry', text: { type: 'plain_text', text: 'Retry' }, value: 'inv-7' } }] });
      await respond({ text: 'Working on it' });
    });
    app.action('retry', async ({ ack, respond, body }) => {
      await ack();
      seen.push({ kind: 'retry', body });
      await respond({ replace_original: true, text: 'Retried invoice 7' });
    });
    app.command('/upload', async ({ ack, command, client }) => {
      await ack();
      await client.views.open({ trigger_id: command.trigger_id, view: {
        type: 'modal', callback_id: 'upload', notify_on_close: true, title: { type: 'plain_text', text: 'Upload invoice' }, submit: { type: 'plain_text', text: 'Upload' },
        blocks: [
          { type: 'input', block_id: 'file', label: { type: 'plain_text', text: 'Invoice file' }, element: { type: 'file_input', action_id: 'f', filetypes: ['pdf'], max_files: 1 } },
          { type: 'input', block_id: 'acct', dispatch_action: true, label: { type: 'plain_text', text: 'Purchase account' }, element: { type: 'static_select', action_id: 'a', options: [{ text: { type: 'plain_text', text: 'Checking' }, value: '35' }, { text: { type: 'plain_text', text: 'Visa' }, value: '41' }] } },
          { type: 'input', block_id: 'kind', label: { type: 'plain_text', text: 'Type' }, element: { type: 'static_select', action_id: 'k', options: [{ text: { type: 'plain_text', text: 'Bill' }, value: 'bill' }, { text: { type: 'plain_text', text: 'Expense' }, value: 'expense' }] } },
        ],
      } });
    });
    app.action('a', async ({ ack, body }) => { await ack(); seen.push({ kind: 'acct', body }); });
    app.view('upload', async ({ ack, view }) => {
      lastSubmission = view;
      await ack({ response_action: 'errors', errors: { no_such_block: 'oops' } });
    });
    app.view({ callback_id: 'upload', type: 'view_closed' }, async ({ ack, body }) => { await ack(); seen.push({ kind: 'closed', body }); });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => { await app.stop(); });

  it('a signed slash command reaches the handler; its trigger_id opens the modal', async () => {
    const driver = createSlackDriver({ appUrl, signingSecret: SECRET, fake });
    const r = await driver.command({ teamId: TEAM, userId: CREW, command: '/qbo', text: 'upload', channelId: CHANNEL });
    expect(r.status).toBe(200);
    const cmd = seen.filter((s) => s.kind === 'command').at(-1).command;
    expect(cmd).toMatchObject({ command: '/qbo', text: 'upload', user_id: CREW, team_id: TEAM, channel_id: CHANNEL, trigger_id: r.triggerId });
    expect(cmd.response_url).toContain(fake.url);
    const stack = fake.openModalStack(TEAM, CREW);
    expect(stack.at(-1)?.callback_id).toBe('review');

    const help = await driver.command({ teamId: TEAM, userId: CREW, command: '/qbo', text: 'help', channelId: CHANNEL });
    expect(help.body).toMatchObject({ text: 'Usage: /qbo settings' });
    expect(fake.messages(CHANNEL).at(-1)).toMatchObject({ text: 'Usage: /qbo settings', ephemeral: true, user: CREW, via: 'command.ack' });
  });

  it('bad signature and stale timestamp get 401; charset suffix gets 400', async () => {
    const driver = createSlackDriver({ appUrl, signingSecret: SECRET, fake });
    const body = new URLSearchParams({ command: '/qbo', text: 'help', team_id: TEAM, user_id: CREW, channel_id: CHANNEL, trigger_id: 'x' }).toString();
    const bad = createSlackDriver({ appUrl, signingSecret: 'wrong-secret', fake });
    expect((await bad.signedPost('/slack/events', body, 'application/x-www-form-urlencoded')).status).toBe(401);
    const old = String(Math.floor(Date.now() / 1000) - 5 * 60 - 10);
    expect((await driver.signedPost('/slack/events', body, 'application/x-www-form-urlencoded', { 'X-Slack-Request-Timestamp': old })).status).toBe(401);
    expect((await driver.signedPost('/slack/events', body, 'application/x-www-form-urlencoded', { 'X-Slack-Signature': 'v0=deadbeef' })).status).toBe(401);
    const charset = await driver.signedPost('/slack/events', body, 'application/x-www-form-urlencoded; charset=utf-8');
    expect(charset.status).toBeGreaterThanOrEqual(400);
  });

  it('events: signed JSON with authorizations and retry headers', async () => {
    const driver = createSlackDriver({ appUrl, signingSecret: SECRET, fake });
    const r = await driver.event({ teamId: TEAM, event: { type: 'app_mention', user: CREW, text: '<@U0BOT0001> hi', channel: CHANNEL, ts: '1.000001' }, retryNum: 1, retryReason: 'http_timeout' });
    expect(r.status).toBe(200);
    expect(seen.filter((s) => s.kind === 'event').at(-1).event).toMatchObject({ type: 'app_mention', text: '<@U0BOT0001> hi' });
    const v = await driver.urlVerification('abc');
    expect(v.body).toEqual({ challenge: 'abc' });
  });

  it('suggest returns options (groups flattened); click pushes; submitView state values parse in Bolt; errors and update apply', async () => {
    const driver = createSlackDriver({ appUrl, signingSecret: SECRET, fake });
    await driver.command({ teamId: TEAM, userId: ADMIN, command: '/qbo', text: 'upload', channelId: CHANNEL });
    let view = fake.openModalStack(TEAM, ADMIN).at(-1) as SlackView;
    const s = await driver.suggest({ teamId: TEAM, userId: ADMIN, view, label: 'Project', query: 'main' });
    expect(s.status).toBe(200);
    expect(s.options).toEqual([{ text: 'Main Street', value: 'qbo:12' }, { text: 'Match main', value: 'qbo:13' }]);

    await driver.clickButton({ teamId: TEAM, userId: ADMIN, where: view, text: 'Link projects' });
    const action = seen.filter((x) => x.kind === 'action').at(-1).body;
    expect(action).toMatchObject({ type: 'block_actions', container: { type: 'view', view_id: view.id }, user: { id: ADMIN }, team: { id: TEAM, domain: 'acme' } });
    expect(action.view.state.values.amount.v).toEqual({ type: 'number_input', value: '100.00' });
    expect(fake.openModalStack(TEAM, ADMIN).map((v) => v.callback_id)).toEqual(['review', 'link']);
    await driver.closeView({ teamId: TEAM, userId: ADMIN, view: fake.openModalStack(TEAM, ADMIN).at(-1)! });
    view = fake.openModalStack(TEAM, ADMIN).at(-1)!;

    await expect(driver.submitView({ teamId: TEAM, userId: ADMIN, view, values: { Project: { value: 'qbo:12', text: 'Main Street' } } })).rejects.toThrow(/required.*Invoice date/);
    await expect(driver.submitView({ teamId: TEAM, userId: ADMIN, view, values: { Vendor: 'x' } })).rejects.toThrow(/Labels present: 'Type', 'Project', 'Amount'/);

    const bad = await driver.submitView({ teamId: TEAM, userId: ADMIN, view, values: { Project: { value: 'qbo:12', text: 'Main Street' }, Amount: '0', 'Invoice date': '2024-05-01' } });
    expect(bad.errors).toEqual({ amount: 'Enter an amount above 0' });
    expect(fake.openModalStack(TEAM, ADMIN).at(-1)?.callback_id).toBe('review');

    const ok = await driver.submitView({ teamId: TEAM, userId: ADMIN, view, values: { Type: 'Expense', Amount: '1250.50' } });
    expect(ok.status).toBe(200);
    expect(lastSubmission.private_metadata).toBe('{"invoice":42}');
    expect(lastSubmission.state.values).toEqual({
      type: { v: { type: 'radio_buttons', selected_option: { text: { type: 'plain_text', text: 'Expense' }, value: 'expense' } } },
      project: { v: { type: 'external_select', selected_option: { text: { type: 'plain_text', text: 'Main Street', emoji: true }, value: 'qbo:12' } } },
      amount: { v: { type: 'number_input', value: '1250.50' } },
      date: { v: { type: 'datepicker', selected_date: '2024-05-01' } },
      memo: { v: { type: 'plain_text_input', value: null } },
    });
    expect(fake.openModalStack(TEAM, ADMIN).at(-1)?.callback_id).toBe('done');
    expect(fake.rejected().filter((c) => ['views.open', 'views.push', 'views.update', 'view_submission', 'block_suggestion'].includes(c.method) && c.teamId === TEAM && (c.args.callback_id === 'review' || c.method === 'view_submission'))).toEqual([]);
  });

  it('shareFile delivers file_shared and message(file_share) and records the message', async () => {
    const driver = createSlackDriver({ appUrl, signingSecret: SECRET, fake });
    const f = fake.addFile(TEAM, { name: 'inv.pdf', mimetype: 'application/pdf', bytes: Buffer.from('%PDF-1.4'), user: CREW });
    const r = await driver.shareFile({ teamId: TEAM, userId: CREW, channelId: CHANNEL, file: f });
    expect(r.fileShared.status).toBe(200);
    expect(r.messageEvent.status).toBe(200);
    expect(fake.messages(CHANNEL).find((m) => m.ts === r.message.ts)).toMatchObject({ author: CREW, subtype: 'file_share' });
    expect((await web.files.info({ file: f.id })).file?.shares?.public?.[CHANNEL]?.[0]?.ts).toBe(r.message.ts);
  });

  it('say + respond via response_url; clicking a message button sends block_actions whose respond replaces the message', async () => {
    const driver = createSlackDriver({ appUrl, signingSecret: SECRET, fake });
    await driver.command({ teamId: TEAM, userId: CREW, command: '/status', channelId: CHANNEL });
    const eph = fake.messages(CHANNEL).filter((m) => m.via === 'response_url').at(-1);
    expect(eph).toMatchObject({ text: 'Working on it', ephemeral: true, user: CREW });
    const posted = fake.messages(CHANNEL).filter((m) => m.via === 'chat.postMessage').at(-1)!;
    expect(posted.text).toBe('Invoice 7 ready');
    await driver.clickButton({ teamId: TEAM, userId: CREW, where: posted, text: 'Retry' });
    const body = seen.filter((x) => x.kind === 'retry').at(-1).body;
    expect(body).toMatchObject({ type: 'block_actions', container: { type: 'message', message_ts: posted.ts, channel_id: CHANNEL }, channel: { id: CHANNEL }, message: { ts: posted.ts, text: 'Invoice 7 ready' }, actions: [{ action_id: 'retry', value: 'inv-7', type: 'button' }] });
    expect(fake.messages(CHANNEL).find((m) => m.ts === posted.ts)?.text).toBe('Retried invoice 7');
    await expect(driver.clickButton({ teamId: TEAM, userId: CREW, where: posted, text: 'Nope' })).rejects.toThrow(/Buttons: \(no buttons\)/); // replaced by text only
  });

  it('file_input submission, dispatch vs non-dispatch selects, response_action errors on a non-input block is rejected, view_closed', async () => {
    const driver = createSlackDriver({ appUrl, signingSecret: SECRET, fake });
    await driver.command({ teamId: TEAM, userId: CREW, command: '/upload', channelId: CHANNEL });
    const view = fake.openModalStack(TEAM, CREW).at(-1)!;
    expect(view.callback_id).toBe('upload');
    const sel = await driver.selectOption({ teamId: TEAM, userId: CREW, view, label: 'Purchase account', value: 'Visa' });
    expect(sel.sent).toBe(true);
    expect(seen.filter((x) => x.kind === 'acct').at(-1).body.actions[0]).toMatchObject({ type: 'static_select', action_id: 'a', block_id: 'acct', selected_option: { value: '41' } });
    const quiet = await driver.selectOption({ teamId: TEAM, userId: CREW, view, label: 'Type', value: 'expense' });
    expect(quiet).toMatchObject({ sent: false, status: 0 });

    const pdf = fake.addFile(TEAM, { name: 'a.pdf', mimetype: 'application/pdf', bytes: Buffer.from('%PDF-1.4'), user: CREW });
    const png = fake.addFile(TEAM, { name: 'a.png', mimetype: 'image/png', bytes: Buffer.from('png'), user: CREW });
    await expect(driver.submitView({ teamId: TEAM, userId: CREW, view, values: { 'Invoice file': { files: [png] } } })).rejects.toThrow(/filetypes pdf/);
    const r = await driver.submitView({ teamId: TEAM, userId: CREW, view, values: { 'Invoice file': { files: [pdf] } } });
    expect(r.status).toBe(200);
    expect(lastSubmission.state.values.file.f.files[0]).toMatchObject({ id: pdf.id, url_private_download: pdf.url_private_download });
    expect(lastSubmission.state.values.acct.a.selected_option.value).toBe('41');
    expect(lastSubmission.state.values.kind.k.selected_option.value).toBe('expense');
    expect(fake.rejected().at(-1)).toMatchObject({ method: 'view_submission', error: 'invalid_arguments' });
    expect(fake.rejected().at(-1)?.messages?.[0]).toMatch(/no_such_block/);

    const closed = await driver.closeView({ teamId: TEAM, userId: CREW, view });
    expect(closed?.status).toBe(200);
    expect(seen.filter((x) => x.kind === 'closed').at(-1).body).toMatchObject({ type: 'view_closed', view: { id: view.id } });
    expect(fake.openModalStack(TEAM, CREW)).toEqual([]);
  });

  it('OAuth consent stand-in redirects with code and state; the code exchanges once for the redirect_uri it was issued for', async () => {
    const redirect = 'http://127.0.0.1:9/slack/oauth_redirect';
    const r = await fetch(`${fake.oauthAuthorizeUrl}?client_id=1.2&scope=commands,chat:write,files:read&state=st8&redirect_uri=${encodeURIComponent(redirect)}&team=${TEAM_B}`, { redirect: 'manual' });
    expect(r.status).toBe(302);
    const loc = new URL(r.headers.get('location')!);
    expect(loc.searchParams.get('state')).toBe('st8');
    const noToken = new WebClient(undefined, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quiet });
    expect((await slackError(noToken.oauth.v2.access({ client_id: '1.2', client_secret: 's', code: loc.searchParams.get('code')!, redirect_uri: 'http://elsewhere/' }))).error).toBe('bad_redirect_uri');
    const ok = await noToken.oauth.v2.access({ client_id: '1.2', client_secret: 's', code: loc.searchParams.get('code')!, redirect_uri: redirect });
    expect(ok).toMatchObject({ team: { id: TEAM_B }, scope: 'commands,chat:write,files:read', access_token: TOKEN_B });
    // now team B granted only those scopes
    expect((await slackError(webB.users.info({ user: 'U0OTHER01' }))).error).toBe('missing_scope');
  });
});
