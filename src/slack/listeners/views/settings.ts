import type { App, Middleware, SlackViewMiddlewareArgs, ViewOutput, ViewSubmitAction } from '@slack/bolt';
import { stateOf } from '../payload.ts';
import type { SlackDeps } from '../../deps.ts';
import { adminWithin, onFirstInput } from './admin-deadline.ts';
import { SB, SETTINGS_CALLBACK, changedFields, readSettingsState, readSnapshot } from '../../views/settings.ts';
import { LA, LINK_ADD_CALLBACK, LINK_BIND_CALLBACK, LINK_IMPORT_CALLBACK, childMeta } from '../../views/link-profiles.ts';
import { esc } from '../../views/common.ts';
import { buildLinkView, publishHome, updateView } from '../../settings-service.ts';
import { checkDraft, saveDraft } from '../../../app/settings.ts';
import { ADMIN_CHECK_LATE, draftErrorText } from '../../copy/settings.ts';
import { addProfile, bindChannel, KIND_LABEL } from '../../../workspace/profiles.ts';
import type { ProfileKind } from '../../../store/profiles.ts';

const NOT_ADMIN = 'Only workspace admins can change QuickBooks settings.';

/** The answer when the submitter is not an admin (a forged submission), or Slack did not say in time. */
const refusal = (view: ViewOutput, a: 'late' | null) => onFirstInput(view, a === 'late' ? ADMIN_CHECK_LATE : NOT_ADMIN);

/** Submissions of the settings modal and of the views pushed over the link modal. Every one re-checks admin. */
export function register(app: App, deps: SlackDeps) {
  app.view(SETTINGS_CALLBACK, saveSettings(deps));
  app.view(LINK_ADD_CALLBACK, addProfileSubmit(deps));
  app.view(LINK_IMPORT_CALLBACK, importSubmit(deps));
  app.view(LINK_BIND_CALLBACK, bindSubmit(deps));
}

type ViewHandler = Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>>;

/** The settings modal: the draft's accounts checked (src/app/settings.ts), then saved after the ack. */
function saveSettings(deps: SlackDeps): ViewHandler {
  return async ({ ack, body, view, client, context }) => {
    const a = await adminWithin(deps, client, body, context, SETTINGS_CALLBACK);
    if (!a || a === 'late') return void (await ack(refusal(view, a)));
    const draft = changedFields(readSettingsState(stateOf(view)), readSnapshot(view.private_metadata));
    const problems = await checkDraft(deps.engine, a.teamId, draft);
    if (problems) {
      const errors: Record<string, string> = {};
      if (problems.defaultPurchaseAccountId) errors[SB.purchaseAccount] = draftErrorText(problems.defaultPurchaseAccountId);
      if (problems.defaultExpenseAccountId) errors[SB.expenseAccount] = draftErrorText(problems.defaultExpenseAccountId);
      return void (await ack({ response_action: 'errors', errors }));
    }
    await ack();
    await saveDraft({ ...deps.engine, log: deps.log }, a, draft);
    await publishHome(deps, client, a.teamId, a.userId).catch((err) => deps.log.warn('home publish failed', { error: err }));
  };
}

/** Add a project or cost code (a unique name per kind). */
function addProfileSubmit(deps: SlackDeps): ViewHandler {
  return async ({ ack, body, view, client, context }) => {
    const a = await adminWithin(deps, client, body, context, LINK_ADD_CALLBACK);
    if (!a || a === 'late') return void (await ack(refusal(view, a)));
    const v = stateOf(view);
    const kind = (v.link_add_kind?.[LA.addKind]?.selected_option?.value ?? 'project') as ProfileKind;
    const name = String(v.link_add_name?.[LA.addName]?.value ?? '')
      .trim()
      .replace(/\s+/g, ' ');
    if (kind !== 'project' && kind !== 'cost_code')
      return void (await ack({ response_action: 'errors', errors: { link_add_kind: 'Choose Project or Cost code.' } }));
    if (!name) return void (await ack({ response_action: 'errors', errors: { link_add_name: 'A name is required.' } }));
    if (await deps.engine.store.profiles.findByName(a.teamId, kind, name)) {
      return void (await ack({
        response_action: 'errors',
        errors: { link_add_name: `A ${KIND_LABEL[kind]} named "${name}" already exists.` },
      }));
    }
    await ack();
    await addProfile(deps.engine.store, a.teamId, kind, name, undefined, a.userId);
    const parent = childMeta(view.private_metadata).parent;
    if (parent)
      await updateView(deps, client, parent, await buildLinkView(deps, a.teamId, 0, `Added the ${KIND_LABEL[kind]} *${esc(name)}*: link it below.`));
  };
}

/** Import QuickBooks customers and items as linked projects and cost codes. */
function importSubmit(deps: SlackDeps): ViewHandler {
  return async ({ ack, body, view, client, context }) => {
    const a = await adminWithin(deps, client, body, context, LINK_IMPORT_CALLBACK);
    if (!a || a === 'late') return void (await ack(refusal(view, a)));
    const v = stateOf(view);
    const picked = (block: string, action: string) => (v[block]?.[action]?.selected_options ?? []).map((o) => String(o.value));
    const customerIds = picked('link_import_customers', LA.importCustomers);
    const itemIds = picked('link_import_items', LA.importItems);
    const all = new Set<string>(picked('link_import_all', LA.importAll));
    if (!customerIds.length && !itemIds.length && !all.size) {
      return void (await ack({
        response_action: 'errors',
        errors: { link_import_customers: 'Choose what to import (or tick "Import all").' },
      }));
    }
    await ack();
    const { lists, store, sync } = deps.engine;
    const customers = all.has('customers')
      ? await lists.search(a.teamId, 'Customer', '', { limit: 100_000 })
      : (await lists.getMany(a.teamId, 'Customer', customerIds)).filter((x) => x.active);
    const items = all.has('items')
      ? await lists.search(a.teamId, 'Item', '', { limit: 100_000 })
      : (await lists.getMany(a.teamId, 'Item', itemIds)).filter((x) => x.active);
    // One transaction; counted inside it, since Postgres may run it again after losing a race.
    const { projects, costCodes } = await store.tx(async (s) => {
      let projects = 0;
      let costCodes = 0;
      for (const c of customers) {
        await addProfile(s, a.teamId, 'project', c!.fullName, { entity: 'Customer', id: c!.id, name: c!.fullName }, a.userId);
        projects++;
      }
      for (const i of items) {
        await addProfile(s, a.teamId, 'cost_code', i!.fullName, { entity: 'Item', id: i!.id, name: i!.fullName }, a.userId);
        costCodes++;
      }
      return { projects, costCodes };
    });
    const resumed = await sync.resumeBlocked(a.teamId, a.userId);
    deps.log.info('profiles imported from qbo', { teamId: a.teamId, projects, costCodes, resumed: resumed.length });
    const parent = childMeta(view.private_metadata).parent;
    const notice = `:white_check_mark: Imported and linked ${projects} project${projects === 1 ? '' : 's'} and ${costCodes} cost code${costCodes === 1 ? '' : 's'}.`;
    if (parent) await updateView(deps, client, parent, await buildLinkView(deps, a.teamId, 0, notice));
  };
}

/** Bind a channel to a project: invoices shared there default to it. */
function bindSubmit(deps: SlackDeps): ViewHandler {
  return async ({ ack, body, view, client, context }) => {
    const a = await adminWithin(deps, client, body, context, LINK_BIND_CALLBACK);
    if (!a || a === 'late') return void (await ack(refusal(view, a)));
    const v = stateOf(view);
    const channelId = v.link_bind_channel?.[LA.bindChannel]?.selected_conversation ?? undefined;
    const projectId = Number(v.link_bind_project?.[LA.bindProject]?.selected_option?.value);
    if (!channelId || !/^[CG][A-Z0-9]+$/.test(channelId))
      return void (await ack({ response_action: 'errors', errors: { link_bind_channel: 'Choose a channel.' } }));
    const project = Number.isInteger(projectId) ? await deps.engine.store.profiles.get(a.teamId, projectId) : null;
    if (project?.kind !== 'project') return void (await ack({ response_action: 'errors', errors: { link_bind_project: 'Choose a project.' } }));
    await ack();
    await bindChannel(deps.engine.store, a.teamId, channelId, project.id, a.userId);
    const parent = childMeta(view.private_metadata).parent;
    if (parent)
      await updateView(
        deps,
        client,
        parent,
        await buildLinkView(deps, a.teamId, 0, `:white_check_mark: Invoices shared in <#${channelId}> now default to *${esc(project.name)}*.`),
      );
  };
}
