import type { Engine } from '../engine.ts';
import { type AccountUse, accountFits } from '../qbo/accounts.ts';
import type { ListItem } from '../qbo/lists.ts';
import { type LinkTarget, linkProfile, linkTargetFits, type Profile } from '../workspace/profiles.ts';

/**
 * Fixing what blocks invoices, as a use case (no Slack): link a project or cost code to QuickBooks, set a default
 * purchase or expense account, or just resend — then the invoices that waited on that cause are resumed and the
 * cause's admin notice released (a later block sends one new fix-it DM). Every value is re-checked here with the
 * same rules the settings pickers use, so a forged or stale choice is refused, not applied. The caller checks that
 * the person is an admin.
 */

export type BlockerDeps = Pick<Engine, 'store' | 'lists' | 'sync' | 'log'>;

/** The admin-notice key of a block cause (one fix-it DM per cause). */
export const noticeKey = (cause: string) => `invoice_blocked:${cause}`;

export const ACCOUNT_CAUSE: Record<AccountUse, string> = { purchase: 'no_purchase_account', expense: 'no_expense_account' };

/** What a fix did: the cause it cleared, how many invoices were resent and how many still wait on it. */
export interface Resumed {
  cause: string;
  resumed: number;
  stillWaiting: number;
}

/** Resends the invoices waiting on `cause` (every blocked one when empty); the notice stays (see releaseCause). */
export async function resumeCause(deps: BlockerDeps, p: { teamId: string; userId: string; cause: string }): Promise<Resumed> {
  const resumed = await deps.sync.resumeBlocked(p.teamId, p.userId, p.cause ? [p.cause] : undefined);
  const stillWaiting = await deps.store.invoices.countBlocked(p.teamId, p.cause);
  return { cause: p.cause, resumed: resumed.length, stillWaiting };
}

/** Releases the cause's admin notice: the next invoice it blocks sends a new fix-it DM. */
export function releaseCause(deps: BlockerDeps, teamId: string, cause: string): Promise<void> {
  return deps.store.notices.resolve(teamId, noticeKey(cause));
}

/** Marks a cause fixed: its invoices resent, its notice released. */
export async function fixedCause(deps: BlockerDeps, p: { teamId: string; userId: string; cause: string }): Promise<Resumed> {
  const resumed = await deps.sync.resumeBlocked(p.teamId, p.userId, [p.cause]);
  await releaseCause(deps, p.teamId, p.cause);
  return { cause: p.cause, resumed: resumed.length, stillWaiting: await deps.store.invoices.countBlocked(p.teamId, p.cause) };
}

export type LinkOutcome =
  | ({ ok: true; profile: Profile; target: ListItem } & Resumed)
  | { ok: false; why: 'invalid_choice' }
  | { ok: false; why: 'unfit'; profile: Profile }
  /** The link could not be written (the database failed): logged, nothing linked. */
  | { ok: false; why: 'link_failed' };

/** Links a profile to a QuickBooks entry (the settings picker's rule: active, of a fitting kind) and resumes its invoices. */
export async function linkAndResume(
  deps: BlockerDeps,
  p: { teamId: string; userId: string; profileId: number; choice: { entity: LinkTarget['entity']; id: string } | null },
): Promise<LinkOutcome> {
  const profile = Number.isInteger(p.profileId) ? await deps.store.profiles.get(p.teamId, p.profileId) : null;
  if (!profile || !p.choice) return { ok: false, why: 'invalid_choice' };
  const { entity, id } = p.choice;
  const target = await deps.lists.get(p.teamId, entity, id);
  if (!target || !linkTargetFits(profile.kind, entity, target)) return { ok: false, why: 'unfit', profile };
  try {
    await linkProfile(deps.store, p.teamId, profile.id, { entity, id, name: target.fullName }, p.userId);
  } catch (err) {
    deps.log.warn('fix-it link failed', { teamId: p.teamId, profileId: profile.id, error: err });
    return { ok: false, why: 'link_failed' };
  }
  const cause = `unlinked:${profile.kind}:${profile.id}`;
  return { ok: true, profile, target, ...(await fixedCause(deps, { teamId: p.teamId, userId: p.userId, cause })) };
}

export type AccountOutcome = ({ ok: true; account: ListItem } & Resumed) | { ok: false; why: 'unfit' };

/** Sets the workspace's default purchase or expense account (active, of a fitting type) and resumes what waited for it. */
export async function setDefaultAccountAndResume(
  deps: BlockerDeps,
  p: { teamId: string; userId: string; use: AccountUse; accountId: string | null },
): Promise<AccountOutcome> {
  const account = p.accountId ? await deps.lists.get(p.teamId, 'Account', p.accountId) : null;
  if (!account || !accountFits(account, p.use)) return { ok: false, why: 'unfit' };
  const patch = p.use === 'purchase' ? { defaultPurchaseAccountId: account.id } : { defaultExpenseAccountId: account.id };
  await deps.store.workspaces.updateSettings(p.teamId, patch, p.userId);
  return { ok: true, account, ...(await fixedCause(deps, { teamId: p.teamId, userId: p.userId, cause: ACCOUNT_CAUSE[p.use] })) };
}
