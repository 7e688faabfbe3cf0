import type { SlackDeps } from './deps.ts';
import { dm } from './notify.ts';
import { esc, mrkdwn, plain } from './views/common.ts';
import { NOTICE_NEEDS_RECONNECT } from '../app/connect.ts';
import { SA } from './views/settings.ts';

/**
 * One admin DM when a workspace's QBO connection stops working (not one per invoice): the admin_notices row
 * (team, cause) is claimed first; it is released when QuickBooks is connected again. Returns an unsubscribe.
 */
export function wireConnectionNotices(deps: SlackDeps): () => void {
  const { connections } = deps.engine;
  const previous = connections.onNeedsReconnect;
  connections.onNeedsReconnect = (teamId, reason) => {
    previous(teamId, reason);
    void notifyNeedsReconnect(deps, teamId, reason).catch((err) => deps.log.warn('reconnect notice failed', { teamId, error: err }));
  };
  return () => {
    connections.onNeedsReconnect = previous;
  };
}

export function reconnectBlocks(companyName: string | null, reason: string): any[] {
  reason = reason.trim().replace(/\.+$/, '');
  return [
    {
      type: 'section',
      text: mrkdwn(
        `:warning: *QuickBooks needs to be reconnected*${companyName ? ` (${esc(companyName)})` : ''}.\n${esc(reason)}.\n` +
          'Invoices are kept and wait; they resend themselves once QuickBooks is connected again.',
      ),
    },
    {
      type: 'actions',
      elements: [{ type: 'button', action_id: SA.open, text: plain('Reconnect QuickBooks'), style: 'primary', value: 'reconnect' }],
    },
  ];
}

/** The "connected" DM: names the company (a wrong one is seen at once) and offers Disconnect right there. */
export function connectedBlocks(companyName: string, resumed: number): { text: string; blocks: any[] } {
  const text =
    `:white_check_mark: QuickBooks is connected to *${esc(companyName)}*.` +
    (resumed
      ? ` ${resumed} invoice${resumed === 1 ? ' that was' : 's that were'} waiting for the connection ${resumed === 1 ? 'was' : 'were'} resent.`
      : '') +
    ' Choose the default purchase account in `/qbo settings` if you have not yet.';
  return {
    text,
    blocks: [
      { type: 'section', block_id: 'connection_connected', text: mrkdwn(text) },
      { type: 'context', elements: [mrkdwn('Not the company you meant? Disconnect it now; nothing is booked until an invoice is synced.')] },
      {
        type: 'actions',
        block_id: 'connection_actions',
        elements: [{ type: 'button', action_id: SA.dmDisconnect, text: plain('Disconnect'), style: 'danger', value: 'disconnect' }],
      },
    ],
  };
}

async function notifyNeedsReconnect(deps: SlackDeps, teamId: string, reason: string) {
  if (!(await deps.engine.store.notices.claim(teamId, NOTICE_NEEDS_RECONNECT))) return;
  const client = await deps.clientFor(teamId);
  const conn = await deps.engine.connections.get(teamId);
  const admins = new Set(await deps.admins.list(client, teamId));
  if (conn?.connectedBy) admins.add(conn.connectedBy);
  const text = `QuickBooks needs to be reconnected: ${reason.trim().replace(/\.+$/, '')}. Open /qbo settings to reconnect.`;
  // Through notify's dm(): a DM Slack refuses now is queued and retried with backoff, so no admin misses it.
  await dm(deps, teamId, [...admins], { text, blocks: reconnectBlocks(conn?.companyName ?? null, reason) });
}
