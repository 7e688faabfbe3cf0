import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { CommandArgs } from './index.ts';
import type { SlackDeps } from '../../deps.ts';
import { accountLabel } from '../../views/common.ts';
import { reviewModal, type ReviewValues } from '../../views/invoice-review.ts';

/** The upload modal: the review modal's fields with a file input, the workspace defaults and the channel's project preselected. */
export async function uploadView(deps: SlackDeps, teamId: string, channelId: string | null): Promise<ModalView> {
  const { store, lists } = deps.engine;
  const settings = await deps.engine.store.workspaces.getSettings(teamId);
  const account = settings.defaultPurchaseAccountId ? await lists.get(teamId, 'Account', settings.defaultPurchaseAccountId) : null;
  const project = channelId ? await store.profiles.channelProject(teamId, channelId) : null;
  const values: ReviewValues = {
    txnType: settings.defaultType,
    account: account?.active ? { id: account.id, label: accountLabel(account) } : null,
    project: project ? { id: String(project.id), label: `${project.name}${project.qboId ? '' : ' (not linked)'}` } : null,
    costCode: null,
    vendor: null,
    amountCents: null,
    invoiceNumber: null,
    invoiceDate: null,
    dueDate: null,
    memo: null,
  };
  return reviewModal({
    mode: 'upload',
    channelId,
    autoSync: settings.autoSync,
    values,
    notConnected: !(await deps.engine.connections.isConnected(teamId)),
  });
}

export async function openUpload(deps: SlackDeps, client: WebClient, p: { teamId: string; triggerId: string; channelId: string | null }) {
  await client.views.open({ trigger_id: p.triggerId, view: await uploadView(deps, p.teamId, p.channelId) });
}

/** `/qbo upload`: for invoices that did not come through a channel (e-mail, a download). */
export async function uploadCommand(a: CommandArgs): Promise<void> {
  const { command, client, deps } = a;
  const channelId = command.channel_id && !command.channel_id.startsWith('D') ? command.channel_id : null;
  await openUpload(deps, client, { teamId: command.team_id, triggerId: command.trigger_id, channelId });
}
