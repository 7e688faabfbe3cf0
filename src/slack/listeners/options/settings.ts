import type { App, BlockSuggestion } from '@slack/bolt';
import type { Suggestions } from '../payload.ts';
import type { SlackDeps } from '../../deps.ts';
import { adminActor } from '../settings-guard.ts';
import { withinBudget } from './bounded.ts';
import { SA } from '../../views/settings.ts';
import { LA, UNLINK_VALUE, linkValue, profileIdOfRow } from '../../views/link-profiles.ts';
import { accountLabel, listOption, option, truncate } from '../../views/common.ts';
import type { ListItem } from '../../../qbo/lists.ts';

/**
 * block_suggestion answers for the settings pickers, straight from the local QBO cache (fast, no 100-option cap on
 * the list itself: the query narrows it). Non-admins get no options.
 */
export function register(app: App, deps: SlackDeps) {
  const { lists, store } = deps.engine;

  const answer = (id: string, build: (teamId: string, query: string, body: BlockSuggestion) => Suggestions | Promise<Suggestions>) =>
    app.options(id, async ({ ack, body, client, context }) => {
      const a = await withinBudget(adminActor(deps, client, body, context, id), null);
      if (!a) return void (await ack({ options: [] }));
      try {
        await ack(await build(a.teamId, String(body.value ?? ''), body));
      } catch (err) {
        deps.log.error('suggestions failed', { id, error: err });
        await ack({ options: [] });
      }
    });

  answer(SA.purchaseAccount, async (teamId, q) => ({ options: (await lists.purchaseAccounts(teamId, q, 100)).map(listOption) }));
  answer(SA.expenseAccount, async (teamId, q) => ({ options: (await lists.expenseAccounts(teamId, q, 100)).map(listOption) }));

  const tagged = (items: ListItem[], entity: 'Customer' | 'Item' | 'Account') =>
    items.map((i) => option(entity === 'Account' ? accountLabel(i) : i.fullName, linkValue(entity, i.id)));

  answer(LA.pick, async (teamId, q, body) => {
    const id = profileIdOfRow(body.block_id);
    const p = id != null ? await store.profiles.get(teamId, id) : null;
    if (!p) return { options: [] };
    const wantsUnlink = !!p.qboId && (!q.trim() || /^(un|not|no)/i.test(q.trim()));
    const unlink = option('Not linked (unlink)', UNLINK_VALUE);
    if (p.kind === 'project') {
      const opts = tagged(await lists.search(teamId, 'Customer', q, { limit: 99 }), 'Customer');
      return { options: wantsUnlink ? [unlink, ...opts] : opts };
    }
    const [items, accounts] = await Promise.all([lists.search(teamId, 'Item', q, { limit: 50 }), lists.expenseAccounts(teamId, q, 50)]);
    const label = (text: string) => ({ type: 'plain_text' as const, text });
    const groups = [
      { label: label('Items'), options: tagged(items, 'Item') },
      { label: label('Expense accounts'), options: tagged(accounts, 'Account') },
    ].filter((g) => g.options.length);
    if (wantsUnlink) groups.unshift({ label: label('Link'), options: [unlink] });
    return groups.length ? { option_groups: groups } : { options: [] };
  });

  answer(LA.importCustomers, async (teamId, q) => ({ options: (await lists.search(teamId, 'Customer', q, { limit: 100 })).map(listOption) }));
  answer(LA.importItems, async (teamId, q) => ({ options: (await lists.search(teamId, 'Item', q, { limit: 100 })).map(listOption) }));

  answer(LA.bindProject, async (teamId, q) => ({
    options: (await store.profiles.search(teamId, 'project', q, 100)).map((p) => option(truncate(p.name, 75), String(p.id))),
  }));
}
