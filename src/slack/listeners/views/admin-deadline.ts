import type { ViewOutput } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackDeps } from '../../deps.ts';
import { type Actor, actorOf, adminActor } from '../settings-guard.ts';
import { within } from '../within.ts';

/**
 * The admin check of a modal submit, in bounded time. It is a `users.info` call (cached a minute) made before the ack,
 * and Slack may be slow to answer it (a 429's Retry-After, an outage): past ADMIN_CHECK_DEADLINE_MS the submit is
 * answered "try again" on its first input and nothing is saved. The late answer still fills the cache, so the next
 * submit passes at once. Fails closed, as the check itself does.
 */

/** How long an admin check may take before the ack (Slack wants the ack within 3 s). */
export const ADMIN_CHECK_DEADLINE_MS = 1500;

/** `check`'s answer, or 'late' when it has not come within the deadline (it goes on, and fills the cache). */
export async function beforeDeadline<T>(deps: SlackDeps, what: string, actor: Actor | null, check: Promise<T>): Promise<T | 'late'> {
  const r = await within(check, ADMIN_CHECK_DEADLINE_MS);
  if (r.done) return r.value;
  deps.log.warn('admin check late: submit answered "try again"', { what, teamId: actor?.teamId, userId: actor?.userId });
  return 'late';
}

/** adminActor (the admin, or null) within the deadline, else 'late'. */
export function adminWithin(
  deps: SlackDeps,
  client: WebClient,
  body: unknown,
  context: { teamId?: string },
  what: string,
): Promise<Actor | null | 'late'> {
  return beforeDeadline(deps, what, actorOf(body, context), adminActor(deps, client, body, context, what));
}

/** An answer with `text` on the view's first input (a plain close when it has none). */
export function onFirstInput(view: ViewOutput, text: string): { response_action: 'errors'; errors: Record<string, string> } | undefined {
  const first = view.blocks.find((b) => b.type === 'input')?.block_id;
  return first ? { response_action: 'errors', errors: { [first]: text } } : undefined;
}
