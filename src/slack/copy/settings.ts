import type { AccountProblem, DraftAccountError, ListsRefresh } from '../../app/settings.ts';
import { esc } from '../views/common.ts';
import { qboFaultWords } from './reasons.ts';

/** The settings' wording: why a saved default account is not offered, and what a lists' refresh did. */

/** Why a saved default account is not offered any more (plain text; the view escapes it). */
export function accountProblemText(p: AccountProblem | null): string | null {
  if (!p) return null;
  switch (p.code) {
    case 'missing':
      return 'it is no longer in QuickBooks';
    case 'inactive':
      return `${p.name} is inactive in QuickBooks`;
    case 'wrong_type':
      return `${p.name} is a ${p.type ?? 'different'} account`;
  }
}

/** The modal's line about a refresh (mrkdwn): a failure (the choices may be out of date), or a forced one that worked. */
export function refreshNoticeText(r: ListsRefresh): string | null {
  if (r.failure) {
    const why = r.failure.fault ? qboFaultWords(r.failure.fault).reason : 'Something went wrong.';
    return `:warning: Could not fetch the latest lists from QuickBooks. ${esc(why)} The choices below may be out of date.`;
  }
  return r.refreshed && r.forced ? ':white_check_mark: QuickBooks lists refreshed.' : null;
}

/** A channel binding whose project profile is gone. */
export const UNKNOWN_PROJECT = '?';

/** On a default account's field: why the submitted one cannot be saved. */
export function draftErrorText(e: DraftAccountError): string {
  const why = accountProblemText(e.problem);
  const what = e.use === 'purchase' ? 'an active Bank or Credit Card account' : 'an active expense account';
  return `Choose ${what}${why ? ` (${why})` : ''}.`;
}

/** A settings or approvals submit whose admin check Slack did not answer in time (nothing was saved). */
export const ADMIN_CHECK_LATE = 'Slack is slow to confirm that you are an admin, so nothing was saved yet. Submit again in a moment.';

/** A Mark paid submit whose payer check Slack did not answer in time (nothing was recorded). */
export const PAYER_CHECK_LATE = 'Slack is slow to confirm that you may record payments, so nothing was recorded yet. Submit again in a moment.';
