import { within } from '../within.ts';

/**
 * Slack waits 3 s for a block_suggestion answer, then shows the person an error. Anything awaited before the ack
 * (the admin check may ask Slack's users.info) gets this much time; past it, the fallback answers.
 */
export const SUGGESTION_BUDGET_MS = 1500;

/** `work`'s value within `ms`, else `fallback` (the work goes on). */
export async function withinBudget<T>(work: Promise<T>, fallback: T, ms = SUGGESTION_BUDGET_MS): Promise<T> {
  const r = await within(work, ms);
  return r.done ? r.value : fallback;
}
