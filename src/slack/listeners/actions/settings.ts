import type { App, BlockAction, BlockElementAction } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { SlackDeps } from '../../deps.ts';
import { adminActor } from '../settings-guard.ts';
import { actionValue } from '../payload.ts';
import { SA, readSettingsState, settingsView } from '../../views/settings.ts';
import { HA } from '../../views/home.ts';
import { LA, addProfileView, bindChannelView, importView, linkPageOf, parseLinkValue, profileIdOfRow } from '../../views/link-profiles.ts';
import { buildLinkView, openSettings, settingsState, syncFromQbo, updateView } from '../../settings-service.ts';
import { linkProfile, unlinkProfile, linkTargetFits, KIND_LABEL } from '../../../workspace/profiles.ts';
import { esc } from '../../views/common.ts';

/** Buttons and pickers of the settings modal, the link modal, the App Home and the admin DMs. Every one re-checks admin. */
export function register(app: App, deps: SlackDeps) {
  registerConnection(app, deps);
  registerLinks(app, deps);
}

/** The settings modal's buttons (connect, disconnect, the DM's disconnect, refresh lists, open the link modal). */
function registerConnection(app: App, deps: SlackDeps) {
  // URL buttons still send block_actions; the browser does the work (GET /qbo/connect).
  app.action<BlockAction>(SA.connect, async ({ ack }) => {
    await ack();
  });

  app.action<BlockAction>(SA.disconnect, async ({ ack, body, client, context }) => {
    await ack();
    const a = await adminActor(deps, client, body, context, SA.disconnect);
    if (!a) return;
    const view = body.view;
    const { revoked } = await deps.engine.connections.disconnect(a.teamId);
    deps.log.info('qbo disconnected by admin', { teamId: a.teamId, userId: a.userId, revoked });
    const notice = revoked
      ? ':white_check_mark: Disconnected. The authorization was revoked at Intuit and deleted here.'
      : ':white_check_mark: Disconnected here. (Intuit could not be reached to revoke the authorization; it expires on its own.)';
    if (view?.id) {
      const draft = readSettingsState(view.state?.values);
      await updateView(
        deps,
        client,
        view.id,
        settingsView(await settingsState(deps, a.teamId, a.userId, { viewId: view.id, draft, notice })),
        view.hash,
      );
    }
  });

  // Disconnect from the admins' "connected" DM: admin-checked here, whoever sent the click.
  app.action<BlockAction>(SA.dmDisconnect, async ({ ack, body, client, context }) => {
    await ack();
    const a = await adminActor(deps, client, body, context, SA.dmDisconnect);
    await dmDisconnect(deps, client, body, a);
  });

  app.action<BlockAction>(SA.refreshLists, async ({ ack, body, client, context }) => {
    await ack();
    const a = await adminActor(deps, client, body, context, SA.refreshLists);
    if (!a) return;
    const view = body.view;
    const draft = readSettingsState(view?.state?.values);
    const first = view?.id
      ? await updateView(
          deps,
          client,
          view.id,
          settingsView(await settingsState(deps, a.teamId, a.userId, { viewId: view.id, draft, loading: true })),
          view.hash,
        )
      : null;
    const { notice } = await syncFromQbo(deps, a.teamId, { force: true });
    if (view?.id)
      await updateView(
        deps,
        client,
        view.id,
        settingsView(await settingsState(deps, a.teamId, a.userId, { viewId: view.id, draft, notice })),
        first?.hash,
      );
  });

  app.action<BlockAction>(SA.openLinks, async ({ ack, body, client, context }) => {
    await ack();
    const a = await adminActor(deps, client, body, context, SA.openLinks);
    if (!a) return;
    await client.views.push({ trigger_id: body.trigger_id, view: await buildLinkView(deps, a.teamId, 0) });
  });
}

/** Open settings (App Home, admin DMs) and the link modal's buttons and pickers (page, link/unlink, add, import, bind). */
function registerLinks(app: App, deps: SlackDeps) {
  // "Open settings" from the App Home or from an admin DM.
  for (const id of [SA.open, HA.openSettings]) {
    app.action<BlockAction>(id, async ({ ack, body, client, context }) => {
      await ack();
      const a = await adminActor(deps, client, body, context, id);
      if (!a) return;
      await openSettings(deps, client, { teamId: a.teamId, userId: a.userId, triggerId: body.trigger_id });
    });
  }

  // ---- Link projects & cost codes ----

  app.action<BlockAction>(LA.pick, async ({ ack, body, action, client, context }) => {
    await ack();
    const a = await adminActor(deps, client, body, context, LA.pick);
    if (!a) return;
    const view = body.view;
    const notice = await pickNotice(deps, a, action);
    if (view?.id) await updateView(deps, client, view.id, await buildLinkView(deps, a.teamId, linkPageOf(view.private_metadata), notice), view.hash);
  });

  for (const id of [LA.prev, LA.next]) {
    app.action<BlockAction>(id, async ({ ack, body, action, client, context }) => {
      await ack();
      const a = await adminActor(deps, client, body, context, id);
      if (!a) return;
      const view = body.view;
      const page = Math.max(0, Number(actionValue(action)) || 0);
      if (view?.id) await updateView(deps, client, view.id, await buildLinkView(deps, a.teamId, page), view.hash);
    });
  }

  const pushers: Array<[string, (parent: string | null) => ModalView]> = [
    [LA.add, addProfileView],
    [LA.import, importView],
    [LA.bind, bindChannelView],
  ];
  for (const [id, build] of pushers) {
    app.action<BlockAction>(id, async ({ ack, body, client, context }) => {
      await ack();
      const a = await adminActor(deps, client, body, context, id);
      if (!a) return;
      await client.views.push({ trigger_id: body.trigger_id, view: build(body.view?.id ?? null) });
    });
  }

  app.action<BlockAction>(LA.unbind, async ({ ack, body, action, client, context }) => {
    await ack();
    const a = await adminActor(deps, client, body, context, LA.unbind);
    if (!a) return;
    const channelId = String(actionValue(action) ?? '');
    await deps.engine.store.profiles.unbind(a.teamId, channelId);
    const view = body.view;
    if (view?.id) {
      await updateView(
        deps,
        client,
        view.id,
        await buildLinkView(deps, a.teamId, linkPageOf(view.private_metadata), `Unbound <#${channelId}>.`),
        view.hash,
      );
    }
  });
}

/** The connected DM's disconnect button, after the admin check (`a` is null for a non-admin). */
async function dmDisconnect(deps: SlackDeps, client: WebClient, b: BlockAction, a: Awaited<ReturnType<typeof adminActor>>) {
  if (!a) {
    const userId = b.user?.id;
    if (userId) await client.chat.postMessage({ channel: userId, text: 'Only QuickBooks admins can disconnect QuickBooks.' }).catch(() => {});
    return;
  }
  const company = (await deps.engine.connections.get(a.teamId))?.companyName ?? 'QuickBooks';
  const { revoked } = await deps.engine.connections.disconnect(a.teamId);
  deps.log.info('qbo disconnected by admin from the connected DM', { teamId: a.teamId, userId: a.userId, revoked });
  const text = `:white_check_mark: <@${a.userId}> disconnected *${esc(company)}*${revoked ? ' (the authorization was revoked at Intuit)' : ''}. Connect again from \`/qbo settings\`.`;
  const channel = b.container?.channel_id ?? b.channel?.id;
  const ts = b.container?.message_ts ?? b.message?.ts;
  if (channel && ts)
    await client.chat
      .update({ channel, ts, text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] })
      .catch((err) => deps.log.warn('connected DM update failed', { error: err }));
}

/** Links or unlinks the picked row's profile; returns the notice shown on the link modal. */
async function pickNotice(deps: SlackDeps, a: { teamId: string; userId: string }, act: BlockElementAction): Promise<string> {
  const profileId = profileIdOfRow(act.block_id);
  const profile = profileId != null ? await deps.engine.store.profiles.get(a.teamId, profileId) : null;
  const chosen = parseLinkValue(('selected_option' in act ? act.selected_option?.value : null) ?? '');
  let notice: string;
  if (!profile || !chosen) {
    notice = ':warning: That project or cost code no longer exists.';
  } else if (chosen === 'unlink') {
    await unlinkProfile(deps.engine.store, a.teamId, profile.id, a.userId);
    notice = `Unlinked the ${KIND_LABEL[profile.kind]} *${esc(profile.name)}*. Invoices using it wait until it is linked again.`;
  } else {
    const item = await deps.engine.lists.get(a.teamId, chosen.entity, chosen.id);
    if (!item || !linkTargetFits(profile.kind, chosen.entity, item)) {
      notice = `:warning: That QuickBooks entry can't be used for the ${KIND_LABEL[profile.kind]} *${esc(profile.name)}*. Refresh the lists and pick again.`;
    } else {
      await linkProfile(deps.engine.store, a.teamId, profile.id, { entity: chosen.entity, id: item.id, name: item.fullName }, a.userId);
      const resumed = await deps.engine.sync.resumeBlocked(a.teamId, a.userId);
      notice = `:white_check_mark: Linked *${esc(profile.name)}* to ${esc(item.fullName)}.${resumed.length ? ` ${resumed.length} waiting invoice${resumed.length === 1 ? '' : 's'} resent.` : ''}`;
    }
  }
  return notice;
}
