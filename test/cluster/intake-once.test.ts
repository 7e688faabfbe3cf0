import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type ClusterWorld } from '../../scripts/cluster/world.ts';
import { allBooked, cardsOf, pump, share, type RunState } from '../../scripts/cluster/run.ts';
import { until } from '../../scripts/reliability/world.ts';
import { testDatabaseUrl } from '../store/postgres.ts';

/**
 * Two app instances (separate processes) on one database (Postgres when TEST_DATABASE_URL names a server, as in CI;
 * else one SQLite file); Slack delivers the same `file_shared` to both (and the
 * share's `message` to one of them): one invoice, one thread card, one transaction in QuickBooks.
 */

let world: ClusterWorld;
beforeAll(async () => {
  world = await startCluster({ instances: 2, windowMs: 6000, latencyMs: 5, rand: () => 0, serverUrl: testDatabaseUrl() ?? undefined });
}, 180_000);
afterAll(async () => {
  await world?.close();
});

describe('exactly once across instances', () => {
  it('the same file_shared delivered to two instances makes one invoice and one card, and books once', async () => {
    const state: RunState = { run: 'T', shared: [], doubled: 0, expiries: 0, kills: 0 };
    const company = world.companies[0];
    const s = await share(world, state, company, () => 0); // 0: always delivered to a second instance too
    expect(state.doubled).toBe(1);
    const read = await until(
      async () => (await world.rows()).find((r) => r.slack_file_id === s.fileId && r.status === 'extracted') && cardsOf(world, s).length > 0,
      60_000,
    );
    expect(read).toBeTruthy();
    const booked = await until(
      async () => {
        await pump(world, state, company);
        return allBooked(world, state);
      },
      60_000,
      500,
    );
    expect(booked).toBe(true);
    expect((await world.rows()).filter((r) => r.slack_file_id === s.fileId)).toHaveLength(1);
    expect(cardsOf(world, s)).toHaveLength(1);
    const txns = [...world.qbo.entities(company.realmId, 'Bill'), ...world.qbo.entities(company.realmId, 'Purchase')].filter(
      (t) => t.DocNumber === s.number,
    );
    expect(txns).toHaveLength(1);
  }, 150_000);
});
