import { afterEach, describe, expect, it } from 'vitest';
import { startStack, waitFor, TEAM_A, type Stack } from '../harness.ts';
import { connectQbo, topModal } from './settings-helpers.ts';

/** The admins' reconnect DM is not lost to a Slack hiccup: a refused DM is retried from the durable queue. */

const T = TEAM_A.id;
const A = 'UADMIN';
let stack: Stack;
afterEach(async () => {
  await stack?.stop();
});

describe('reconnect notice', () => {
  it('Slack refuses the DM once: it is retried and arrives, exactly once', async () => {
    stack = await startStack();
    await connectQbo(stack, T, A);
    await stack.driver.closeView({ teamId: T, userId: A, view: topModal(stack, T, A)! });
    const reconnectDms = () => stack.slack.dms(T, A).filter((m) => /needs to be reconnected/.test(m.text ?? ''));
    const admins = TEAM_A.users.filter((u) => u.is_admin || u.is_owner).length;
    // Slack has an outage just as the connection breaks: every admin's first DM is refused.
    for (let i = 0; i < admins; i++) stack.slack.failNext('chat.postMessage', 'fatal_error');
    const realm = (await stack.app.engine.connections.get(T))!.realmId;
    stack.qbo.revokeRefreshTokens(realm);
    stack.qbo.expireAccessTokens(realm);
    for (let i = 0; i < 2; i++) await stack.app.engine.lists.refresh(T).catch(() => {});
    await waitFor(async () => (await stack.app.engine.connections.get(T))?.status === 'needs_reconnect', 'connection marked');
    await waitFor(() => stack.slack.rejected().filter((c) => c.method === 'chat.postMessage').length === admins, 'the refused DMs');
    const dm = await waitFor(() => reconnectDms()[0], 'the retried reconnect DM', 20_000);
    expect(dm.text).toContain('Open /qbo settings to reconnect');
    expect(JSON.stringify(dm.blocks)).toContain('settings_open');
    await stack.app.engine.worker.idle();
    expect(reconnectDms()).toHaveLength(1);
  }, 60_000);
});
