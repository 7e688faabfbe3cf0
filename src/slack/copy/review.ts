/**
 * What the review modal says: its field errors (the review use case's codes, src/app/review.ts) and its submit's
 * outcomes. Plain text with Slack's marks; the listener escapes what goes into mrkdwn.
 */

/** The ack of a submit still working after the deadline (src/slack/listeners/views/review-submit.ts). */
export const SAVING =
  ':hourglass_flowing_sand: *Saving…* QuickBooks is slow to answer. This updates by itself when it is done; if you close it, the invoice’s card shows how it went.';

/** On the Amount field: saving failed for a reason of ours (logged). */
export const SAVE_FAILED = 'Something went wrong saving this invoice. Please try again.';

/** In place of "Saving…" when saving failed (there is no field left to say it on). */
export const SAVE_FAILED_LATE = ':x: *Not saved.* Something went wrong saving this invoice. Open it again from its card and submit it again.';

/** On top of the review modal, shown again because the new vendor could not be used (`problem`: copy/vendors.ts). */
export const vendorNotSaved = (problem: string) => `:warning: *Not saved yet:* ${problem}`;
