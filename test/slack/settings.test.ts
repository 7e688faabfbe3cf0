import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { startStack, waitFor, TEAM_A, type Stack } from '../harness.ts';
import { oauthStates, qboConnections, qboListRefreshes } from '../../src/store/sqlite/schema.ts';
import { signToken } from '../../src/crypto.ts';
import { button, connectQbo, forge, openSettings, payloadView, startConsentIn, textOf, topModal, userPart } from './settings-helpers.ts';
import { nonceCookie } from '../../src/http/qbo-oauth.ts';

/** `/qbo settings` end to end: real app over HTTP + Slack fake + QBO emulator on loopback. */

let stack: Stack;
const T = TEAM_A.id;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('/qbo settings', () => {
  it('refuses a non-admin with a short ephemeral message and opens nothing', async () => {
    const r = await stack.driver.command({ teamId: T, userId: 'UFOREMAN', command: '/qbo', text: 'settings' });
    expect(r.status).toBe(200);
    const msg = await waitFor(() =>
      stack.slack.messages().find((m) => m.ephemeral && m.user === 'UFOREMAN' && /only workspace admins/i.test(m.text ?? '')),
    );
    expect(msg.text!.length).toBeLessThan(150);
    expect(stack.slack.openModalStack(T, 'UFOREMAN')).toHaveLength(0);
    expect(stack.slack.callsTo('views.open').filter((c) => c.teamId === T)).toHaveLength(0);
  });

  it('an admin gets the modal at once, "Not connected" with a Connect QuickBooks link', async () => {
    const v = await openSettings(stack, T, 'UADMIN');
    expect(textOf(v)).toContain('Not connected');
    const connect = button(v, 'settings_connect');
    expect(connect.text.text).toBe('Connect QuickBooks');
    expect(connect.url).toMatch(new RegExp(`^${stack.config.publicUrl}/qbo/connect\\?t=`));
    // Without QBO there is nothing to pick accounts from; Auto-sync and the type can already be set.
    expect(textOf(v)).toContain('Auto-sync');
    expect(textOf(v)).toContain('Default type');
    expect(stack.slack.rejected()).toEqual([]);
    await stack.driver.closeView({ teamId: T, userId: 'UADMIN', view: v });
  });

  it('connect: consent → callback page → modal shows the company → admin DM; lists cached', async () => {
    const { view, html, status } = await connectQbo(stack, T, 'UADMIN');
    expect(status).toBe(200);
    expect(html).toContain('Connected to Keystone Builders LLC — return to Slack');
    expect(textOf(view)).toMatch(/connected to \*Keystone Builders LLC\*/);
    expect(button(view, 'settings_disconnect')).toBeTruthy();
    const conn = (await stack.app.engine.connections.get(T))!;
    expect(conn).toMatchObject({
      status: 'connected',
      companyName: 'Keystone Builders LLC',
      connectedBy: 'UADMIN',
      realmId: stack.qbo.defaultRealmId,
    });
    // Tokens are stored sealed, never in clear.
    const row = stack.app.engine.conn.db.select().from(qboConnections).where(eq(qboConnections.teamId, T)).get()!;
    expect(row.refreshTokenEnc).toMatch(/^v1\./);
    expect(html).not.toMatch(/RT1-|eyJ|AB11/);
    const dm = await waitFor(() => stack.slack.dms(T, 'UADMIN').find((m) => /connected to \*Keystone Builders LLC\*/.test(m.text ?? '')));
    expect(dm).toBeTruthy();
    expect(await stack.app.engine.lists.count(T, 'Account')).toBeGreaterThan(100);
    expect(await stack.app.engine.lists.count(T, 'Customer')).toBeGreaterThan(100);
    expect(stack.logs.join('\n')).not.toMatch(/RT1-[A-Za-z0-9]|eyJlbmMi|AB11[A-Za-z0-9]{10}/);
    expect(stack.slack.rejected()).toEqual([]);
    await stack.driver.closeView({ teamId: T, userId: 'UADMIN', view });
  });

  it('Default purchase account offers exactly the active Bank and Credit Card accounts, each with its type', async () => {
    const v = await openSettings(stack, T, 'UADMIN');
    const all = await stack.driver.suggest({ teamId: T, userId: 'UADMIN', view: v, label: 'Default purchase account', query: '' });
    expect(all.status).toBe(200);
    const expected = stack.qbo
      .entities(stack.qbo.defaultRealmId, 'Account')
      .filter((a) => a.Active !== false && ['Bank', 'Credit Card'].includes(a.AccountType))
      .map((a) => String(a.Id))
      .sort();
    expect(all.options.map((o) => o.value).sort()).toEqual(expected);
    expect(all.options.map((o) => o.text)).toContain('Visa Business (Credit Card)');
    expect(all.options.map((o) => o.text)).toContain('Operating Checking (Bank)');
    expect(all.options.every((o) => / \((Bank|Credit Card)\)$/.test(o.text))).toBe(true);
    expect(all.options.some((o) => o.text.startsWith('Old Savings'))).toBe(false); // inactive
    const visa = await stack.driver.suggest({ teamId: T, userId: 'UADMIN', view: v, label: 'Default purchase account', query: 'visa' });
    expect(visa.options.map((o) => o.text)).toEqual(['Visa Business (Credit Card)']);
    // The expense-account picker goes past 100 accounts only through the query: answers stay ≤ 100 options.
    const exp = await stack.driver.suggest({ teamId: T, userId: 'UADMIN', view: v, label: 'Default expense account', query: '' });
    expect(exp.options.length).toBeGreaterThan(0);
    expect(exp.options.length).toBeLessThanOrEqual(100);
    expect(stack.slack.rejected()).toEqual([]);
    await stack.driver.closeView({ teamId: T, userId: 'UADMIN', view: v });
  });

  it('saving: refuses an account that is not an active Bank/CC account, then stores the choices', async () => {
    const accounts = stack.qbo.entities(stack.qbo.defaultRealmId, 'Account');
    const oldSavings = accounts.find((a) => a.Name === 'Old Savings')!;
    const visa = accounts.find((a) => a.Name === 'Visa Business')!;
    const materials = accounts.find((a) => a.Name === 'Job Materials')!;
    const v = await openSettings(stack, T, 'UADMIN');
    const bad = await stack.driver.submitView({
      teamId: T,
      userId: 'UADMIN',
      view: v,
      values: { 'Default purchase account': { value: String(oldSavings.Id), text: 'Old Savings (Bank)' } },
    });
    expect(bad.errors?.settings_purchase_account).toMatch(/active Bank or Credit Card/);
    expect((await stack.app.engine.store.workspaces.getSettings(T)).defaultPurchaseAccountId).toBeNull();

    const ok = await stack.driver.submitView({
      teamId: T,
      userId: 'UADMIN',
      view: stack.slack.view(v.id)!,
      values: {
        'Auto-sync': 'on',
        'Default purchase account': { value: String(visa.Id), text: 'Visa Business (Credit Card)' },
        'Default type': 'Expense',
        'Default expense account': { value: String(materials.Id), text: 'Job Materials (Cost of Goods Sold)' },
      },
    });
    expect(ok.errors).toBeUndefined();
    expect(stack.slack.openModalStack(T, 'UADMIN')).toHaveLength(0);
    expect(await stack.app.engine.store.workspaces.getSettings(T)).toMatchObject({
      autoSync: true,
      defaultType: 'Expense',
      defaultPurchaseAccountId: String(visa.Id),
      defaultExpenseAccountId: String(materials.Id),
    });
    // Reopened, the modal shows what was saved.
    const again = await openSettings(stack, T, 'UADMIN');
    const pa = again.blocks.find((b) => b.block_id === 'settings_purchase_account');
    expect(pa.element.initial_option.text.text).toBe('Visa Business (Credit Card)');
    expect(stack.slack.rejected()).toEqual([]);
    await stack.driver.closeView({ teamId: T, userId: 'UADMIN', view: again });
  });

  it('a non-admin cannot change anything with forged submissions, actions or suggestions', async () => {
    const before = await stack.app.engine.store.workspaces.getSettings(T);
    const v = await openSettings(stack, T, 'UADMIN');
    const callsBefore = stack.slack.calls.length;
    const foreman = userPart(T, 'UFOREMAN');
    const sub = await forge(stack, {
      type: 'view_submission',
      ...foreman,
      trigger_id: 'x',
      view: payloadView(v, {
        settings_auto_sync: {
          settings_auto_sync: { type: 'radio_buttons', selected_option: { value: 'off', text: { type: 'plain_text', text: 'Off' } } },
        },
        settings_default_type: {
          settings_default_type: { type: 'radio_buttons', selected_option: { value: 'Bill', text: { type: 'plain_text', text: 'Bill' } } },
        },
        settings_purchase_account: { settings_purchase_account: { type: 'external_select', selected_option: null } },
      }),
    });
    expect(sub.status).toBe(200);
    expect(sub.body).toMatchObject({ response_action: 'errors' });
    const disc = await forge(stack, {
      type: 'block_actions',
      ...foreman,
      trigger_id: 'x',
      container: { type: 'view', view_id: v.id },
      view: payloadView(v),
      actions: [{ action_id: 'settings_disconnect', block_id: 'settings_connection_actions', type: 'button', value: 'disconnect' }],
    });
    expect(disc.status).toBe(200);
    const links = await forge(stack, {
      type: 'block_actions',
      ...foreman,
      trigger_id: 'x',
      container: { type: 'view', view_id: v.id },
      view: payloadView(v),
      actions: [{ action_id: 'settings_open_links', block_id: 'settings_tools', type: 'button', value: 'links' }],
    });
    expect(links.status).toBe(200);
    const sugg = await forge(stack, {
      type: 'block_suggestion',
      ...foreman,
      container: { type: 'view', view_id: v.id },
      view: payloadView(v),
      action_id: 'settings_purchase_account',
      block_id: 'settings_purchase_account',
      value: '',
    });
    expect(sugg.body).toEqual({ options: [] });
    await new Promise((r) => setTimeout(r, 200));
    expect(await stack.app.engine.store.workspaces.getSettings(T)).toEqual(before);
    expect((await stack.app.engine.connections.get(T))?.status).toBe('connected');
    expect(stack.qbo.stats.revokes).toBe(0);
    // No Slack calls came of it (no modal pushed or updated).
    expect(stack.slack.calls.slice(callsBefore).filter((c) => c.method.startsWith('views.'))).toEqual([]);
    await stack.driver.closeView({ teamId: T, userId: 'UADMIN', view: v });
  });

  it('Slack requests with a bad signature or a stale timestamp get 401', async () => {
    const body = new URLSearchParams({ command: '/qbo', text: 'settings', team_id: T, user_id: 'UADMIN', trigger_id: 'x' }).toString();
    const bad = await stack.driver.signedPost('/slack/events', body, 'application/x-www-form-urlencoded', {
      'X-Slack-Signature': `v0=${'0'.repeat(64)}`,
    });
    expect(bad.status).toBe(401);
    const stale = await stack.driver.signedPost('/slack/events', body, 'application/x-www-form-urlencoded', {
      'X-Slack-Request-Timestamp': String(Math.floor(Date.now() / 1000) - 6 * 60),
    });
    expect(stale.status).toBe(401);
  });

  it('/qbo status and /qbo help answer; unknown subcommands get help', async () => {
    const ack = await stack.driver.command({ teamId: T, userId: 'UPM', command: '/qbo', text: 'status' });
    // The answer is the ack itself: shown at once, with no response_url round trip.
    expect((ack.body as { text?: string }).text).toMatch(/QuickBooks: connected to/);
    const status = await waitFor(() => stack.slack.messages().find((m) => m.user === 'UPM' && /QuickBooks: connected to/.test(m.text ?? '')));
    expect(status.text).toContain('Keystone Builders LLC');
    expect(status.text).toMatch(/Auto-sync: \*on\*/);
    expect(status.text).toContain('Visa Business (Credit Card)');
    await stack.driver.command({ teamId: T, userId: 'UPM', command: '/qbo', text: 'frobnicate' });
    const help = await waitFor(() => stack.slack.messages().find((m) => m.user === 'UPM' && /don't know `\/qbo frobnicate`/.test(m.text ?? '')));
    expect(help.text).toContain('/qbo settings');
    expect(help.text).toContain('admins only');
  });

  it('App Home shows the connection and the settings summary', async () => {
    await stack.driver.appHomeOpened({ teamId: T, userId: 'UADMIN' });
    const home = await waitFor(() => stack.slack.homeView(T, 'UADMIN'));
    const t = textOf(home);
    expect(t).toContain('Connected to *Keystone Builders LLC*');
    expect(t).toContain('*Auto-sync:* on');
    expect(t).toContain('Visa Business (Credit Card)');
    expect(button(home, 'home_open_settings')).toBeTruthy();
    await stack.driver.appHomeOpened({ teamId: T, userId: 'UFOREMAN' });
    const crew = await waitFor(() => stack.slack.homeView(T, 'UFOREMAN'));
    expect(textOf(crew)).toContain('Connected to *Keystone Builders LLC*');
    expect(() => button(crew, 'home_open_settings')).toThrow();
    expect(stack.slack.rejected()).toEqual([]);
  });

  it('opens at once while QuickBooks is slow, then says in the modal that the lists could not be fetched', async () => {
    // Lists older than 5 minutes are fetched again when the modal opens.
    stack.app.engine.conn.db
      .update(qboListRefreshes)
      .set({ refreshedAt: Date.parse('2000-01-01T00:00:00.000Z') })
      .where(eq(qboListRefreshes.teamId, T))
      .run();
    stack.qbo.injectFault({ path: /\/query/, status: 503, delayMs: 3500, count: 5 });
    const r = await stack.driver.command({ teamId: T, userId: 'UADMIN', command: '/qbo', text: 'settings' });
    expect(r.status).toBe(200);
    const v = await waitFor(() => topModal(stack, T, 'UADMIN'));
    // Open while QuickBooks has not answered yet (its answer takes 3.5 s; a trigger id lives 3 s).
    expect(textOf(v)).toContain('Fetching the latest lists');
    await waitFor(() => textOf(stack.slack.view(v.id)).includes('Could not fetch the latest lists'), 'modal says the refresh failed', 15_000);
    // The saved default is still shown from the cache; nothing was acked late, nothing refused.
    expect(stack.slack.view(v.id)!.blocks.find((b) => b.block_id === 'settings_purchase_account').element.initial_option.text.text).toBe(
      'Visa Business (Credit Card)',
    );
    expect(stack.slack.rejected()).toEqual([]);
    await stack.driver.closeView({ teamId: T, userId: 'UADMIN', view: v });
  });

  it('disconnect revokes at Intuit, forgets the tokens and marks the connection disconnected; the modal says Not connected', async () => {
    const v = await openSettings(stack, T, 'UADMIN');
    const revokes = stack.qbo.stats.revokes;
    await stack.driver.clickButton({ teamId: T, userId: 'UADMIN', where: v, actionId: 'settings_disconnect' });
    await waitFor(() => textOf(stack.slack.view(v.id)).includes('Not connected'), 'modal shows Not connected');
    expect(stack.qbo.stats.revokes).toBe(revokes + 1);
    expect((await stack.app.engine.connections.get(T))?.status).toBe('disconnected');
    const row = stack.app.engine.conn.db.select().from(qboConnections).where(eq(qboConnections.teamId, T)).get()!;
    expect([row.accessTokenEnc, row.refreshTokenEnc]).toEqual([null, null]);
    expect(stack.slack.rejected()).toEqual([]);
    await stack.driver.closeView({ teamId: T, userId: 'UADMIN', view: topModal(stack, T, 'UADMIN')! });
  });
});

describe('QBO OAuth state', () => {
  /** The admin's browser: it keeps the cookie /qbo/connect set, and sends it back as a browser would. */
  let cookie = '';
  const fetch = (url: string | URL, init: RequestInit = {}) =>
    globalThis.fetch(url, { ...init, headers: { cookie, ...(init.headers as Record<string, string> | undefined) } });
  async function startConsent(): Promise<string> {
    const v = await openSettings(stack, T, 'UADMIN');
    const url = button(v, 'settings_connect').url as string;
    await stack.driver.closeView({ teamId: T, userId: 'UADMIN', view: v });
    const started = await startConsentIn(url);
    cookie = started.cookie;
    return started.callbackUrl; // the callback URL Intuit sends the browser to
  }

  /** The connection when it is live (a disconnected one keeps its row, without tokens). */
  const connected = async () => {
    const c = await stack.app.engine.connections.get(T);
    return c && c.status !== 'disconnected' ? c : null;
  };

  it('a replayed callback is refused and changes nothing', async () => {
    const cb = await startConsent();
    expect((await fetch(cb)).status).toBe(200);
    const before = stack.app.engine.conn.db.select().from(qboConnections).where(eq(qboConnections.teamId, T)).get();
    const replay = await fetch(cb);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toMatch(/expired or was already used/);
    expect(stack.app.engine.conn.db.select().from(qboConnections).where(eq(qboConnections.teamId, T)).get()).toEqual(before);
  });

  it('a missing, unknown (forged) or expired state gets an error page and changes nothing', async () => {
    await stack.app.engine.connections.disconnect(T);
    const cb = new URL(await startConsent());
    const forged = new URL(cb);
    forged.searchParams.set('state', 'forged-state-value');
    const missing = new URL(cb);
    missing.searchParams.delete('state');
    for (const u of [forged, missing]) {
      const r = await fetch(u);
      expect(r.status).toBe(400);
      expect(await r.text()).toContain('Nothing was changed');
    }
    expect(await connected()).toBeNull();
    // The real state, once expired, is refused too.
    const state = cb.searchParams.get('state')!;
    stack.app.engine.conn.db
      .update(oauthStates)
      .set({ expiresAt: Date.now() - 1 })
      .where(eq(oauthStates.state, state))
      .run();
    expect((await fetch(cb)).status).toBe(400);
    expect(await connected()).toBeNull();
    expect(stack.qbo.stats.authorizationCodeGrants).toBeGreaterThan(0);
  });

  it('login CSRF: a consent URL finished in another browser (no cookie, or another one) is refused and changes nothing', async () => {
    await stack.app.engine.connections.disconnect(T);
    const cb = await startConsent();
    const mine = cookie;
    expect(mine).toMatch(/^qbo_connect_nonce=[\w-]{20,}$/);
    // Someone else's browser: the attacker's own consent started elsewhere, so another cookie (or none at all).
    await startConsent();
    const theirs = cookie;
    for (const other of [undefined, theirs, 'qbo_connect_nonce=forged']) {
      const r = await globalThis.fetch(cb, other ? { headers: { cookie: other } } : {});
      expect(r.status).toBe(400);
      const html = await r.text();
      expect(html).toContain('different browser');
      expect(html).toContain('Nothing was changed');
      expect(await connected()).toBeNull();
    }
    // The browser that started it finishes it.
    const ok = await globalThis.fetch(cb, { headers: { cookie: mine } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toMatch(/qbo_connect_nonce=;.*Max-Age=0/);
    expect((await connected())?.status).toBe('connected');
    await stack.app.engine.connections.disconnect(T);
  });

  it('the nonce cookie is HttpOnly, SameSite=Lax, scoped to /qbo, and Secure when the app is served over https', async () => {
    if (await connected()) await stack.app.engine.connections.disconnect(T);
    const v = await openSettings(stack, T, 'UADMIN');
    const url = button(v, 'settings_connect').url as string;
    await stack.driver.closeView({ teamId: T, userId: 'UADMIN', view: v });
    const r = await globalThis.fetch(url, { redirect: 'manual' });
    expect(r.status).toBe(302);
    const set = r.headers.get('set-cookie')!;
    expect(set).toMatch(/^qbo_connect_nonce=[\w-]+; /);
    expect(set).toContain('HttpOnly');
    expect(set).toContain('SameSite=Lax');
    expect(set).toContain('Path=/qbo');
    expect(set).not.toContain('Secure'); // the test app is plain http on loopback
    expect(nonceCookie('https://invoices.example.com', 'n')).toMatch(/; Secure$/);
    // The state Intuit gets carries only an HMAC of the nonce, never the nonce itself.
    const state = new URL(r.headers.get('location')!).searchParams.get('state')!;
    expect(state).not.toContain(set.split(';')[0].split('=')[1]);
  });

  it('a tampered or expired connect link is refused before Intuit', async () => {
    const v = await openSettings(stack, T, 'UADMIN');
    const url = new URL(button(v, 'settings_connect').url);
    await stack.driver.closeView({ teamId: T, userId: 'UADMIN', view: v });
    const t = url.searchParams.get('t')!;
    const [body, mac] = t.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const tampered = Buffer.from(JSON.stringify({ ...payload, team: 'T0B' })).toString('base64url');
    url.searchParams.set('t', `${tampered}.${mac}`);
    const r = await fetch(url, { redirect: 'manual' });
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('expired');
  });

  it('a connect link made out to a non-admin is refused before Intuit, and no state is issued', async () => {
    const states = stack.app.engine.conn.db.select().from(oauthStates).all().length;
    const t = signToken(stack.config.encryptionKey, { k: 'qbo_connect', team: T, user: 'UFOREMAN' }, 600);
    const r = await fetch(`${stack.config.publicUrl}/qbo/connect?t=${encodeURIComponent(t)}`, { redirect: 'manual' });
    expect(r.status).toBe(403);
    expect(await r.text()).toContain('Only admins can connect QuickBooks');
    expect(stack.app.engine.conn.db.select().from(oauthStates).all()).toHaveLength(states);
  });
});
