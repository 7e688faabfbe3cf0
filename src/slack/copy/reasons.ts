import { reasonOf, type QboFault, type Reason } from '../../invoices/reasons.ts';
import { esc, truncate } from '../views/common.ts';
import { KIND_LABEL } from '../../workspace/profiles.ts';

/**
 * Every sentence an invoice's reason becomes, in one place. `reason` says what happened, `fix` what to do
 * (either may be empty). Plain text with Slack's `code` marks; escaping for mrkdwn is the view's job, except for
 * mentions, which `mentionAfter` keeps live.
 */

/** Where settings live, as the app tells people. */
export const SETTINGS = '`/qbo settings`';
/** "… in `/qbo settings`", the one way the copy points there. */
export const inSettings = (what = '') => `in ${SETTINGS}${what}`;

export interface Words {
  reason: string;
  fix: string;
  /** A user mentioned at the end ("… by <@U123>"), rendered live by the views. */
  by?: string | null;
}

const LINK_FIX = `An admin can link it ${inSettings(' → Link projects & cost codes')}; the invoice then syncs by itself.`;

/** What went wrong at QuickBooks, in plain words, and what to do. */
export function qboFaultWords(err: QboFault): Words {
  const detail = err.detail ? ` (QuickBooks says: ${err.detail})` : '';
  switch (err.kind) {
    case 'not_connected':
    case 'invalid_grant':
    case 'auth':
      return {
        reason: 'The QuickBooks connection has stopped working.',
        fix: `An admin needs to reconnect QuickBooks ${inSettings()}.`,
      };
    case 'throttled':
      return {
        reason: 'QuickBooks is limiting how fast we can send right now.',
        fix: 'Nothing to do: it will be retried.',
      };
    case 'server':
    case 'network':
      return { reason: 'QuickBooks could not be reached or had an outage.', fix: 'Press Retry in a few minutes.' };
  }
  switch (err.code) {
    case '610':
      return {
        reason: `Something on this invoice points to a QuickBooks record that is inactive or was deleted${detail}.`,
        fix: 'Check the vendor, accounts, project and cost code, make them active in QuickBooks or choose others, then Retry.',
      };
    case '2500':
      return {
        reason: `Something on this invoice points to a QuickBooks record that does not exist${detail}.`,
        fix: 'Choose the vendor, account, project or cost code again, then Retry.',
      };
    case '6140':
      return {
        reason: 'QuickBooks already has a bill with this invoice number from this vendor.',
        fix: 'Check it is not a duplicate; an admin can Sync anyway.',
      };
    case '6000':
      return {
        reason: `QuickBooks refused the transaction${detail || `: ${err.message}`}.`,
        fix: 'Correct the invoice details and Retry.',
      };
    case '5010':
      return { reason: 'The record changed in QuickBooks while we were updating it.', fix: 'Press Retry.' };
    default:
      return {
        reason: `QuickBooks refused the transaction: ${err.message}${detail}.`,
        fix: 'Correct the invoice details and Retry; if it keeps failing, tell your admin.',
      };
  }
}

const PENDING_FIX = " QuickBooks may already have it: press Retry (it cannot create a second one); the invoice can't be edited until then.";

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-03-12" → "12 Mar". */
function dayMonth(iso: string | null): string | null {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})/.exec(iso) : null;
  return m ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]}` : null;
}

/** "Paid on 12 Mar from Operating Checking" (a payment recorded in QuickBooks, or by Mark paid). */
export function paidText(p: { paidOn: string | null; accountName: string | null }): string {
  const on = dayMonth(p.paidOn);
  return `Paid${on ? ` on ${on}` : ''}${p.accountName ? ` from ${p.accountName}` : ''}`;
}

/** A reason in words. Without a full stop between them, as the block notice shows them side by side. */
export function reasonWords(r: Reason): Words {
  // Every code is handled by exactly one of these (split by family only to keep each short).
  return statusWords(r) ?? setupWords(r) ?? problemWords(r) ?? { reason: '', fix: '' };
}

/** Where the invoice is in its life (queued, in QuickBooks, paid, deleted…). */
function statusWords(r: Reason): Words | null {
  switch (r.code) {
    case 'autosync_off':
      return { reason: 'Auto-sync is off: waiting for an admin to sync', fix: '' };
    case 'queued':
      return { reason: 'queued for QuickBooks', fix: '' };
    case 'created':
      return { reason: 'created in QuickBooks', fix: '' };
    case 'attach_pending':
      return { reason: 'In QuickBooks; the original file will be attached as soon as QuickBooks answers.', fix: '' };
    case 'attach_failed':
      return { reason: `In QuickBooks, but the file could not be attached: ${r.params.message}`, fix: '' };
    case 'paid':
      return {
        reason: `${paidText({ paidOn: r.params.on ?? null, accountName: r.params.account })}${r.params.by ? ' by' : ''}`,
        fix: '',
        by: r.params.by,
      };
    case 'payment_removed':
      return { reason: 'Payment removed in QuickBooks', fix: '' };
    case 'deleted_in_qbo':
      return { reason: 'Deleted in QuickBooks', fix: '' };
    case 'voided_in_qbo':
      return { reason: 'Voided in QuickBooks', fix: '' };
    default:
      return null;
  }
}

/** What setup is missing: the connection, accounts, profiles and their QuickBooks links. */
function setupWords(r: Reason): Words | null {
  switch (r.code) {
    case 'not_connected':
      return { reason: 'QuickBooks is not connected', fix: `An admin can connect QuickBooks ${inSettings()}.` };
    case 'connection_broken':
      return {
        reason: 'The QuickBooks connection has stopped working and must be reconnected',
        fix: `An admin can connect QuickBooks ${inSettings()}.`,
      };
    case 'connection_lost':
      return {
        reason: 'The QuickBooks connection has stopped working and must be reconnected',
        fix: `An admin can reconnect ${inSettings()}; the invoice then syncs by itself.`,
      };
    case 'no_purchase_account':
      return {
        reason: 'No purchase account is chosen',
        fix: `Pick a purchase account on the invoice, or an admin sets the default ${inSettings()}.`,
      };
    case 'bad_purchase_account':
      return {
        reason: r.params.problem,
        fix: `Pick another purchase account (Bank or Credit Card) on the invoice or ${inSettings()}.`,
      };
    case 'no_expense_account':
      return {
        reason: 'No cost code and no default expense account',
        fix: `Choose a cost code, or an admin sets a default expense account ${inSettings()}.`,
      };
    case 'missing_profile':
      return {
        reason: `The ${KIND_LABEL[r.params.kind]} on this invoice was deleted`,
        fix: `Choose another ${KIND_LABEL[r.params.kind]}.`,
      };
    case 'unlinked_project':
      return { reason: `The ${KIND_LABEL.project} "${r.params.name}" is not linked to QuickBooks`, fix: LINK_FIX };
    case 'unlinked_cost_code':
      return { reason: `The ${KIND_LABEL.cost_code} "${r.params.name}" is not linked to QuickBooks`, fix: LINK_FIX };
    default:
      return null;
  }
}

/** What went wrong or is waiting: QuickBooks faults, duplicates, approvals, blocked lines. */
function problemWords(r: Reason): Words | null {
  switch (r.code) {
    case 'qbo_error': {
      const w = qboFaultWords(r.params);
      if (r.params.retrying) return { reason: `${w.reason} Retrying automatically.`, fix: '' };
      return { reason: w.reason, fix: r.params.pending ? `${w.fix}${PENDING_FIX}` : w.fix };
    }
    case 'sync_error':
      return {
        reason: 'Something went wrong while sending this invoice to QuickBooks.',
        fix: `Try again; if it keeps failing, tell your admin.${r.params.pending ? PENDING_FIX : ''}`,
      };
    case 'company_changed':
      return {
        reason:
          'QuickBooks is now connected to a different company: choose the vendor and accounts again (projects and cost codes must be linked anew)',
        fix: '',
      };
    case 'already_booked': {
      const p = r.params;
      const what = p.sameFile ? 'the same file' : `the same vendor and invoice number (${p.invoiceNumber})`;
      return {
        reason: `Already in QuickBooks: ${what} was ${p.atIntake ? 'booked' : 'synced'} as ${p.txnType ?? 'a transaction'}${p.docNumber ? ` ${p.docNumber}` : ''}`,
        fix: '',
      };
    }
    case 'maybe_duplicate': {
      const what = r.params.sameFile ? 'the same file' : `the same vendor and invoice number (${r.params.invoiceNumber})`;
      return { reason: `Possibly a duplicate: ${what} is being sent to QuickBooks right now`, fix: '' };
    }
    case 'approval_setup':
      return {
        reason: r.params.problem,
        fix: `An admin can fix it ${inSettings(' → Approvals')}; then submit the invoice again.`,
      };
    case 'awaiting_approval':
      return { reason: `Waiting for approval: ${r.params.rule}`, fix: '' };
    case 'approval_step': {
      // The card's approval section names who is next; this line says what just happened.
      const p = r.params;
      return {
        reason: `Step ${p.step} of ${p.of} approved${p.override ? ' as an admin override' : ''} by`,
        fix: '',
        by: p.by,
      };
    }
    case 'approval_rejected':
      return {
        reason: `Sent back with this reason: “${r.params.reason}”`,
        fix: `Edit it if needed and submit it again (approval starts over). Rejected${r.params.override ? ' as an admin override' : ''} by`,
        by: r.params.by,
      };
    case 'line_blocked':
      return { reason: r.params.reason, fix: r.params.fix };
    case 'legacy':
      return { reason: r.params.text, fix: '' };
    default:
      return null;
  }
}

/**
 * The one line a card, a DM or App Home shows for a reason: "reason. fix" (the block notice's form), the mention
 * spelled `<@U…>` (views escape the text and keep the mention: `reasonMrkdwn`). Null when there is nothing to
 * say (`created`: the card shows "In QuickBooks" itself).
 */
export function reasonLine(r: Reason | null): string | null {
  if (!r || r.code === 'created') return null;
  const w = reasonWords(r);
  const text = w.fix ? `${w.reason}. ${w.fix}` : w.reason;
  return w.by ? `${text} <@${w.by}>` : text;
}

type WithReason = { reason?: Reason | null; statusReason?: string | null };

/** An invoice's reason line as plain text (message `text` fallbacks); '' when there is none. */
export function statusText(inv: WithReason): string {
  return reasonLine(reasonOf(inv)) ?? '';
}

/** An invoice's reason line as mrkdwn: the words escaped, a mention at the end live. '' when there is none. */
export function statusMrkdwn(inv: WithReason, max = 1500): string {
  const r = reasonOf(inv);
  if (!r || r.code === 'created') return '';
  const w = reasonWords(r);
  const text = esc(truncate(w.fix ? `${w.reason}. ${w.fix}` : w.reason, max));
  return w.by && /^[UW][A-Z0-9]+$/.test(w.by) ? `${text} <@${w.by}>` : text;
}
