import { STATUS_ORDER } from '../../../invoices/lifecycle.ts';
import type { CommandArgs } from './index.ts';
import type { SlackDeps } from '../../deps.ts';
import { accountLabel, esc } from '../../views/common.ts';
import { helpText } from '../../views/help.ts';
import { expiryText } from '../../expiry-notices.ts';
import { openSettings, profileCounts, validPurchaseAccount } from '../../settings-service.ts';

/** `/qbo settings`: admins get the settings modal at once; anyone else a short ephemeral refusal. */
export async function settingsCommand({ command, client, respond, deps }: CommandArgs): Promise<void> {
  const { team_id: teamId, user_id: userId } = command;
  if (!(await deps.admins.isAdmin(client, teamId, userId))) {
    await respond({ response_type: 'ephemeral', text: 'Only workspace admins can change QuickBooks settings. Ask an admin, or try `/qbo status`.' });
    return;
  }
  await openSettings(deps, client, { teamId, userId, triggerId: command.trigger_id });
}

/**
 * `/qbo status`: connection, Auto-sync, defaults, unlinked profiles, invoices by status. Anyone may ask. A few
 * indexed reads and no Slack call, so the answer is the command's ack itself (no response_url round trip).
 */
export async function statusText(deps: SlackDeps, teamId: string): Promise<string> {
  const { connections, invoices } = deps.engine;
  const c = await connections.get(teamId);
  const s = await deps.engine.store.workspaces.getSettings(teamId);
  const pa = s.defaultPurchaseAccountId ? (await validPurchaseAccount(deps, teamId, s.defaultPurchaseAccountId)).item : null;
  const p = await profileCounts(deps, teamId);
  const counts = await invoices.countByStatus(teamId);
  const inv = STATUS_ORDER.filter((k) => counts[k]).map((k) => `${counts[k]} ${k.replace('_', ' ')}`);
  const lines = [
    c?.status === 'connected'
      ? `:white_check_mark: QuickBooks: connected to *${esc(c.companyName ?? 'your company')}*`
      : c?.status === 'needs_reconnect'
        ? ':warning: QuickBooks: needs reconnecting (an admin can do it in `/qbo settings`)'
        : ':x: QuickBooks: not connected (an admin can connect it in `/qbo settings`)',
    ...(c?.status === 'connected' && c.refreshHardExpiresAt
      ? [
          `${c.refreshHardExpiresAt - Date.now() <= 30 * 86_400_000 ? ':hourglass: ' : ''}QuickBooks authorization ends ${expiryText(c.refreshHardExpiresAt)}${c.refreshHardExpiresAt - Date.now() <= 30 * 86_400_000 ? ': an admin should reconnect before then in `/qbo settings`' : ''}`,
        ]
      : []),
    `Auto-sync: *${s.autoSync ? 'on' : 'off'}* · Default type: *${s.defaultType}* · Default purchase account: *${pa ? esc(accountLabel(pa)) : 'not set'}*`,
    `Projects & cost codes: ${p.total}${p.unlinked ? ` (*${p.unlinked} not linked*)` : ''}`,
    `Invoices: ${inv.length ? inv.join(', ') : 'none yet'}`,
  ];
  return lines.join('\n');
}

/** `/qbo help` (also every unknown subcommand). */
export async function helpCommand({ command, client, respond, deps }: CommandArgs): Promise<void> {
  const admin = await deps.admins.isAdmin(client, command.team_id, command.user_id);
  const sub = command.text.trim().split(/\s+/)[0];
  const known = ['', 'help'];
  const prefix = known.includes(sub.toLowerCase()) ? '' : `I don't know \`/qbo ${sub}\`.\n`;
  await respond({ response_type: 'ephemeral', text: prefix + helpText(admin) });
}
