import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import { T, setUpWorkspace, share, settle } from '../slack/intake-helpers.ts';

/** Issue 15.4: the app counts Intuit's metered calls (reads, queries, CDC) as Intuit does, and shows the month's count. */

let stack: Stack;
let realmId: string;

beforeAll(async () => {
  stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN', QBO_METERED_BUDGET_PER_MONTH: '1000' } });
  ({ realmId } = await setUpWorkspace(stack));
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const health = async () => (await (await fetch(`${stack.app.url}/healthz`)).json()) as any;

describe('metered QuickBooks calls', () => {
  it('are counted as the emulator meters them (list reads at connect), shown on /healthz with the budget left, without company ids', async () => {
    await settle(stack);
    const emulated = stack.qbo.stats.metered[realmId] ?? 0;
    expect(emulated).toBeGreaterThan(0);
    expect(await stack.app.engine.metered.forTeam(T)).toBe(emulated);
    const h = await health();
    expect(h.meteredCalls).toMatchObject({ total: emulated, budget: 1000, left: 1000 - emulated, companies: 1, maxPerCompany: emulated });
    expect(JSON.stringify(h)).not.toContain(realmId);
  });

  it('a booked invoice adds no metered call (create and upload are not metered)', async () => {
    const before = await stack.app.engine.metered.forTeam(T);
    const emuBefore = stack.qbo.stats.metered[realmId] ?? 0;
    const { card } = await share(stack, 'us-rental-summit.pdf');
    await stack.driver.clickButton({ teamId: T, userId: 'UFOREMAN', where: card, actionId: 'invoice_review' });
    const modal = await waitFor(() => stack.slack.openModalStack(T, 'UFOREMAN').find((v) => v.callback_id === 'review_submit'), 'review modal');
    await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: modal, values: {} });
    await settle(stack);
    expect(stack.qbo.entities(realmId, 'Bill').length + stack.qbo.entities(realmId, 'Purchase').length).toBe(1);
    expect((stack.qbo.stats.metered[realmId] ?? 0) - emuBefore).toBe(0);
    expect((await stack.app.engine.metered.forTeam(T)) - before).toBe(0);
  });

  it("App Home shows an admin the workspace's reads this month", async () => {
    const n = await stack.app.engine.metered.forTeam(T);
    await stack.driver.appHomeOpened({ teamId: T, userId: 'UADMIN' });
    const home = await waitFor(() => stack.slack.homeView(T, 'UADMIN'), 'home view');
    expect(JSON.stringify(home.blocks)).toContain(`QuickBooks reads this month:* ${n.toLocaleString('en-US')}`);
    await stack.driver.appHomeOpened({ teamId: T, userId: 'UFOREMAN' });
    const other = await waitFor(() => stack.slack.homeView(T, 'UFOREMAN'), 'home view');
    expect(JSON.stringify(other.blocks)).not.toContain('QuickBooks reads this month');
  });
});
