import { expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { OutboxLoop } from '../../src/slack/outbox-loop.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { forEachDialect } from './dialects.ts';

/** An outbox that counts its claim passes (each is a transaction scanning the due rows). */
class CountingOutbox extends OutboxStore {
  claims = 0;
  override async claimDue(...args: Parameters<OutboxStore['claimDue']>) {
    this.claims++;
    return super.claimDue(...args);
  }
}

forEachDialect('OutboxLoop kicks', (makeConn) => {
  it('40 messages written a moment apart, each kicking the loop as a status change does, is sent in a few claims', async () => {
    const conn = await makeConn();
    await conn.run((db) => db.insert(conn.t.workspaces).values({ teamId: 'T1' }));
    const store = new CountingOutbox(conn);
    const sent: string[] = [];
    const loop = new OutboxLoop(store, async (row) => void sent.push(row.key), createLogger('silent'), {
      pollMs: 60_000,
      backoffBaseMs: 10,
      batch: 50,
    });
    loop.start();
    try {
      await loop.idle();
      store.claims = 0;
      for (let i = 0; i < 40; i++) {
        await store.add([{ teamId: 'T1', kind: 'dm', key: `dm:${i}`, payload: { text: `hi ${i}` } }]);
        loop.kick();
        await new Promise((r) => setTimeout(r, 1)); // changes a moment apart, as under load
      }
      await loop.idle();
    } finally {
      await loop.stop();
    }
    expect(sent).toHaveLength(40);
    expect(new Set(sent).size).toBe(40);
    // A claim per kick is 40 or more (and the deliveries finishing kick too).
    expect(store.claims).toBeLessThanOrEqual(20);
  });
});
