import { expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { OutboxLoop } from '../../src/slack/outbox-loop.ts';
import { OutboxStore, type CardClaim, type OutboxRow } from '../../src/store/outbox.ts';
import { forEachDialect } from './dialects.ts';

/**
 * A message Slack accepted is not sent again because recording it failed: with several instances on Postgres that
 * write can lose a serialization race (or the database be away a moment); it is retried, not the send.
 */

/** An outbox whose first `failures` attempts at recording a delivery fail, as a lost race would. */
class FlakyRecord extends OutboxStore {
  failures = 2;
  override async delivered(row: OutboxRow | CardClaim, ts?: string | null): Promise<void> {
    if (this.failures-- > 0) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
    return super.delivered(row, ts);
  }
}

forEachDialect('OutboxLoop recording a delivery', (makeConn) => {
  it('a DM whose delivery could not be recorded at first is sent once, and recorded', async () => {
    const conn = await makeConn();
    await conn.run((db) => db.insert(conn.t.workspaces).values({ teamId: 'T1' }));
    const store = new FlakyRecord(conn);
    await store.add([{ teamId: 'T1', kind: 'dm', key: 'dm:once', payload: { text: 'hi' } }]);
    const sent: string[] = [];
    const loop = new OutboxLoop(store, async (row) => void sent.push(row.key), createLogger('silent'), {
      pollMs: 10,
      backoffBaseMs: 10,
    });
    loop.start();
    try {
      await loop.idle();
      for (let i = 0; i < 50 && (await store.undelivered('T1')).length; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await loop.stop();
    }
    expect(sent).toEqual(['dm:once']);
    expect(await store.undelivered('T1')).toEqual([]);
    expect(store.failures).toBe(-1);
  });
});
