import type { ReviewError } from '../../app/review.ts';
import { MAX_DOC_NUMBER, MAX_PRIVATE_NOTE } from '../../qbo/mapping.ts';
import { KIND_LABEL, type ProfileKind } from '../../workspace/profiles.ts';
import { inSettings } from './reasons.ts';

/**
 * What the review modal says: its field errors (the review use case's codes, src/app/review.ts) and its submit's
 * outcomes. Plain text with Slack's marks; the listener escapes what goes into mrkdwn.
 */

/** A field error in words (what the field shows under it). */
export function reviewErrorText(e: ReviewError): string {
  switch (e.code) {
    case 'type_missing':
      return 'Choose Bill or Expense.';
    case 'amount_missing':
      return 'Enter the amount.';
    case 'amount_format':
      return 'Enter an amount like 1234.56: digits, at most 2 decimals.';
    case 'amount_not_positive':
      return 'The amount must be more than zero.';
    case 'number_too_long':
      return `QuickBooks allows at most ${MAX_DOC_NUMBER} characters here.`;
    case 'date_unreal':
      return 'This date does not exist. Pick a real date.';
    case 'due_before_date':
      return 'The due date is before the invoice date.';
    case 'memo_too_long':
      return `At most ${MAX_PRIVATE_NOTE} characters.`;
    case 'invalid':
      return 'This is not a value QuickBooks takes here.';
    case 'vendor_name_missing':
      return 'Type the vendor’s name.';
    case 'vendor_needs_connection':
      return `QuickBooks is not connected, so I can’t create vendors yet. An admin can connect it ${inSettings()}.`;
    case 'vendor_gone':
      return 'This vendor is no longer in QuickBooks. Choose another.';
    case 'vendor_inactive':
      return `“${e.params.name}” is inactive in QuickBooks. Make it active there, or choose another vendor.`;
    case 'vendor_missing':
      return 'Choose the vendor.';
    case 'account_gone':
      return 'This account is no longer in QuickBooks. Choose another.';
    case 'account_inactive':
      return `“${e.params.name}” is inactive in QuickBooks. Choose an active account.`;
    case 'account_wrong_type':
      return `“${e.params.name}” is a ${e.params.type} account; choose a Bank or Credit Card account.`;
    case 'profile_deleted':
      return `This ${KIND_LABEL[e.params.kind]} was deleted. Choose another.`;
  }
}

/** On the project or cost code field: the chosen one is not linked to QuickBooks (a second submit keeps it). */
export function unlinkedText(p: { kind: ProfileKind; name: string }): string {
  const kind = KIND_LABEL[p.kind];
  return (
    `The ${kind} “${p.name}” is not linked to QuickBooks, so this invoice can't sync yet. ` +
    `Choose a linked ${kind}, or an admin links it ${inSettings(' → Link projects & cost codes')}. ` +
    `Submit again to keep it: the invoice then waits (blocked) and the admins get a message to link it.`
  );
}

/** The ack of a submit still working after the deadline (src/slack/listeners/views/review-submit.ts). */
export const SAVING =
  ':hourglass_flowing_sand: *Saving…* QuickBooks is slow to answer. This updates by itself when it is done; if you close it, the invoice’s card shows how it went.';

/** On the Amount field: saving failed for a reason of ours (logged). */
export const SAVE_FAILED = 'Something went wrong saving this invoice. Please try again.';

/** In place of "Saving…" when saving failed (there is no field left to say it on). */
export const SAVE_FAILED_LATE = ':x: *Not saved.* Something went wrong saving this invoice. Open it again from its card and submit it again.';

/** On top of the review modal, shown again because the new vendor could not be used (`problem`: copy/vendors.ts). */
export const vendorNotSaved = (problem: string) => `:warning: *Not saved yet:* ${problem}`;

/** What the modal says once a submit has moved the invoice: `reason` is its reason line (mrkdwn, escaped). */
export const OUTCOME = {
  blocked: (reason: string) => ({
    title: 'Not synced yet',
    text: `:no_entry: *Saved, but not synced:* ${reason}\n\nIt syncs by itself once this is fixed; the admins have been told.`,
  }),
  duplicate: (reason: string, existingUrl: string | null) => ({
    title: 'Possible duplicate',
    text: `:warning: *Not synced:* ${reason}${existingUrl ? ` — <${existingUrl}|open the existing one>` : ''}.\n\nIf it really is a different invoice, an admin can *Sync anyway*.`,
  }),
  sent: {
    title: 'Sent',
    text: ':hourglass_flowing_sand: *Sent to QuickBooks.* You’ll get a message when it is booked (or if QuickBooks refuses it).',
  },
  savedReady: {
    title: 'Saved',
    text: `:double_vertical_bar: *Saved as ready.* Auto-sync is off, so it waits until an admin turns Auto-sync on ${inSettings()} (or syncs it).`,
  },
} as const;

/**
 * The DM when "Saving…" was closed before a late submit failed: `title` names the invoice, `problem` is the vendor
 * problem's words (copy/vendors.ts), or null when saving failed for a reason of ours. Plain text; the DM escapes it.
 */
export function notSavedDm(title: string, problem: string | null) {
  return {
    text: `${title} was not saved: ${problem ?? 'something went wrong saving it.'} Open the review again to submit it.`,
    head: `:x: *${title}* was not saved.`,
    why: problem ? `*What happened:* ${problem}` : '*What happened:* something went wrong saving it (nothing was sent to QuickBooks).',
    next: 'Nothing you entered was saved. Press *Review* to open it again, fix what it says and submit it.',
  };
}
