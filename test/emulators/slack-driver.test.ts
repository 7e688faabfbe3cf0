// The Slack fake: the signed driver against a real Bolt app (commands, actions, submissions, suggestions).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { WebClient } from '@slack/web-api';
import { App, LogLevel } from '@slack/bolt';
import { createSlackDriver, type SlackView, type SlackFake } from '../../emulators/slack/index.ts';
import { registerHandlers } from './bolt-app.ts';
import { TEAM, TEAM_B, ADMIN, CREW, CHANNEL, TOKEN, TOKEN_B, modal, quiet, slackError, startFakeWorld } from './slack-world.ts';

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

describe('driver against a real Bolt app', () => {
  const SECRET = 'test-signing-secret';
  let app: App;
  let appUrl: string;
  const seen: any[] = [];
  let lastSubmission: any;

  beforeAll(async () => {
    app = new App({
      signingSecret: SECRET,
      token: TOKEN,
      processBeforeResponse: true,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    registerHandlers(app, seen, (view) => {
      lastSubmission = view;
    });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.stop();
  });

  it('a signed slash command reaches the handler; its trigger_id opens the modal', async () => {
    const driver = createSlackDriver({ appUrl, signingSecret: SECRET, fake });
    const r = await driver.command({ teamId: TEAM, userId: CREW, command: '/qbo', text: 'upload', channelId: CHANNEL });
    expect(r.status).toBe(200);
    const cmd = seen.filter((s) => s.kind === 'command').at(-1).command;
    expect(cmd).toMatchObject({
      command: '/qbo',
      text: 'upload',
      user_id: CREW,
      team_id: TEAM,
      channel_id: CHANNEL,
      trigger_id: r.triggerId,
    });
    expect(cmd.response_url).toContain(fake.url);
    const stack = fake.openModalStack(TEAM, CREW);
    expect(stack.at(-1)?.callback_id).toBe('review');

    const help = await driver.command({
      teamId: TEAM,
      userId: CREW,
      command: '/qbo',
      text: 'help',
      channelId: CHANNEL,
    });
    expect(help.body).toMatchObject({ text: 'Usage: /qbo settings' });
    expect(fake.messages(CHANNEL).at(-1)).toMatchObject({
      text: 'Usage: /qbo settings',
      ephemeral: true,
      user: CREW,
      via: 'command.ack',
    });
  });

  it('bad signature and stale timestamp get 401; charset suffix gets 400', async () => {
    const driver = createSlackDriver({ appUrl, signingSecret: SECRET, fake });
    const body = new URLSearchParams({
      command: '/qbo',
      text: 'help',
      team_id: TEAM,
      user_id: CREW,
      channel_id: CHANNEL,
      trigger_id: 'x',
    }).toString();
    const bad = createSlackDriver({ appUrl, signingSecret: 'wrong-secret', fake });
    expect((await bad.signedPost('/slack/events', body, 'application/x-www-form-urlencoded')).status).toBe(401);
    const old = String(Math.floor(Date.now() / 1000) - 5 * 60 - 10);
    expect(
      (
        await driver.signedPost('/slack/events', body, 'application/x-www-form-urlencoded', {
          'X-Slack-Request-Timestamp': old,
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await driver.signedPost('/slack/events', body, 'application/x-www-form-urlencoded', {
          'X-Slack-Signature': 'v0=deadbeef',
        })
      ).status,
    ).toBe(401);
    const charset = await driver.signedPost('/slack/events', body, 'application/x-www-form-urlencoded; charset=utf-8');
    expect(charset.status).toBeGreaterThanOrEqual(400);
  });

  it('events: signed JSON with authorizations and retry headers', async () => {
    const driver = createSlackDriver({ appUrl, signingSecret: SECRET, fake });
    const r = await driver.event({
      teamId: TEAM,
      event: { type: 'app_mention', user: CREW, text: '<@U0BOT0001> hi', channel: CHANNEL, ts: '1.000001' },
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    expect(r.status).toBe(200);
    expect(seen.filter((s) => s.kind === 'event').at(-1).event).toMatchObject({
      type: 'app_mention',
      text: '<@U0BOT0001> hi',
    });
    const v = await driver.urlVerification('abc');
    expect(v.body).toEqual({ challenge: 'abc' });
  });

  it('suggest returns options (groups flattened); click pushes; submitView state values parse in Bolt; errors and update apply', async () => {
    const driver = createSlackDriver({ appUrl, signingSecret: SECRET, fake });
    await driver.command({ teamId: TEAM, userId: ADMIN, command: '/qbo', text: 'upload', channelId: CHANNEL });
    let view = fake.openModalStack(TEAM, ADMIN).at(-1) as SlackView;
    const s = await driver.suggest({ teamId: TEAM, userId: ADMIN, view, label: 'Project', query: 'main' });
    expect(s.status).toBe(200);
    expect(s.options).toEqual([
      { text: 'Main Street', value: 'qbo:12' },
      { text: 'Match main', value: 'qbo:13' },
    ]);

    await driver.clickButton({ teamId: TEAM, userId: ADMIN, where: view, text: 'Link projects' });
    const action = seen.filter((x) => x.kind === 'action').at(-1).body;
    expect(action).toMatchObject({
      type: 'block_actions',
      container: { type: 'view', view_id: view.id },
      user: { id: ADMIN },
      team: { id: TEAM, domain: 'acme' },
    });
    expect(action.view.state.values.amount.v).toEqual({ type: 'number_input', value: '100.00' });
    expect(fake.openModalStack(TEAM, ADMIN).map((v) => v.callback_id)).toEqual(['review', 'link']);
    await driver.closeView({ teamId: TEAM, userId: ADMIN, view: fake.openModalStack(TEAM, ADMIN).at(-1)! });
    view = fake.openModalStack(TEAM, ADMIN).at(-1)!;

    await expect(
      driver.submitView({
        teamId: TEAM,
        userId: ADMIN,
        view,
        values: { Project: { value: 'qbo:12', text: 'Main Street' } },
      }),
    ).rejects.toThrow(/required.*Invoice date/);
    await expect(driver.submitView({ teamId: TEAM, userId: ADMIN, view, values: { Vendor: 'x' } })).rejects.toThrow(
      /Labels present: 'Type', 'Project', 'Amount'/,
    );

    const bad = await driver.submitView({
      teamId: TEAM,
      userId: ADMIN,
      view,
      values: { Project: { value: 'qbo:12', text: 'Main Street' }, Amount: '0', 'Invoice date': '2024-05-01' },
    });
    expect(bad.errors).toEqual({ amount: 'Enter an amount above 0' });
    expect(fake.openModalStack(TEAM, ADMIN).at(-1)?.callback_id).toBe('review');

    const ok = await driver.submitView({
      teamId: TEAM,
      userId: ADMIN,
      view,
      values: { Type: 'Expense', Amount: '1250.50' },
    });
    expect(ok.status).toBe(200);
    expect(lastSubmission.private_metadata).toBe('{"invoice":42}');
    expect(lastSubmission.state.values).toEqual({
      type: {
        v: {
          type: 'radio_buttons',
          selected_option: { text: { type: 'plain_text', text: 'Expense' }, value: 'expense' },
        },
      },
      project: {
        v: {
          type: 'external_select',
          selected_option: { text: { type: 'plain_text', text: 'Main Street', emoji: true }, value: 'qbo:12' },
        },
      },
      amount: { v: { type: 'number_input', value: '1250.50' } },
      date: { v: { type: 'datepicker', selected_date: '2024-05-01' } },
      memo: { v: { type: 'plain_text_input', value: null } },
    });
    expect(fake.openModalStack(TEAM, ADMIN).at(-1)?.callback_id).toBe('done');
    expect(
      fake
        .rejected()
        .filter(
          (c) =>
            ['views.open', 'views.push', 'views.update', 'view_submission', 'block_suggestion'].includes(c.method) &&
            c.teamId === TEAM &&
            (c.args.callback_id === 'review' || c.method === 'view_submission'),
        ),
    ).toEqual([]);

    // The ack's update gave the view a new hash that the app never sees: the submitted hash is stale now (so a late
    // views.update goes by view id alone), and once the person closes the modal, Slack answers not_found.
    const done = fake.openModalStack(TEAM, ADMIN).at(-1)!;
    expect(done.id).toBe(view.id);
    expect(done.hash).not.toBe(view.hash);
    expect((await slackError(web.views.update({ view_id: view.id, hash: view.hash, view: modal() as any }))).error).toBe('hash_conflict');
    await driver.closeView({ teamId: TEAM, userId: ADMIN, view: done });
    expect((await slackError(web.views.update({ view_id: view.id, view: modal() as any }))).error).toBe('not_found');
  });

  it('shareFile delivers file_shared and message(file_share) and records the message', async () => {
    const driver = createSlackDriver({ appUrl, signingSecret: SECRET, fake });
    const f = fake.addFile(TEAM, {
      name: 'inv.pdf',
      mimetype: 'application/pdf',
      bytes: Buffer.from('%PDF-1.4'),
      user: CREW,
    });
    const r = await driver.shareFile({ teamId: TEAM, userId: CREW, channelId: CHANNEL, file: f });
    expect(r.fileShared.status).toBe(200);
    expect(r.messageEvent.status).toBe(200);
    expect(fake.messages(CHANNEL).find((m) => m.ts === r.message.ts)).toMatchObject({
      author: CREW,
      subtype: 'file_share',
    });
    expect((await web.files.info({ file: f.id })).file?.shares?.public?.[CHANNEL]?.[0]?.ts).toBe(r.message.ts);
  });

  it('say + respond via response_url; clicking a message button sends block_actions whose respond replaces the message', async () => {
    const driver = createSlackDriver({ appUrl, signingSecret: SECRET, fake });
    await driver.command({ teamId: TEAM, userId: CREW, command: '/status', channelId: CHANNEL });
    const eph = fake
      .messages(CHANNEL)
      .filter((m) => m.via === 'response_url')
      .at(-1);
    expect(eph).toMatchObject({ text: 'Working on it', ephemeral: true, user: CREW });
    const posted = fake
      .messages(CHANNEL)
      .filter((m) => m.via === 'chat.postMessage')
      .at(-1)!;
    expect(posted.text).toBe('Invoice 7 ready');
    await driver.clickButton({ teamId: TEAM, userId: CREW, where: posted, text: 'Retry' });
    const body = seen.filter((x) => x.kind === 'retry').at(-1).body;
    expect(body).toMatchObject({
      type: 'block_actions',
      container: { type: 'message', message_ts: posted.ts, channel_id: CHANNEL },
      channel: { id: CHANNEL },
      message: { ts: posted.ts, text: 'Invoice 7 ready' },
      actions: [{ action_id: 'retry', value: 'inv-7', type: 'button' }],
    });
    expect(fake.messages(CHANNEL).find((m) => m.ts === posted.ts)?.text).toBe('Retried invoice 7');
    await expect(driver.clickButton({ teamId: TEAM, userId: CREW, where: posted, text: 'Nope' })).rejects.toThrow(/Buttons: \(no buttons\)/); // replaced by text only
  });

  it('file_input submission, dispatch vs non-dispatch selects, response_action errors on a non-input block is rejected, view_closed', async () => {
    const driver = createSlackDriver({ appUrl, signingSecret: SECRET, fake });
    await driver.command({ teamId: TEAM, userId: CREW, command: '/upload', channelId: CHANNEL });
    const view = fake.openModalStack(TEAM, CREW).at(-1)!;
    expect(view.callback_id).toBe('upload');
    const sel = await driver.selectOption({
      teamId: TEAM,
      userId: CREW,
      view,
      label: 'Purchase account',
      value: 'Visa',
    });
    expect(sel.sent).toBe(true);
    expect(seen.filter((x) => x.kind === 'acct').at(-1).body.actions[0]).toMatchObject({
      type: 'static_select',
      action_id: 'a',
      block_id: 'acct',
      selected_option: { value: '41' },
    });
    const quiet = await driver.selectOption({ teamId: TEAM, userId: CREW, view, label: 'Type', value: 'expense' });
    expect(quiet).toMatchObject({ sent: false, status: 0 });

    const pdf = fake.addFile(TEAM, {
      name: 'a.pdf',
      mimetype: 'application/pdf',
      bytes: Buffer.from('%PDF-1.4'),
      user: CREW,
    });
    const png = fake.addFile(TEAM, { name: 'a.png', mimetype: 'image/png', bytes: Buffer.from('png'), user: CREW });
    await expect(driver.submitView({ teamId: TEAM, userId: CREW, view, values: { 'Invoice file': { files: [png] } } })).rejects.toThrow(
      /filetypes pdf/,
    );
    const r = await driver.submitView({
      teamId: TEAM,
      userId: CREW,
      view,
      values: { 'Invoice file': { files: [pdf] } },
    });
    expect(r.status).toBe(200);
    expect(lastSubmission.state.values.file.f.files[0]).toMatchObject({
      id: pdf.id,
      url_private_download: pdf.url_private_download,
    });
    expect(lastSubmission.state.values.acct.a.selected_option.value).toBe('41');
    expect(lastSubmission.state.values.kind.k.selected_option.value).toBe('expense');
    expect(fake.rejected().at(-1)).toMatchObject({ method: 'view_submission', error: 'invalid_arguments' });
    expect(fake.rejected().at(-1)?.messages?.[0]).toMatch(/no_such_block/);

    const closed = await driver.closeView({ teamId: TEAM, userId: CREW, view });
    expect(closed?.status).toBe(200);
    expect(seen.filter((x) => x.kind === 'closed').at(-1).body).toMatchObject({
      type: 'view_closed',
      view: { id: view.id },
    });
    expect(fake.openModalStack(TEAM, CREW)).toEqual([]);
  });

  it('OAuth consent stand-in redirects with code and state; the code exchanges once for the redirect_uri it was issued for', async () => {
    const redirect = 'http://127.0.0.1:9/slack/oauth_redirect';
    const r = await fetch(
      `${fake.oauthAuthorizeUrl}?client_id=1.2&scope=commands,chat:write,files:read&state=st8&redirect_uri=${encodeURIComponent(redirect)}&team=${TEAM_B}`,
      { redirect: 'manual' },
    );
    expect(r.status).toBe(302);
    const loc = new URL(r.headers.get('location')!);
    expect(loc.searchParams.get('state')).toBe('st8');
    const noToken = new WebClient(undefined, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quiet });
    expect(
      (
        await slackError(
          noToken.oauth.v2.access({
            client_id: '1.2',
            client_secret: 's',
            code: loc.searchParams.get('code')!,
            redirect_uri: 'http://elsewhere/',
          }),
        )
      ).error,
    ).toBe('bad_redirect_uri');
    const ok = await noToken.oauth.v2.access({
      client_id: '1.2',
      client_secret: 's',
      code: loc.searchParams.get('code')!,
      redirect_uri: redirect,
    });
    expect(ok).toMatchObject({ team: { id: TEAM_B }, scope: 'commands,chat:write,files:read', access_token: TOKEN_B });
    // now team B granted only those scopes
    expect((await slackError(webB.users.info({ user: 'U0OTHER01' }))).error).toBe('missing_scope');
  });
});
