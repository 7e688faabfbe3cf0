import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configureWorkspace, startEngineStack, type EngineStack } from './engine-harness.ts';
import { TEAM, newInvoice } from './sync-helpers.ts';

/**
 * A sync that hits a busy database (on Postgres: a serialization race lost more often than the transaction's own
 * retries allow; on SQLite: the write lock held past the busy timeout) is tried again by the queue, not failed.
 */

let s: EngineStack;
let realm: string;
beforeEach(async () => {
  s = await startEngineStack();
  realm = await s.connect(TEAM);
});
afterEach(async () => {
  await s.stop();
});

/** What drizzle throws when Postgres gives up a serializable transaction: the SQLSTATE on its cause. */
const serializationFailure = () =>
  new Error('Failed query: update "invoices" set "status" = $1 …', {
    cause: Object.assign(new Error('could not serialize access due to read/write dependencies among transactions'), { code: '40001' }),
  });

describe('sync on a busy database', () => {
  it('a serialization failure at the move to syncing: the job runs again and books the Bill once', async () => {
    const { engine, emu } = s;
    await configureWorkspace(engine, TEAM);
    const inv = await newInvoice(engine);
    const startSync = engine.invoices.startSync.bind(engine.invoices);
    let failures = 1;
    engine.invoices.startSync = async (...args) => {
      if (failures-- > 0) throw serializationFailure();
      return startSync(...args);
    };
    await engine.worker.start();
    await engine.sync.submit(inv.id, 'UPM');
    await engine.worker.idle();
    const done = (await engine.invoices.byId(inv.id))!;
    expect(failures).toBe(-1);
    expect(done.status).toBe('synced');
    expect(emu.entities(realm, 'Bill')).toHaveLength(1);
  });
});
