import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import { T, latest, openReview, settle, setUpWorkspace, share } from './intake-helpers.ts';
import { buttonsOf } from './settings-helpers.ts';

/** Issue 15.6: while the connection needs a new consent, every invoice it blocks offers Reconnect on its card. */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN' } });
  await setUpWorkspace(stack);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('Reconnect on blocked cards', () => {
  it('a card blocked by a revoked connection has Reconnect QuickBooks; clicking it opens settings for an admin', async () => {
    const realm = (await stack.app.engine.connections.get(T))!.realmId;
    const { card } = await share(stack, 'invoice2data-AzureInterior.pdf');
    stack.qbo.revokeRefreshTokens(realm);
    stack.qbo.expireAccessTokens(realm);
    await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: await openReview(stack, card), values: {} });
    await settle(stack);
    await waitFor(async () => (await stack.app.engine.connections.get(T))?.status === 'needs_reconnect', 'connection marked');
    const inv = (await stack.app.engine.invoices.list(T))[0];
    expect(inv).toMatchObject({ status: 'blocked', blockCause: 'not_connected' });
    const shown = await waitFor(() => {
      const c = latest(stack, card);
      return buttonsOf(c).some((b) => b.action_id === 'settings_open') ? c : null;
    }, 'Reconnect button on the card');
    expect(buttonsOf(shown).find((b) => b.action_id === 'settings_open')!.text.text).toBe('Reconnect QuickBooks');
    await stack.driver.clickButton({ teamId: T, userId: 'UADMIN', where: shown, actionId: 'settings_open' });
    await waitFor(() => stack.slack.openModalStack(T, 'UADMIN').length > 0, 'settings modal for the admin');
  });
});
