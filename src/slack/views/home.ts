import type { Invoice } from '../../invoices/service.ts';
import type { WorkspaceSettings } from '../../store/workspace.ts';
import type { ListItem } from '../../qbo/lists.ts';
import { accountLabel, esc, mrkdwn, plain } from './common.ts';
import { invoiceHomeBlocks } from './home-invoices.ts';
import type { ConnectionState } from './settings.ts';
import { expiryText } from '../expiry-notices.ts';

const EXPIRY_WARN_MS = 30 * 86_400_000;

/** The App Home tab: QBO connection, settings summary, then the recent invoices (built by the intake feature). */

export const HA = { openSettings: 'home_open_settings' } as const;

export interface HomeViewState {
  connection: Omit<ConnectionState, 'connectUrl'>;
  settings: WorkspaceSettings;
  purchaseAccount: ListItem | null;
  expenseAccount: ListItem | null;
  profiles: { total: number; unlinked: number; bindings: number };
  isAdmin: boolean;
  /** An admin or a named payer: unpaid Bills offer Mark paid. */
  canPay?: boolean;
  recentInvoices: Invoice[];
  /** "Waiting for my approval" (src/slack/views/approvals-card.ts): invoices this person is asked to approve. */
  waitingForMe?: any[];
  /** Split summaries by invoice id. */
  splits?: Map<number, string>;
  /** This month's QuickBooks reads and queries for this workspace (Intuit meters them), shown to admins. */
  meteredThisMonth?: number;
}

/** Blocks the home view may use for itself; the rest of Slack's 100 belong to the invoice section. */
export const HOME_OWN_BLOCKS_MAX = 8;

export function connectionLine(c: HomeViewState['connection']): string {
  if (c.status === 'connected') {
    const soon =
      c.hardExpiresAt && c.hardExpiresAt - Date.now() <= EXPIRY_WARN_MS
        ? `\n:hourglass: The authorization ends ${expiryText(c.hardExpiresAt)}: an admin reconnects in settings.`
        : '';
    return `:white_check_mark: Connected to *${esc(c.companyName ?? 'QuickBooks')}*${soon}`;
  }
  if (c.status === 'needs_reconnect') return `:warning: QuickBooks needs reconnecting${c.reason ? `: ${esc(c.reason)}` : ''}`;
  return ':x: QuickBooks is not connected';
}

export function settingsSummary(s: HomeViewState): string {
  const lines = [
    `*Auto-sync:* ${s.settings.autoSync ? 'on' : 'off (invoices wait as ready)'}`,
    `*Default type:* ${s.settings.defaultType}`,
    `*Default purchase account:* ${s.purchaseAccount ? esc(accountLabel(s.purchaseAccount)) : 'not set'}`,
    `*Default expense account:* ${s.expenseAccount ? esc(accountLabel(s.expenseAccount)) : 'not set'}`,
    `*Projects & cost codes:* ${s.profiles.total}${s.profiles.unlinked ? ` (${s.profiles.unlinked} not linked)` : s.profiles.total ? ' (all linked)' : ''}`,
  ];
  if (s.isAdmin && s.meteredThisMonth !== undefined)
    lines.push(`*QuickBooks reads this month:* ${s.meteredThisMonth.toLocaleString('en-US')} (metered by Intuit)`);
  return lines.join('\n');
}

export function homeView(s: HomeViewState): any {
  const own: any[] = [
    { type: 'header', text: plain('QuickBooks invoices', 150) },
    { type: 'section', block_id: 'home_connection', text: mrkdwn(connectionLine(s.connection)) },
    { type: 'section', block_id: 'home_settings', text: mrkdwn(settingsSummary(s)) },
  ];
  if (s.isAdmin) {
    own.push({
      type: 'actions',
      block_id: 'home_admin',
      elements: [
        {
          type: 'button',
          action_id: HA.openSettings,
          text: plain('Open settings'),
          value: 'settings',
          ...(s.connection.status === 'connected' ? {} : { style: 'primary' }),
        },
      ],
    });
  } else {
    own.push({
      type: 'context',
      elements: [mrkdwn('Share an invoice PDF in a channel with the app, or use `/qbo upload`. `/qbo help` explains more.')],
    });
  }
  own.push({ type: 'divider' });
  own.push(...(s.waitingForMe ?? []));
  const rest = invoiceHomeBlocks(s.recentInvoices, 15, {
    syncNow: s.isAdmin && !s.settings.autoSync,
    markPaid: s.canPay ?? s.isAdmin,
    splits: s.splits,
  }).slice(0, 100 - own.length);
  return { type: 'home', blocks: [...own, ...rest] };
}
