import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness.ts';
import { connectQbo, T } from '../slack/intake-helpers.ts';

/**
 * Issue 12: the change data capture that follows a connect re-applies every entity QBO reports; the stores answer
 * SQLite synchronously under their promises, so without turns of the event loop between objects, a Slack request
 * arriving meanwhile waits for the whole batch (seconds with a large company) and misses its 3-second ack.
 */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  await connectQbo(stack);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('change data capture under load', () => {
  it('answers a /qbo status sent while it applies 1,500 changed vendors before it is done', async () => {
    const { engine } = stack.app;
    stack.qbo.addEntities(
      stack.qbo.defaultRealmId,
      'Vendor',
      Array.from({ length: 1500 }, (_, i) => ({ DisplayName: `Bulk Vendor ${i}`, Active: true })),
    );
    let upserts = 0;
    let atAck: number | null = null;
    let status: Promise<{ status: number }> | null = null;
    const upsert = engine.lists.upsert.bind(engine.lists);
    engine.lists.upsert = (teamId, entity, e) => {
      upserts++;
      // The command goes out once applying has begun: from here on only turns of the loop let it through.
      status ??= stack.driver.command({ teamId: T, userId: 'UPM', command: '/qbo', text: 'status' }).then((r) => {
        atAck = upserts;
        return r;
      });
      return upsert(teamId, entity, e);
    };
    try {
      await engine.changes.runCdc(T);
    } finally {
      engine.lists.upsert = upsert;
    }
    expect(upserts).toBeGreaterThanOrEqual(1500);
    expect(status).not.toBeNull();
    expect((await status!).status).toBe(200);
    expect(atAck).not.toBeNull();
    expect(atAck!).toBeLessThan(upserts);
    expect((await engine.lists.search(T, 'Vendor', 'Bulk Vendor 1499', { limit: 1 }))[0]?.name).toBe('Bulk Vendor 1499');
  }, 60_000);
});
