/** What a bounded wait gives: the work's value when it settled in time, else `done: false` (the work goes on). */
export type Settled<T> = { done: true; value: T } | { done: false };

/**
 * `work`'s result if it settles within `ms`; otherwise `{ done: false }`, and the work goes on. Slack wants its acks
 * within 3 s, so anything awaited before one (an admin check, a QuickBooks call) is bounded with this.
 */
export async function within<T>(work: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), Math.max(0, ms));
  });
  try {
    return await Promise.race([work.then((value) => ({ done: true as const, value })), late]);
  } finally {
    clearTimeout(timer);
  }
}
