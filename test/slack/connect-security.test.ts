import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { startStack, waitFor, TEAM_A, type Stack } from '../harness.ts';
import { qboConnections, workspaces } from '../../src/store/sqlite/schema.ts';
import { connectUrl } from '../../src/slack/settings-service.ts';
import { button, connectQbo, forge, openSettings, startConsentIn, textOf, topModal, userPart } from './settings-helpers.ts';

/**
 * Who and what the QBO connection is bound to: the callback's realmId must be the company the tokens open
 * (issue 11.5), the Connect link is single-use and short-lived, and the "connected" DM names the company with a
 * Disconnect button (11.6).
 */

let stack: Stack;
const T = TEAM_A.id;
const A = 'UADMIN';
const connectionRow = () => stack.app.engine.conn.db.select().from(qboConnections).where(eq(qboConnections.teamId, T)).get();

/** The link the settings modal's Connect / Reconnect button carries (the modal shows it only when not connected). */
const freshConnectLink = async () => connectUrl(stack.app.deps, T, A);

beforeAll(async () => {
  stack = await startStack();
  const { view } = await connectQbo(stack, T, A);
  await stack.driver.closeView({ teamId: T, userId: A, view });
});
afterAll(async () => {
  await stack?.stop();
});

describe('OAuth callback realm (11.5)', () => {
  it('stores the company identity read from CompanyInfo with the connection', async () => {
    const id = await stack.app.engine.connections.companyIdentity(T);
    const info = stack.qbo.entities(stack.qbo.defaultRealmId, 'CompanyInfo')[0];
    expect(id).toEqual({
      companyName: 'Keystone Builders LLC',
      legalName: info.LegalName,
      addresses: ['4200 Industrial Pkwy, Denver, CO 80216, US'],
    });
    expect(await stack.app.engine.connections.companyIdentity('T0NOBODY')).toBeNull();
  });

  it('a callback whose realmId is not the company the tokens belong to is refused and changes nothing', async () => {
    const accounts = stack.qbo.entities(stack.qbo.defaultRealmId, 'Account');
    const visa = String(accounts.find((a) => a.Name === 'Visa Business')!.Id);
    await stack.app.engine.store.workspaces.updateSettings(T, { defaultPurchaseAccountId: visa }, A);
    const listsBefore = await stack.app.engine.lists.count(T, 'Account');
    const before = connectionRow();
    const other = stack.qbo.addCompany('Somebody Else Inc');
    const { callbackUrl, cookie } = await startConsentIn(await freshConnectLink());
    const tampered = new URL(callbackUrl);
    expect(tampered.searchParams.get('realmId')).toBe(stack.qbo.defaultRealmId);
    tampered.searchParams.set('realmId', other);
    const res = await fetch(tampered, { headers: { cookie } });
    const html = await res.text();
    expect(res.status).toBe(400);
    expect(html).toContain('Nothing was changed');
    expect(html).not.toContain('Connected to');
    // No wipe, no tokens stored, no other realm recorded.
    expect(connectionRow()).toEqual(before);
    expect(stack.app.engine.conn.db.select().from(workspaces).where(eq(workspaces.teamId, T)).get()!.qboRealmId).toBe(stack.qbo.defaultRealmId);
    expect((await stack.app.engine.store.workspaces.getSettings(T)).defaultPurchaseAccountId).toBe(visa);
    expect(await stack.app.engine.lists.count(T, 'Account')).toBe(listsBefore);
    // The emulator answered the cross-realm read the way QBO does (403 ApplicationAuthorizationFailed).
    expect(stack.qbo.requests.some((r) => r.realmId === other && r.path.includes('/companyinfo/') && r.status === 403)).toBe(true);
  });
});

describe('Connect link (11.6)', () => {
  it('lives at most 5 minutes', async () => {
    const url = new URL(await freshConnectLink());
    const payload = JSON.parse(Buffer.from(url.searchParams.get('t')!.split('.')[0], 'base64url').toString());
    expect(payload.exp - Date.now() / 1000).toBeLessThanOrEqual(5 * 60);
  });

  it('is single-use: consumed when the consent starts, a second opening is refused before Intuit', async () => {
    const url = await freshConnectLink();
    const first = await fetch(url, { redirect: 'manual' });
    expect(first.status).toBe(302);
    const second = await fetch(url, { redirect: 'manual' });
    expect(second.status).toBe(400);
    expect(second.headers.get('location')).toBeNull();
    expect(await second.text()).toMatch(/already used/);
  });

  it('the "connected" DM names the company and has a Disconnect button; a non-admin cannot use it, an admin can', async () => {
    const dm = await waitFor(() => stack.slack.dms(T, A).find((m) => /connected to \*Keystone Builders LLC\*/.test(m.text ?? '')));
    const disconnect = button(dm, 'connection_disconnect');
    expect(disconnect.text.text).toBe('Disconnect');
    // A forged click by a non-admin changes nothing.
    const revokes = stack.qbo.stats.revokes;
    const r = await forge(stack, {
      type: 'block_actions',
      ...userPart(T, 'UFOREMAN'),
      trigger_id: stack.slack.issueTriggerId(T, 'UFOREMAN'),
      container: { type: 'message', message_ts: dm.ts, channel_id: dm.channel, is_ephemeral: false },
      channel: { id: dm.channel, name: 'directmessage' },
      actions: [{ action_id: 'connection_disconnect', block_id: 'b', type: 'button', value: disconnect.value, action_ts: '1' }],
    });
    expect(r.status).toBe(200);
    await new Promise((res) => setTimeout(res, 300));
    expect((await stack.app.engine.connections.get(T))?.status).toBe('connected');
    expect(stack.qbo.stats.revokes).toBe(revokes);
    // The admin's click revokes at Intuit and marks the connection disconnected.
    await stack.driver.clickButton({ teamId: T, userId: A, where: dm, actionId: 'connection_disconnect' });
    await waitFor(async () => (await stack.app.engine.connections.get(T))?.status === 'disconnected', 'connection disconnected');
    expect(stack.qbo.stats.revokes).toBe(revokes + 1);
    expect(connectionRow()!.refreshTokenEnc).toBeNull();
    expect(connectionRow()!.accessTokenEnc).toBeNull();
    const v = await openSettings(stack, T, A);
    expect(textOf(v)).toContain('Not connected');
    await stack.driver.closeView({ teamId: T, userId: A, view: topModal(stack, T, A)! });
    expect(stack.slack.rejected()).toEqual([]);
  });
});
