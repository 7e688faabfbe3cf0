import { expect, it } from 'vitest';
import { createStore } from '../../src/store/index.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { outboxTransitionHook } from '../../src/slack/notify.ts';
import { forEachDialect } from './dialects.ts';

/** The outbox store: rows committed with the status change, a card's updates one at a time, a DM once per key. */

const T = 'T1';

forEachDialect('OutboxStore', (makeConn) => {
  async function channelInvoice() {
    const conn = await makeConn();
    const store = createStore(conn);
    const { invoice } = await store.invoices.create({
      teamId: T,
      source: 'channel',
      bytes: Buffer.from('%PDF-1.4 x'),
      fileName: 'a.pdf',
      mimeType: 'application/pdf',
      channelId: 'CJOB1',
      messageTs: '100.1',
      uploadedBy: 'UFOREMAN',
    });
    return { conn, store, invoice, outbox: new OutboxStore(conn) };
  }

  it('writes a status change’s card and notice in its transaction, and nothing when the transaction rolls back', async () => {
    const { store, invoice, outbox } = await channelInvoice();
    store.invoices.onTransition(outboxTransitionHook());
    await store.invoices.transition(invoice.id, 'needs_input', { actor: 'system', reason: 'no total' });
    const rows = await outbox.undelivered(T);
    expect(rows.map((r) => [r.kind, r.key.split(':').slice(0, 2).join(':')])).toEqual([
      ['card', `card:${invoice.id}`],
      ['notice', `status:${invoice.id}`],
    ]);

    // A later hook fails: the status change and its outbox rows are undone together.
    store.invoices.onTransition(async () => {
      throw new Error('boom');
    });
    await expect(store.invoices.transition(invoice.id, 'ready', { actor: 'UFOREMAN' })).rejects.toThrow('boom');
    expect((await store.invoices.byId(invoice.id))?.status).toBe('needs_input');
    expect(await outbox.undelivered(T)).toHaveLength(2);
  });

  it('writes no card row for a new, unread invoice (no card yet), and the card row with its first change', async () => {
    const conn = await makeConn();
    const store = createStore(conn);
    const outbox = new OutboxStore(conn);
    store.invoices.onTransition(outboxTransitionHook());
    const { invoice } = await store.invoices.create({
      teamId: T,
      source: 'channel',
      bytes: Buffer.from('%PDF-1.4 y'),
      fileName: 'b.pdf',
      mimeType: 'application/pdf',
      channelId: 'CJOB1',
      messageTs: '100.2',
      uploadedBy: 'UFOREMAN',
    });
    expect(await outbox.undelivered(T)).toEqual([]);
    await store.invoices.transition(invoice.id, 'extracted', { actor: 'system' });
    expect((await outbox.undelivered(T)).map((r) => r.key)).toEqual([`card:${invoice.id}`]);
  });

  it('hands out a card’s updates one at a time, the newest payload first, and keeps the ts of its first post', async () => {
    const { outbox } = await channelInvoice();
    const card = (n: number) => ({ teamId: T, kind: 'card' as const, key: 'card:7', payload: { n } });
    await outbox.add([card(1), card(2), { teamId: T, kind: 'dm', key: 'dm:a:U1', payload: { channel: 'U1', text: 'hi' } }, card(3)]);

    const first = await outbox.claimDue(10, 60_000, 'loop-a');
    expect(first.map((r) => [r.kind, r.payload])).toEqual([
      ['card', { n: 3 }], // the card shows its latest state: the three updates are one Slack call
      ['dm', { channel: 'U1', text: 'hi' }],
    ]);
    await outbox.add([card(4)]);
    expect(await outbox.claimDue(10, 60_000, 'loop-b')).toEqual([]); // claimed, and card 4 waits for the update before it
    await outbox.delivered(first[0], '111.222');
    expect(await outbox.cardTs('card:7')).toBe('111.222');
    const next = await outbox.claimDue(10, 60_000, 'loop-b');
    expect(next.map((r) => r.payload)).toEqual([{ n: 4 }]);
  });

  it('queues a DM once per key, and takes back the rows of a loop that is gone', async () => {
    const { outbox } = await channelInvoice();
    const msg = { teamId: T, kind: 'dm' as const, key: 'status:1:x:p:U1', payload: { channel: 'U1', text: 'booked' } };
    expect(await outbox.add([msg])).toBe(1);
    expect(await outbox.add([msg, msg])).toBe(0);
    expect(await outbox.claimDue(10, 60_000, 'host:1:dead')).toHaveLength(1);
    expect(await outbox.claimDue(10, 60_000, 'host:2:live')).toEqual([]);
    expect(await outbox.releaseGone((by) => by === 'host:1:dead')).toBe(1);
    const again = await outbox.claimDue(10, 60_000, 'host:2:live');
    expect(again.map((r) => r.key)).toEqual(['status:1:x:p:U1']);
    await outbox.retryAt(again[0].id, Date.now() + 60_000, 'ratelimited');
    expect(await outbox.claimDue(10, 60_000, 'host:2:live')).toEqual([]); // not before its retry time
  });

  it('instances claiming at once each get different rows, and never two rows of one card', async () => {
    const { outbox } = await channelInvoice();
    const dms = Array.from({ length: 9 }, (_, i) => ({ teamId: T, kind: 'dm' as const, key: `dm:${i}`, payload: { i } }));
    const cards = [1, 2, 3].flatMap((n) => [1, 2].map((u) => ({ teamId: T, kind: 'card' as const, key: `card:${n}`, payload: { n, u } })));
    await outbox.add([...dms, ...cards]);
    const rounds = await Promise.all(['a', 'b', 'c'].map((who) => outbox.claimDue(20, 60_000, `host:1:${who}`)));
    const ids = rounds.flat().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const claimedCards = rounds.flat().filter((r) => r.kind === 'card');
    expect(claimedCards.map((r) => r.key).sort()).toEqual(['card:1', 'card:2', 'card:3']);
    expect(claimedCards.map((r) => r.payload.u)).toEqual([2, 2, 2]); // each card's newest update
    expect(rounds.flat().filter((r) => r.kind === 'dm')).toHaveLength(9);
  });
});
