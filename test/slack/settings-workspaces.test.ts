import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, waitFor, TEAM_A, TEAM_B, type Stack } from '../harness.ts';
import { button, connectQbo, forge, openSettings, payloadView, rejectedCalls, textOf, topModal, userPart } from './settings-helpers.ts';

/**
 * Two workspaces in multi-workspace mode (SLACK_CLIENT_ID…, installations in SQLite): each has its own QBO company,
 * settings and profiles, and nothing leaks between them.
 */

let stack: Stack;

/** Installs the app in a workspace the way Slack's OAuth does: /slack/install → consent → /slack/oauth_redirect. */
async function install(teamId: string) {
  const start = await fetch(`${stack.app.url}/slack/install`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0];
  const code = stack.slack.issueOAuthCode(teamId);
  const done = await fetch(`${stack.app.url}/slack/oauth_redirect?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`, {
    headers: { cookie },
    redirect: 'manual',
  });
  expect(done.status).toBeLessThan(400);
}

beforeAll(async () => {
  stack = await startStack({
    teams: [TEAM_A, TEAM_B],
    env: {
      SLACK_BOT_TOKEN: '',
      SLACK_CLIENT_ID: 'fake-client-id',
      SLACK_CLIENT_SECRET: 'fake-client-secret',
      SLACK_STATE_SECRET: 'fake-state-secret',
    },
  });
  await install(TEAM_A.id);
  await install(TEAM_B.id);
});
afterAll(async () => {
  await stack?.stop();
});

describe('two workspaces', () => {
  it('each connects its own QBO company', async () => {
    const a = await connectQbo(stack, TEAM_A.id, 'UADMIN');
    await stack.driver.closeView({ teamId: TEAM_A.id, userId: 'UADMIN', view: a.view });
    const realmB = stack.qbo.addCompany('Other Co Construction');
    stack.qbo.nextAuthorizeRealm = realmB;
    const b = await connectQbo(stack, TEAM_B.id, 'UBADMIN');
    await stack.driver.closeView({ teamId: TEAM_B.id, userId: 'UBADMIN', view: b.view });
    expect(b.html).toContain('Connected to Other Co Construction');
    expect(await stack.app.engine.connections.get(TEAM_A.id)).toMatchObject({
      realmId: stack.qbo.defaultRealmId,
      companyName: 'Keystone Builders LLC',
    });
    expect(await stack.app.engine.connections.get(TEAM_B.id)).toMatchObject({ realmId: realmB, companyName: 'Other Co Construction' });
    expect(textOf(b.view)).toContain('Other Co Construction');
    expect(textOf(b.view)).not.toContain('Keystone');
  });

  it('settings, profiles and bindings stay per workspace', async () => {
    const visaA = stack.qbo.entities(stack.qbo.defaultRealmId, 'Account').find((x) => x.Name === 'Visa Business')!;
    const v = await openSettings(stack, TEAM_A.id, 'UADMIN');
    await stack.driver.submitView({
      teamId: TEAM_A.id,
      userId: 'UADMIN',
      view: v,
      values: {
        'Auto-sync': 'on',
        'Default purchase account': { value: String(visaA.Id), text: 'Visa Business (Credit Card)' },
        'Default type': 'Expense',
      },
    });
    expect(await stack.app.engine.store.workspaces.getSettings(TEAM_A.id)).toMatchObject({
      autoSync: true,
      defaultType: 'Expense',
      defaultPurchaseAccountId: String(visaA.Id),
    });
    expect(await stack.app.engine.store.workspaces.getSettings(TEAM_B.id)).toMatchObject({
      autoSync: false,
      defaultType: 'Bill',
      defaultPurchaseAccountId: null,
    });

    // Team B's admin sees only team B's state, and cannot see team A's profiles.
    const vb = await openSettings(stack, TEAM_B.id, 'UBADMIN');
    expect(vb.blocks.find((b) => b.block_id === 'settings_purchase_account').element.initial_option).toBeUndefined();
    await stack.driver.clickButton({ teamId: TEAM_B.id, userId: 'UBADMIN', where: vb, actionId: 'settings_open_links' });
    const links = await waitFor(() =>
      topModal(stack, TEAM_B.id, 'UBADMIN')?.callback_id === 'link_modal' ? topModal(stack, TEAM_B.id, 'UBADMIN') : undefined,
    );
    await stack.driver.clickButton({ teamId: TEAM_B.id, userId: 'UBADMIN', where: links, actionId: 'link_add_profile' });
    const add = await waitFor(() =>
      topModal(stack, TEAM_B.id, 'UBADMIN')?.callback_id === 'link_add_modal' ? topModal(stack, TEAM_B.id, 'UBADMIN') : undefined,
    );
    await stack.driver.submitView({ teamId: TEAM_B.id, userId: 'UBADMIN', view: add, values: { Kind: 'project', Name: 'B Warehouse' } });
    await waitFor(() => textOf(stack.slack.view(links.id)).includes('B Warehouse'));
    expect((await stack.app.engine.store.profiles.list(TEAM_A.id)).map((p) => p.name)).not.toContain('B Warehouse');
    expect((await stack.app.engine.store.profiles.list(TEAM_B.id)).map((p) => p.name)).toEqual(['B Warehouse']);
    expect(rejectedCalls(stack)).toEqual([]);
  });

  it("an admin of one workspace cannot act on another's settings; a forged team id does not help", async () => {
    const before = await stack.app.engine.store.workspaces.getSettings(TEAM_A.id);
    const va = await openSettings(stack, TEAM_A.id, 'UADMIN');
    // UBADMIN is an admin in team B only; acting on team A's settings is checked against team A (users.info there).
    const r = await forge(stack, {
      type: 'view_submission',
      ...userPart(TEAM_A.id, 'UBADMIN'),
      trigger_id: 'x',
      view: payloadView(va, {
        settings_auto_sync: {
          settings_auto_sync: { type: 'radio_buttons', selected_option: { value: 'off', text: { type: 'plain_text', text: 'Off' } } },
        },
      }),
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ response_action: 'errors' });
    expect(await stack.app.engine.store.workspaces.getSettings(TEAM_A.id)).toEqual(before);
    await stack.driver.closeView({ teamId: TEAM_A.id, userId: 'UADMIN', view: va });
    expect(await stack.app.engine.store.profiles.channelProject(TEAM_A.id, 'CJOB1')).toBeNull();
  });

  it("suggestions come from the asking workspace's own QuickBooks cache", async () => {
    const vb = await openSettings(stack, TEAM_B.id, 'UBADMIN');
    const b = await stack.driver.suggest({ teamId: TEAM_B.id, userId: 'UBADMIN', view: vb, label: 'Default purchase account', query: '' });
    const realmB = (await stack.app.engine.connections.get(TEAM_B.id))!.realmId;
    const expected = stack.qbo
      .entities(realmB, 'Account')
      .filter((a) => a.Active !== false && ['Bank', 'Credit Card'].includes(a.AccountType))
      .map((a) => String(a.Id))
      .sort();
    expect(b.options.map((o) => o.value).sort()).toEqual(expected);
    expect(button(vb, 'settings_disconnect')).toBeTruthy();
    // The only refused call: the admin check for UBADMIN in team A (the forged submission above).
    expect(rejectedCalls(stack).filter((c) => !(c.method === 'users.info' && c.teamId === TEAM_A.id && c.args.user === 'UBADMIN'))).toEqual([]);
  });
});
