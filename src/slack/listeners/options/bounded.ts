/**
 * Slack waits 3 s for a block_suggestion answer, then shows the person an error. Anything awaited before the ack
 * (the admin check may ask Slack's users.info) gets this much time; past it, the fallback answers.
 */
export const SUGGESTION_BUDGET_MS = 1500;

export async function withinBudget<T>(work: Promise<T>, fallback: T, ms = SUGGESTION_BUDGET_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
