import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import { checkExpiringConnections } from '../../src/slack/expiry-notices.ts';
import { T, connectQbo, dmsTo } from './intake-helpers.ts';
import { buttonsOf } from './settings-helpers.ts';

/** Issue 15.6: Intuit's refresh tokens have a hard end; the admins hear 30 and 7 days before, once each. */

const DAY = 86_400_000;
let stack: Stack;
let hardEnd = 0;
const expiryDms = () => dmsTo(stack, 'UADMIN').filter((m) => /must be reconnected/.test(m.text ?? ''));

beforeAll(async () => {
  stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN' } });
  hardEnd = Date.now() + 40 * DAY;
  stack.qbo.setRefreshHardExpiry(stack.qbo.defaultRealmId, hardEnd);
  await connectQbo(stack);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('connections that expire', () => {
  it("stores the hard expiry from Intuit's token answer", async () => {
    const at = (await stack.app.engine.connections.get(T))!.refreshHardExpiresAt!;
    expect(Math.abs(at - hardEnd)).toBeLessThan(5000);
  });

  it('40 days out nothing; 30 days before one DM; 7 days before one more, with a Reconnect button; never twice', async () => {
    const deps = stack.app.deps;
    expect(await checkExpiringConnections(deps)).toBe(0);
    expect(await checkExpiringConnections(deps, hardEnd - 29 * DAY)).toBe(1);
    expect(await checkExpiringConnections(deps, hardEnd - 28 * DAY)).toBe(0);
    await waitFor(() => expiryDms().length === 1, '30-day DM');
    expect(expiryDms()[0].text).toMatch(/in 29 days/);
    expect(await checkExpiringConnections(deps, hardEnd - 7 * DAY + 3600_000)).toBe(1);
    expect(await checkExpiringConnections(deps, hardEnd - 6 * DAY)).toBe(0);
    await waitFor(() => expiryDms().length === 2, '7-day DM');
    expect(expiryDms()[1].text).toMatch(/in 7 days/);
    expect(buttonsOf(expiryDms()[1]).map((b) => b.text?.text)).toContain('Reconnect QuickBooks');
  });

  it('App Home shows it once it is 30 days away or less', async () => {
    const homeText = async () => {
      const before = stack.slack.calls.filter((c) => c.method === 'views.publish').length;
      await stack.driver.appHomeOpened({ teamId: T, userId: 'UADMIN' });
      await waitFor(() => stack.slack.calls.filter((c) => c.method === 'views.publish').length > before, 'home published');
      return JSON.stringify(stack.slack.homeView(T, 'UADMIN')!.blocks);
    };
    expect(await homeText()).not.toContain('authorization ends');
    stack.qbo.setRefreshHardExpiry(stack.qbo.defaultRealmId, Date.now() + 20 * DAY);
    await stack.app.engine.qbo.companyInfo(T); // any call that refreshes the token stores the new expiry
    stack.qbo.expireAccessTokens(stack.qbo.defaultRealmId);
    await stack.app.engine.qbo.companyInfo(T);
    expect(await homeText()).toMatch(/authorization ends in (19|20) days/);
  });

  it('/qbo status shows when the authorization ends', async () => {
    await stack.driver.command({ teamId: T, userId: 'UPM', command: '/qbo', text: 'status' });
    const status = await waitFor(() => stack.slack.messages().find((m) => m.user === 'UPM' && /authorization ends/.test(m.text ?? '')));
    expect(status.text).toMatch(/authorization ends in (19|20) days/);
  });

  it('the Disconnect URL explains what happened; without QBO_WEBHOOK_TOKEN the webhook endpoint answers 503', async () => {
    const page = await fetch(`${stack.app.url}/qbo/disconnected`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/no longer connected.*\/qbo settings/s);
    const hook = await fetch(`${stack.app.url}/qbo/webhooks`, { method: 'POST', headers: { 'intuit-signature': 'x' }, body: '[]' });
    expect(hook.status).toBe(503);
  });
});
