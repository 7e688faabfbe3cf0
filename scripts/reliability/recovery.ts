import { readyForReview, shareNew, submit, type TrialsState, type Tracked } from './crash-trials.ts';
import { until, type World } from './world.ts';

/**
 * Recovery after a restart: the app is killed while it sends a batch to QuickBooks (its jobs still held), started
 * again, and a fresh invoice is submitted at once. The figure is the seconds from the restarted app answering to
 * every one of them (the batch and the fresh one) being in QuickBooks.
 */
export async function measureRecovery(world: World, state: TrialsState, o: { batch: number }): Promise<number | null> {
  if (!world.app) await world.start();
  const batch: Tracked[] = [];
  for (let i = 0; i < o.batch; i++) batch.push(await shareNew(world, state));
  if (!(await until(() => batch.every((t) => readyForReview(world, t)), 60_000))) return null;
  // QuickBooks is slow to create them: the app dies while all of them are in flight.
  world.qbo.injectFault({ method: 'POST', path: /\/(bill|purchase)$/i, status: 200, delayMs: 4000, count: o.batch });
  const creates = () => world.qbo.requests.filter((r) => r.method === 'POST' && /\/(bill|purchase)$/i.test(r.path)).length;
  const before = creates();
  for (const t of batch) await submit(world, t);
  await until(() => world.rows().filter((r) => r.status === 'syncing').length >= o.batch || creates() > before, 10_000);
  await world.kill();
  await world.start();
  const ready = Date.now();
  const fresh = await shareNew(world, state);
  await until(() => readyForReview(world, fresh), 60_000);
  await submit(world, fresh);
  const all = [...batch, fresh];
  const synced = await until(
    () => {
      const byFile = new Map(world.rows().map((r) => [r.slack_file_id, r.status]));
      return all.every((t) => byFile.get(t.fileId) === 'synced');
    },
    360_000,
    100,
  );
  return synced ? Math.round((Date.now() - ready) / 100) / 10 : null;
}
