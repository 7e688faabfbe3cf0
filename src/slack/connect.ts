import type { Connected, ConnectDeps } from '../app/connect.ts';
import { connectedBlocks } from './connection-notices.ts';
import type { SlackDeps } from './deps.ts';
import { dm } from './notify.ts';
import { lastSettingsView, publishHome, refreshNotice, settingsState, updateView } from './settings-service.ts';
import { esc } from './views/common.ts';
import { settingsView } from './views/settings.ts';

/**
 * The Slack side of connecting QuickBooks: the connect use case's ports. Whether the person is still an admin
 * (asked of Slack, fails closed), and the announcement of a new connection: the settings modal they connected from
 * shows the company, a DM (through the outbox) names it and offers Disconnect, and their App Home is refreshed.
 */
export function connectDeps(deps: SlackDeps): ConnectDeps {
  const { engine, config, log } = deps;
  return {
    store: engine.store,
    oauth: engine.oauth,
    connections: engine.connections,
    qbo: engine.qbo,
    lists: engine.lists,
    sync: engine.sync,
    encryptionKey: config.encryptionKey,
    log,
    async isAdmin(teamId, userId) {
      try {
        return await deps.admins.isAdmin(await deps.clientFor(teamId), teamId, userId);
      } catch (err) {
        log.warn('admin check for connect failed', { teamId, error: err });
        return false;
      }
    },
    announce: (c) => announceConnected(deps, c),
  };
}

async function announceConnected(deps: SlackDeps, c: Connected): Promise<void> {
  const { teamId, userId } = c;
  const viewId = c.viewId ?? lastSettingsView(teamId, userId);
  const company = c.companyName ?? 'your QuickBooks company';
  const client = await deps.clientFor(teamId);
  if (viewId) {
    const notice = refreshNotice(c.refresh, { force: true }) ?? `:white_check_mark: Connected to *${esc(company)}*.`;
    await updateView(deps, client, viewId, settingsView(await settingsState(deps, teamId, userId, { viewId, notice })));
  }
  const { text, blocks } = connectedBlocks(company, c.resumed);
  await dm(deps, teamId, [userId], { text, blocks });
  await publishHome(deps, client, teamId, userId).catch(() => {});
}
