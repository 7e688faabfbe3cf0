import { linkAndResume, releaseCause, type Resumed, resumeCause, setDefaultAccountAndResume } from '../../../app/blockers.ts';
import type { AccountUse } from '../../../qbo/accounts.ts';
import { KIND_LABEL } from '../../../workspace/profiles.ts';
import type { SlackDeps } from '../../deps.ts';
import { linkRefusalText } from '../../copy/fix-it.ts';
import { adminNoticeResolved } from '../../views/invoice-admin.ts';
import { parseLinkValue } from '../../views/link-profiles.ts';
import { type ActionHandler, type Ctx, ctxOf, tell } from './invoice-context.ts';

/**
 * The admins' fix-it DM: link a profile, set a default account, resend what waited. Every one re-checks admin; the
 * fix itself (re-checked values, resumed invoices, the notice released) is the blockers use case (src/app/blockers.ts).
 */

/** The fix-it DM after a fix, rewritten to say who did what. */
async function fixed(deps: SlackDeps, c: Ctx, r: Resumed, reason: string, done: string) {
  const msg = adminNoticeResolved({ reason, done, by: c.userId, resent: r.resumed, stillWaiting: r.stillWaiting });
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
  return async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body, client, context);
    if (!(await requireAdmin(deps, c))) return;
    const profileId = Number(String(body.actions[0]?.block_id ?? '').split(':')[1]);
    const chosen = parseLinkValue(String(c.value ?? ''));
    const out = await linkAndResume(deps.engine, {
      teamId: c.teamId,
      userId: c.userId,
      profileId,
      choice: chosen && chosen !== 'unlink' ? chosen : null,
    });
    if (!out.ok) return void (await tell(deps, c, linkRefusalText(out)));
    const p = out.profile;
    await fixed(deps, c, out, `The ${KIND_LABEL[p.kind]} “${p.name}” is not linked to QuickBooks`, `linked “${p.name}” to ${out.target.fullName}`);
  };
}

const ACCOUNT_COPY: Record<AccountUse, { refused: string; reason: string; done: string }> = {
  purchase: {
    refused: 'Choose an active Bank or Credit Card account.',
    reason: 'No purchase account is chosen',
    done: 'set the default purchase account to',
  },
  expense: {
    refused: 'Choose an active expense account.',
    reason: 'No cost code and no default expense account',
    done: 'set the default expense account to',
  },
};

function fixDefaultAccount(deps: SlackDeps, use: AccountUse): ActionHandler {
  return async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body, client, context);
    if (!(await requireAdmin(deps, c))) return;
    const out = await setDefaultAccountAndResume(deps.engine, { teamId: c.teamId, userId: c.userId, use, accountId: c.value ?? null });
    const copy = ACCOUNT_COPY[use];
    if (!out.ok) return void (await tell(deps, c, copy.refused));
    await fixed(deps, c, out, copy.reason, `${copy.done} ${out.account.fullName}`);
  };
}

export const fixAccount = (deps: SlackDeps) => fixDefaultAccount(deps, 'purchase');
export const fixExpense = (deps: SlackDeps) => fixDefaultAccount(deps, 'expense');

export function resume(deps: SlackDeps): ActionHandler {
  return async ({ ack, body, client, context }) => {
    await ack();
    const c = ctxOf(body, client, context);
    if (!(await requireAdmin(deps, c))) return;
    const cause = String(c.value ?? '');
    const r = await resumeCause(deps.engine, { teamId: c.teamId, userId: c.userId, cause });
    if (!r.resumed && r.stillWaiting) {
      const still = r.stillWaiting;
      await tell(
        deps,
        c,
        `Still blocked: ${still === 1 ? '1 invoice is' : `${still} invoices are`} waiting for the same thing. Fix it first, then press Resend again.`,
      );
      return;
    }
    await releaseCause(deps.engine, c.teamId, cause);
    await fixed(deps, c, r, 'Invoices were waiting', 'resent the waiting invoices');
  };
}
