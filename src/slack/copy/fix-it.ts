import type { LinkOutcome } from '../../app/blockers.ts';
import { KIND_LABEL } from '../../workspace/profiles.ts';
import { SETTINGS } from './reasons.ts';

/** What the fix-it DM's link picker tells an admin when the link was refused or failed (mrkdwn). */
export function linkRefusalText(out: Extract<LinkOutcome, { ok: false }>): string {
  switch (out.why) {
    case 'invalid_choice':
      return `That choice is no longer valid; open ${SETTINGS} to link it.`;
    case 'unfit':
      // The same rule as the settings picker: a forged or stale value is refused, not linked.
      return `That QuickBooks entry can't be used for the ${KIND_LABEL[out.profile.kind]} “${out.profile.name}”. Pick another, or open ${SETTINGS}.`;
    case 'link_failed':
      return `:x: Could not save the link. Try again, or link it in ${SETTINGS}.`;
  }
}
