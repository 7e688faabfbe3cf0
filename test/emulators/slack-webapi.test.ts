// The Slack fake: Web API methods through the real WebClient (errors, scopes, pagination, views, files).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebClient } from '@slack/web-api';
import { DEFAULT_BOT_SCOPES, type SlackFake } from '../../emulators/slack/index.ts';
import { TEAM, TEAM_B, ADMIN, CREW, CHANNEL, TOKEN, TOKEN_B, quiet, modal, slackError, startFakeWorld } from './slack-world.ts';

let fake: SlackFake;
let web: WebClient;
let webB: WebClient;
beforeAll(async () => {
  ({ fake, web, webB } = await startFakeWorld());
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.setTriggerTtlMs(3000);
});

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
    expect(await slackError(web.team.info())).toMatchObject({
      error: 'missing_scope',
      data: { needed: 'team:read', provided: DEFAULT_BOT_SCOPES.join(',') },
    });
    expect((await webB.team.info()).team).toMatchObject({ id: TEAM_B, name: 'Other Co', domain: 'other-co' });
    expect((await slackError(webB.users.info({ user: ADMIN }))).error).toBe('user_not_found');
    const bad = new WebClient('xoxb-nope', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quiet });
    expect((await slackError(bad.auth.test())).error).toBe('invalid_auth');
    expect(fake.rejected().at(-1)).toMatchObject({
      method: 'auth.test',
      ok: false,
      error: 'invalid_auth',
      teamId: null,
    });
  });

  it('accepts JSON bodies with a bearer token, and refuses a token inside a JSON body', async () => {
    const ok = await fetch(`${fake.apiUrl}auth.test`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${TOKEN}` },
      body: '{}',
    });
    expect(await ok.json()).toMatchObject({ ok: true, team_id: TEAM });
    const no = await fetch(`${fake.apiUrl}auth.test`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: TOKEN }),
    });
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
    const posted = await web.chat.postMessage({
      channel: d,
      text: 'Bill 1042 synced',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Bill 1042* synced' } }],
    });
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
    const e2 = await slackError(
      web.chat.postMessage({
        channel: CHANNEL,
        text: 'x',
        blocks: [{ type: 'actions', elements: [{ type: 'button', text: { type: 'mrkdwn', text: '*Go*' }, action_id: 'go' }] }] as any,
      }),
    );
    expect(e2.messages.join()).toMatch(/plain_text.*json-pointer:\/blocks\/0\/elements\/0\/text\/type/);
    const e3 = await slackError(
      web.chat.postMessage({
        channel: CHANNEL,
        text: 'x',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'a'.repeat(3001) } }],
      }),
    );
    expect(e3.messages.join()).toMatch(/less than 3001/);

    const m = await web.chat.postMessage({
      channel: CHANNEL,
      text: 'Invoice received',
      thread_ts: '1700000000.000100',
    });
    expect(m.message).toMatchObject({
      text: 'Invoice received',
      thread_ts: '1700000000.000100',
      bot_id: expect.stringMatching(/^B/),
    });
    await web.chat.update({ channel: CHANNEL, ts: m.ts!, text: 'Invoice synced' });
    expect(fake.messages(CHANNEL).find((x) => x.ts === m.ts)?.text).toBe('Invoice synced');
    expect((await slackError(web.chat.update({ channel: CHANNEL, ts: '1.2', text: 'x' }))).error).toBe('message_not_found');
    const eph = await web.chat.postEphemeral({
      channel: CHANNEL,
      user: CREW,
      text: 'Only admins can change settings.',
    });
    expect(fake.messages(CHANNEL).find((x) => x.ts === eph.message_ts)).toMatchObject({ ephemeral: true, user: CREW });
    await web.chat.delete({ channel: CHANNEL, ts: m.ts! });
    expect(fake.messages(CHANNEL).find((x) => x.ts === m.ts)).toBeUndefined();
  });

  it('trigger_id: invalid, reused (exchanged), expired, other team', async () => {
    expect((await slackError(web.views.open({ trigger_id: '123.456.abc', view: modal() as any }))).error).toBe('invalid_trigger_id');
    const t = fake.issueTriggerId(TEAM, ADMIN);
    const opened = await web.views.open({ trigger_id: t, view: modal() as any });
    expect(opened.view).toMatchObject({
      id: expect.stringMatching(/^V/),
      team_id: TEAM,
      callback_id: 'cb',
      state: { values: {} },
      previous_view_id: null,
    });
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
    const root: any = (
      await web.views.open({
        trigger_id: fake.issueTriggerId(TEAM, CREW),
        view: modal({ external_id: 'inv-1' }) as any,
      })
    ).view!;
    const fromModal = () => (fake as any).issueTrigger(TEAM, CREW, root.id) as string;
    const p1 = (await web.views.push({ trigger_id: fromModal(), view: modal({ callback_id: 'p1' }) as any })).view!;
    expect(p1).toMatchObject({ previous_view_id: root.id, root_view_id: root.id });
    await web.views.push({ trigger_id: fromModal(), view: modal({ callback_id: 'p2' }) as any });
    expect((await slackError(web.views.push({ trigger_id: fromModal(), view: modal({ callback_id: 'p3' }) as any }))).error).toBe(
      'push_limit_reached',
    );
    expect(fake.openModalStack(TEAM, CREW).map((v) => v.callback_id)).toEqual(['cb', 'p1', 'p2']);

    const u1 = (
      await web.views.update({
        view_id: root.id,
        hash: root.hash,
        view: modal({ callback_id: 'cb2', external_id: 'inv-1' }) as any,
      })
    ).view!;
    expect(u1.id).toBe(root.id);
    expect(u1.hash).not.toBe(root.hash);
    expect((await slackError(web.views.update({ view_id: root.id, hash: root.hash, view: modal() as any }))).error).toBe('hash_conflict');
    const u2 = (await web.views.update({ external_id: 'inv-1', view: modal({ callback_id: 'cb3', external_id: 'inv-1' }) as any })).view!;
    expect(u2.callback_id).toBe('cb3');
    expect(fake.views.get(root.id)?.callback_id).toBe('cb3');
    expect((await slackError(web.views.update({ view_id: 'V0NOPE', view: modal() as any }))).error).toBe('not_found');
    expect((await slackError(webB.views.update({ view_id: root.id, view: modal() as any }))).error).toBe('not_found');

    const home = (
      await web.views.publish({
        user_id: CREW,
        view: {
          type: 'home',
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*QuickBooks*: connected' } }],
        },
      })
    ).view!;
    expect(fake.homeView(TEAM, CREW)?.id).toBe(home.id);
    expect((await slackError(web.views.publish({ user_id: CREW, view: modal() as any }))).error).toBe('invalid_arguments');
    expect((await slackError(web.views.publish({ user_id: CREW, hash: 'stale', view: { type: 'home', blocks: [] } }))).error).toBe('hash_conflict');
  });

  it('files.info and the download route: bytes with the bot token, sign-in page without; other team cannot see', async () => {
    const pdf = Buffer.from('%PDF-1.7\n%fake invoice\n');
    const f = fake.addFile(TEAM, {
      name: 'Invoice 1042.pdf',
      mimetype: 'application/pdf',
      bytes: pdf,
      user: CREW,
      channel: CHANNEL,
    });
    expect(f).toMatchObject({
      id: expect.stringMatching(/^F/),
      size: pdf.length,
      filetype: 'pdf',
      channels: [CHANNEL],
    });
    expect(new URL(f.url_private_download).host).toBe(fake.fileHost);
    const info = await web.files.info({ file: f.id });
    expect(info.file).toMatchObject({
      id: f.id,
      name: 'Invoice 1042.pdf',
      mimetype: 'application/pdf',
      url_private_download: f.url_private_download,
    });
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
    const rl = new WebClient(TOKEN, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logger: quiet,
    });
    await expect(rl.chat.postMessage({ channel: CHANNEL, text: 'x' })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 7,
    });
    fake.failNext('views.publish', 'internal_error');
    expect((await slackError(web.views.publish({ user_id: CREW, view: { type: 'home', blocks: [] } }))).error).toBe('internal_error');
    await web.views.publish({ user_id: CREW, view: { type: 'home', blocks: [] } });
  });

  it('oauth.v2.access exchanges a single-use code', async () => {
    const code = fake.issueOAuthCode(TEAM_B);
    const noToken = new WebClient(undefined, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quiet });
    const r = await noToken.oauth.v2.access({ client_id: '123.456', client_secret: 's', code });
    expect(r).toMatchObject({
      ok: true,
      access_token: TOKEN_B,
      token_type: 'bot',
      team: { id: TEAM_B, name: 'Other Co' },
      authed_user: { id: 'U0OTHER01' },
      is_enterprise_install: false,
    });
    expect(r.scope).toContain('files:read');
    expect((await slackError(noToken.oauth.v2.access({ client_id: '123.456', client_secret: 's', code }))).error).toBe('code_already_used');
    expect((await slackError(noToken.oauth.v2.access({ client_id: '123.456', client_secret: 's', code: 'nope' }))).error).toBe('invalid_code');
  });
});
