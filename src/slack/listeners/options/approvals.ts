import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.ts';
import { listOption, option, MAX_OPTIONS, type Option } from '../../views/common.ts';
import { AA } from '../../views/approvals-settings.ts';
import { adminActor } from '../settings-guard.ts';
import { withinBudget } from './bounded.ts';

/** The Approvals settings pickers (admins only): projects, cost codes, QuickBooks vendors, from the local data. */
export function register(app: App, deps: SlackDeps) {
  const { store, lists } = deps.engine;
  const answer = (actionId: string, build: (teamId: string, q: string) => Option[] | Promise<Option[]>) =>
    app.options(actionId, async ({ ack, body, client, context }) => {
      const a = await withinBudget(
        adminActor(deps, client, body, context, actionId).catch(() => null),
        null,
      );
      if (!a) return void (await ack({ options: [] }));
      await ack({ options: await build(a.teamId, String((body as { value?: string }).value ?? '')) });
    });
  const profiles = (kind: 'project' | 'cost_code') => async (teamId: string, q: string) =>
    (await store.profiles.search(teamId, kind, q, MAX_OPTIONS)).map((p) => option(p.name, String(p.id)));
  answer(AA.project, profiles('project'));
  answer(AA.approversProject, profiles('project'));
  answer(AA.costCode, profiles('cost_code'));
  answer(AA.vendor, async (teamId, q) => (await lists.search(teamId, 'Vendor', q, { limit: MAX_OPTIONS })).map(listOption));
}
