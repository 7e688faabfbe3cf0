import { describe, expect, it } from 'vitest';
import { validateView } from '../../emulators/slack/index.ts';
import { settingsView, readSettingsState, changedFields, snapshotOf, type SettingsViewState } from '../../src/slack/views/settings.ts';
import { linkProfilesView, addProfileView, importView, bindChannelView, PAGE_SIZE, type LinkViewState } from '../../src/slack/views/link-profiles.ts';
import { homeView, type HomeViewState } from '../../src/slack/views/home.ts';
import { reconnectBlocks } from '../../src/slack/connection-notices.ts';
import { validateBlocks } from '../../emulators/slack/index.ts';
import type { Profile } from '../../src/workspace/profiles.ts';
import type { WorkspaceSettings } from '../../src/store/workspace.ts';

/** The settings views are pure functions of data; each is checked against Slack's Block Kit rules by the fake's validator. */

const settings: WorkspaceSettings = {
  teamId: 'T1',
  autoSync: false,
  defaultPurchaseAccountId: null,
  defaultType: 'Bill',
  defaultExpenseAccountId: null,
  adminUserIds: [],
  payerUserIds: [],
};
const visa = {
  entity: 'Account' as const,
  id: '41',
  name: 'Visa Business',
  fullName: 'Visa Business',
  type: 'Credit Card',
  subType: 'CreditCard',
  parentId: null,
  active: true,
};

function state(over: Partial<SettingsViewState> = {}): SettingsViewState {
  return {
    connection: { status: 'none', companyName: null, reason: null, connectUrl: 'https://invoices.example.com/qbo/connect?t=abc.def' },
    settings,
    saved: settings,
    purchaseAccount: null,
    expenseAccount: null,
    lists: { refreshedAt: null, accounts: 0, customers: 0, items: 0, vendors: 0 },
    profiles: { total: 0, unlinked: 0, bindings: 0 },
    ...over,
  };
}

const labels = (v: any) => v.blocks.filter((b: any) => b.type === 'input').map((b: any) => b.label.text);

describe('settingsView', () => {
  it('not connected: Not connected + Connect QuickBooks URL button; no account pickers', () => {
    const v = settingsView(state());
    expect(validateView(v)).toEqual([]);
    expect(JSON.stringify(v)).toContain('Not connected');
    const connect = v.blocks.flatMap((b: any) => b.elements ?? []).find((e: any) => e.action_id === 'settings_connect');
    expect(connect).toMatchObject({
      type: 'button',
      url: 'https://invoices.example.com/qbo/connect?t=abc.def',
      text: { text: 'Connect QuickBooks' },
    });
    expect(labels(v)).toEqual(['Auto-sync', 'Default type', 'Extra admins', 'Payers']);
  });

  it('connected: company, Disconnect with a confirm, external selects for the accounts with the saved choice', () => {
    const v = settingsView(
      state({
        connection: { status: 'connected', companyName: 'Keystone <Builders> & Co', reason: null, connectUrl: 'x' },
        settings: { ...settings, autoSync: true, defaultPurchaseAccountId: '41', defaultType: 'Expense', adminUserIds: ['U1'] },
        purchaseAccount: visa,
        lists: { refreshedAt: Date.parse('2024-05-01T10:00:00.000Z'), accounts: 140, customers: 180, items: 40, vendors: 60 },
        profiles: { total: 5, unlinked: 2, bindings: 1 },
      }),
    );
    expect(validateView(v)).toEqual([]);
    expect(labels(v)).toEqual(['Auto-sync', 'Default type', 'Default purchase account', 'Default expense account', 'Extra admins', 'Payers']);
    const text = JSON.stringify(v);
    expect(text).toContain('Keystone &lt;Builders&gt; &amp; Co'); // escaped for mrkdwn
    expect(text).toContain('QuickBooks lists from 2024-05-01 10:00 UTC: 140 accounts');
    const pa = v.blocks.find((b: any) => b.block_id === 'settings_purchase_account');
    expect(pa.element).toMatchObject({
      type: 'external_select',
      min_query_length: 0,
      initial_option: { text: { text: 'Visa Business (Credit Card)' }, value: '41' },
    });
    const disconnect = v.blocks.flatMap((b: any) => b.elements ?? []).find((e: any) => e.action_id === 'settings_disconnect');
    expect(disconnect.confirm).toBeTruthy();
    expect(text).toContain('2 not linked');
    expect(v.blocks.find((b: any) => b.block_id === 'settings_auto_sync').element.initial_option.value).toBe('on');
  });

  it('needs reconnect: the reason and a Reconnect button', () => {
    const v = settingsView(
      state({
        connection: {
          status: 'needs_reconnect',
          companyName: 'Keystone',
          reason: 'Intuit refused the saved authorization',
          connectUrl: 'https://x/qbo/connect?t=1',
        },
      }),
    );
    expect(validateView(v)).toEqual([]);
    expect(JSON.stringify(v)).toContain('Reconnect QuickBooks');
    expect(JSON.stringify(v)).toContain('Intuit refused the saved authorization');
  });

  it('a saved account that is no longer offered is explained, not preselected', () => {
    const v = settingsView(
      state({
        connection: { status: 'connected', companyName: 'K', reason: null, connectUrl: 'x' },
        purchaseAccountProblem: 'Old Savings is inactive in QuickBooks',
      }),
    );
    expect(validateView(v)).toEqual([]);
    const pa = v.blocks.find((b: any) => b.block_id === 'settings_purchase_account');
    expect(pa.element.initial_option).toBeUndefined();
    expect(pa.hint.text).toContain('Old Savings is inactive');
  });

  it('a submission changes only what the admin changed since the view was rendered', () => {
    const v = settingsView(state({ connection: { status: 'connected', companyName: 'K', reason: null, connectUrl: 'x' } }));
    const shown = JSON.parse(v.private_metadata);
    expect(shown).toEqual(snapshotOf(settings));
    const draft = readSettingsState({
      settings_auto_sync: { settings_auto_sync: { type: 'radio_buttons', selected_option: { value: 'on' } } },
      settings_default_type: { settings_default_type: { type: 'radio_buttons', selected_option: { value: 'Bill' } } },
      settings_purchase_account: { settings_purchase_account: { type: 'external_select', selected_option: null } },
    });
    expect(draft).toEqual({ autoSync: true, defaultType: 'Bill', defaultPurchaseAccountId: null });
    expect(changedFields(draft, shown)).toEqual({ autoSync: true });
  });

  it('Payers: saved payers preselected; 100 admins and the most payers still fit private_metadata', () => {
    const ids = (p: string, n: number) => Array.from({ length: n }, (_, i) => `${p}${String(i).padStart(10, '0')}`);
    const v = settingsView(state({ settings: { ...settings, adminUserIds: ids('U', 100), payerUserIds: ids('W', 60) } }));
    expect(validateView(v)).toEqual([]);
    const payers = v.blocks.find((b: any) => b.block_id === 'settings_payers');
    expect(payers.element).toMatchObject({ type: 'multi_users_select', max_selected_items: 50 });
    expect(payers.element.initial_users).toHaveLength(50);
    expect(v.private_metadata.length).toBeLessThanOrEqual(3000);
    const draft = readSettingsState({ settings_payers: { settings_payers: { type: 'multi_users_select', selected_users: ['U9'] } } });
    expect(changedFields(draft, JSON.parse(v.private_metadata))).toEqual({ payerUserIds: ['U9'] });
  });
});

function profiles(n: number): Profile[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    teamId: 'T1',
    kind: i < n / 2 ? 'project' : 'cost_code',
    name: `Profile ${i + 1}`,
    qboEntity: i % 3 ? 'Customer' : null,
    qboId: i % 3 ? String(100 + i) : null,
    qboName: i % 3 ? `QBO ${i}` : null,
    linkedBy: null,
    linkedAt: null,
    createdAt: Date.parse('2024-01-01T00:00:00Z'),
  })) as Profile[];
}

describe('linkProfilesView', () => {
  const base: LinkViewState = { profiles: [], bindings: [], page: 0, connected: true };

  it('empty: explains Import from QuickBooks', () => {
    const v = linkProfilesView(base);
    expect(validateView(v)).toEqual([]);
    expect(JSON.stringify(v)).toContain('Import from QuickBooks');
  });

  it('every row shows its link or "not linked" with a picker; pages stay under 100 blocks', () => {
    const all = profiles(500);
    const bindings = Array.from({ length: 30 }, (_, i) => ({ channelId: `C${i}`, projectName: `Profile ${i + 1}` }));
    const pages = Math.ceil(500 / PAGE_SIZE);
    const seen = new Set<string>();
    for (let page = 0; page < pages; page++) {
      const v = linkProfilesView({ ...base, profiles: all, bindings, page });
      expect(validateView(v)).toEqual([]);
      expect(v.blocks.length).toBeLessThanOrEqual(100);
      for (const b of v.blocks) if (b.block_id?.startsWith('link_row:')) seen.add(b.block_id);
      expect(JSON.stringify(v)).toContain(`Page ${page + 1} of ${pages}`);
    }
    expect(seen.size).toBe(500);
    const first = linkProfilesView({ ...base, profiles: all, page: 0 });
    const row1 = first.blocks.find((b: any) => b.block_id === 'link_row:1');
    expect(row1.text.text).toContain('_not linked_');
    expect(row1.accessory).toMatchObject({ type: 'external_select', action_id: 'link_pick', min_query_length: 0 });
    const row2 = first.blocks.find((b: any) => b.block_id === 'link_row:2');
    expect(row2.text.text).toContain('QBO 1');
    expect(row2.accessory.initial_option.value).toBe('C:101');
  });

  it('a link whose QuickBooks entry is gone or inactive is flagged on its row', () => {
    const v = linkProfilesView({ ...base, profiles: profiles(6), stale: new Set([2]) });
    expect(validateView(v)).toEqual([]);
    expect(v.blocks.find((b: any) => b.block_id === 'link_row:2').text.text).toContain('no longer active in QuickBooks');
    expect(v.blocks.find((b: any) => b.block_id === 'link_row:3').text.text).not.toContain('no longer');
  });

  it('pushed views (add, import, bind) are valid modals', () => {
    for (const v of [addProfileView('V1'), importView('V1'), bindChannelView(null)]) expect(validateView(v)).toEqual([]);
  });
});

describe('homeView and notices', () => {
  const home: HomeViewState = {
    connection: { status: 'connected', companyName: 'Keystone Builders LLC', reason: null },
    settings: { ...settings, autoSync: true },
    purchaseAccount: visa,
    expenseAccount: null,
    profiles: { total: 3, unlinked: 1, bindings: 0 },
    isAdmin: true,
    recentInvoices: [],
  };
  it('shows the connection and the settings summary; Open settings only for admins', () => {
    const v = homeView(home);
    expect(validateView(v, 'home')).toEqual([]);
    const t = JSON.stringify(v);
    expect(t).toContain('Connected to *Keystone Builders LLC*');
    expect(t).toContain('Visa Business (Credit Card)');
    expect(t).toContain('home_open_settings');
    expect(JSON.stringify(homeView({ ...home, isAdmin: false }))).not.toContain('home_open_settings');
  });

  it('the reconnect DM is valid message blocks with a Reconnect button', () => {
    const blocks = reconnectBlocks('Keystone', 'QuickBooks refused the saved authorization (invalid_grant)');
    expect(validateBlocks(blocks, 'message', '/blocks')).toEqual([]);
    expect(JSON.stringify(blocks)).toContain('Reconnect QuickBooks');
  });
});
