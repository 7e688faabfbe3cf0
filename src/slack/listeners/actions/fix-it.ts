import type { SlackDeps } from '../../deps.ts';
import { KIND_LABEL, linkProfile, linkTargetFits } from '../../../workspace/profiles.ts';
import { accountFits } from '../../../qbo/accounts.ts';
import { parseLinkValue } from '../../views/link-profiles.ts';
import { adminNoticeResolved } from '../../views/invoice-admin.ts';
import { blockedCount, noticeKey } from '../../notify.ts';
import { type ActionHandler, type Ctx, ctxOf, tell } from './invoice-context.ts';

/** The admins' fix-it DM: link a profile, set a default account, resend what waited. Every one re-checks admin. */

/** The fix-it DM after a fix: the notice resolved and the message rewritten to say who did what. */
async function fixed(deps: SlackDeps, c: Ctx, cause: string, reason: string, done: string, resumedCount: number) {
  await deps.engine.store.notices.resolve(c.teamId, noticeKey(cause));
  const msg = adminNoticeResolved({
    reason,
    done,
    by: c.userId,
    resent: resumedCount,
    stillWaiting: await blockedCount(deps, c.teamId, cause),
  });
  const channel = c.body.container?.channel_id ?? c.body.channel?.id;
  const ts = c.body.container?.message_ts ?? c.body.message?.ts;
  if (channel && ts)
    await c.client.chat
      .update({ channel, ts, text: msg.text, blocks: msg.blocks })
      .catch((err) => deps.log.warn('admin notice update failed', { error: err }));
}

async function requireAdmin(deps: SlackDeps, c: Ctx): Promise<boolean> {
  if (await deps.admins.isAdmin(c.client, c.teamId, c.userId)) return true;
  await tell(deps, c, 'Only QuickBooks admins can do this.');
  return false;
}

export function fixLink(deps: SlackDeps): ActionHandler {
  const { engine } = deps;
  return async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body, client, context);
    if (!(await requireAdmin(deps, c))) return;
    const action = body.actions[0];
    const profileId = Number(String(action?.block_id ?? '').split(':')[1]);
    const p = Number.isInteger(profileId) ? await engine.store.profiles.get(c.teamId, profileId) : null;
    const chosen = parseLinkValue(String(c.value ?? ''));
    if (!p || !chosen || chosen === 'unlink') return void (await tell(deps, c, 'That choice is no longer valid; open `/qbo settings` to link it.'));
    const { entity, id } = chosen;
    const target = await engine.lists.get(c.teamId, entity, id);
    // The same rule as the settings picker: a forged or stale value is refused, not linked.
    if (!target || !linkTargetFits(p.kind, entity, target)) {
      return void (await tell(
        deps,
        c,
        `That QuickBooks entry can't be used for the ${KIND_LABEL[p.kind]} “${p.name}”. Pick another, or open \`/qbo settings\`.`,
      ));
    }
    try {
      await linkProfile(engine.store, c.teamId, p.id, { entity, id, name: target.fullName }, c.userId);
    } catch (err) {
      return void (await tell(deps, c, `:x: ${err instanceof Error ? err.message : err}`));
    }
    const cause = `unlinked:${p.kind}:${p.id}`;
    const resumed = await engine.sync.resumeBlocked(c.teamId, c.userId, [cause]);
    await fixed(
      deps,
      c,
      cause,
      `The ${KIND_LABEL[p.kind]} “${p.name}” is not linked to QuickBooks`,
      `linked “${p.name}” to ${target?.fullName ?? id}`,
      resumed.length,
    );
  };
}

export function fixAccount(deps: SlackDeps): ActionHandler {
  const { engine } = deps;
  return async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body, client, context);
    if (!(await requireAdmin(deps, c))) return;
    const a = c.value ? await engine.lists.get(c.teamId, 'Account', c.value) : null;
    if (!a || !accountFits(a, 'purchase')) return void (await tell(deps, c, 'Choose an active Bank or Credit Card account.'));
    await engine.store.workspaces.updateSettings(c.teamId, { defaultPurchaseAccountId: a.id }, c.userId);
    const resumed = await engine.sync.resumeBlocked(c.teamId, c.userId, ['no_purchase_account']);
    await fixed(deps, c, 'no_purchase_account', 'No purchase account is chosen', `set the default purchase account to ${a.fullName}`, resumed.length);
  };
}

export function fixExpense(deps: SlackDeps): ActionHandler {
  const { engine } = deps;
  return async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body, client, context);
    if (!(await requireAdmin(deps, c))) return;
    const a = c.value ? await engine.lists.get(c.teamId, 'Account', c.value) : null;
    if (!a || !accountFits(a, 'expense')) return void (await tell(deps, c, 'Choose an active expense account.'));
    await engine.store.workspaces.updateSettings(c.teamId, { defaultExpenseAccountId: a.id }, c.userId);
    const resumed = await engine.sync.resumeBlocked(c.teamId, c.userId, ['no_expense_account']);
    await fixed(
      deps,
      c,
      'no_expense_account',
      'No cost code and no default expense account',
      `set the default expense account to ${a.fullName}`,
      resumed.length,
    );
  };
}

export function resume(deps: SlackDeps): ActionHandler {
  const { engine } = deps;
  return async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body, client, context);
    if (!(await requireAdmin(deps, c))) return;
    const cause = String(c.value ?? '');
    const resumed = await engine.sync.resumeBlocked(c.teamId, c.userId, cause ? [cause] : undefined);
    const still = await blockedCount(deps, c.teamId, cause);
    if (!resumed.length && still) {
      await tell(
        deps,
        c,
        `Still blocked: ${still === 1 ? '1 invoice is' : `${still} invoices are`} waiting for the same thing. Fix it first, then press Resend again.`,
      );
      return;
    }
    await fixed(deps, c, cause, 'Invoices were waiting', 'resent the waiting invoices', resumed.length);
  };
}
