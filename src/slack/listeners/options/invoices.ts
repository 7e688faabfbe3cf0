import type { App, BlockSuggestion } from '@slack/bolt';
import { type Suggestions, teamIdOf } from '../payload.ts';
import type { SlackDeps } from '../../deps.ts';
import { accountLabel, listOption, option, truncate, MAX_OPTION_TEXT, MAX_OPTIONS } from '../../views/common.ts';
import { FIELD } from '../../views/invoice-review.ts';
import { adminActor } from '../settings-guard.ts';
import { withinBudget } from './bounded.ts';
import { ACTION } from '../../views/invoice-common.ts';
import { linkValue } from '../../views/link-profiles.ts';
import type { ProfileKind } from '../../../store/profiles.ts';

/**
 * Suggestions for the review modal's pickers and the admins' fix-it pickers, from the local QBO cache and the local
 * profiles (Slack wants the answer within 3 s; no QBO call here).
 */
export function register(app: App, deps: SlackDeps) {
  const { lists, store, connections } = deps.engine;

  /** `adminOnly`: the admins' fix-it pickers; anyone else gets no options (checked server-side, as for settings). */
  const answer = (
    actionId: string,
    build: (teamId: string, query: string, body: BlockSuggestion) => Suggestions | Promise<Suggestions>,
    o: { adminOnly?: boolean } = {},
  ) =>
    app.options(actionId, async ({ ack, body, client, context }) => {
      let teamId = teamIdOf(body, context);
      if (o.adminOnly) {
        const a = await withinBudget(
          adminActor(deps, client, body, context, actionId).catch(() => null),
          null,
        );
        if (!a) return void (await ack({ options: [] }));
        teamId = a.teamId;
      }
      try {
        if (!teamId) return void (await ack({ options: [] }));
        await ack(await build(teamId, String(body.value ?? ''), body));
      } catch (err) {
        deps.log.error('invoice suggestions failed', { actionId, error: err });
        await ack({ options: [] });
      }
    });

  answer(FIELD.vendor, async (teamId, q) => {
    const found = (await lists.search(teamId, 'Vendor', q, { limit: MAX_OPTIONS - 1 })).map(listOption);
    const name = q.trim().replace(/\s+/g, ' ');
    const exact = found.some((o) => o.text.text.toLowerCase() === name.toLowerCase());
    if (name.length >= 2 && !exact && (await connections.isConnected(teamId))) {
      const value = `new:${name}`.slice(0, MAX_OPTION_TEXT);
      found.push(option(truncate(`➕ New vendor: ${name}`, MAX_OPTION_TEXT), value));
    }
    return { options: found };
  });

  answer(FIELD.account, async (teamId, q) => ({ options: (await lists.purchaseAccounts(teamId, q, MAX_OPTIONS)).map(listOption) }));

  const profiles = (kind: ProfileKind) => async (teamId: string, q: string) => ({
    options: (await store.profiles.search(teamId, kind, q, MAX_OPTIONS)).map((p) =>
      option(`${p.name}${p.qboId ? '' : ' (not linked)'}`, String(p.id)),
    ),
  });
  answer(FIELD.project, profiles('project'));
  answer(FIELD.costCode, profiles('cost_code'));

  answer(ACTION.fixLink, (teamId, q, body) => linkTargets(deps, teamId, q, body), { adminOnly: true });

  answer(ACTION.fixAccount, async (teamId, q) => ({ options: (await lists.purchaseAccounts(teamId, q, MAX_OPTIONS)).map(listOption) }), {
    adminOnly: true,
  });
  answer(ACTION.fixExpense, async (teamId, q) => ({ options: (await lists.expenseAccounts(teamId, q, MAX_OPTIONS)).map(listOption) }), {
    adminOnly: true,
  });
}

/** The admins' fix-it link picker: QBO customers for a project, items and expense accounts for a cost code. */
async function linkTargets(deps: SlackDeps, teamId: string, q: string, body: BlockSuggestion): Promise<Suggestions> {
  const { lists, store } = deps.engine;
  const profileId = Number(String(body.block_id ?? '').split(':')[1]);
  const p = Number.isInteger(profileId) ? await store.profiles.get(teamId, profileId) : null;
  if (!p) return { options: [] };
  if (p.kind === 'project') {
    const customers = await lists.search(teamId, 'Customer', q, { limit: MAX_OPTIONS });
    return { options: customers.map((c) => option(c.fullName, linkValue('Customer', c.id))) };
  }
  const [itemRows, accountRows] = await Promise.all([lists.search(teamId, 'Item', q, { limit: 50 }), lists.expenseAccounts(teamId, q, 50)]);
  const items = itemRows.map((i) => option(i.fullName, linkValue('Item', i.id)));
  const accounts = accountRows.map((a) => option(accountLabel(a), linkValue('Account', a.id)));
  const groups = [
    ...(items.length ? [{ label: { type: 'plain_text' as const, text: 'Items' }, options: items }] : []),
    ...(accounts.length ? [{ label: { type: 'plain_text' as const, text: 'Expense accounts' }, options: accounts }] : []),
  ];
  return groups.length ? { option_groups: groups } : { options: [] };
}
