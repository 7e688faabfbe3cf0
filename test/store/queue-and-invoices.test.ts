import { expect, it } from 'vitest';
import { eq, sql, type SQL } from 'drizzle-orm';

type PgLike = { execute(q: SQL): Promise<unknown> };
import { createStore } from '../../src/store/index.ts';
import { forEachDialect } from './dialects.ts';

/** The job queue and the invoice lifecycle, run alike on SQLite and on Postgres. */

forEachDialect('JobStore', (makeConn, dialect) => {
  it.runIf(dialect === 'postgres')('skips a job whose row another instance has locked instead of waiting for it', async () => {
    const c = await makeConn();
    const { jobs } = createStore(c);
    const first = await jobs.enqueue({ kind: 'a', payload: {}, runAt: 0 });
    const second = await jobs.enqueue({ kind: 'b', payload: {}, runAt: 1 });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const other = c.tx(async (t) => {
      // Conn is typed after SQLite's drizzle, which has no .for(); this runs on Postgres only.
      await t.run((db) => (db as unknown as PgLike).execute(sql`SELECT id FROM jobs WHERE id = ${first.id} FOR UPDATE`));
      locked();
      await held;
    });
    await isLocked;
    const claimed = await jobs.claimNext({ holder: 'w1', leaseUntil: Date.now() + 60_000 }, 10);
    release();
    await other;
    expect(claimed?.id).toBe(second.id);
  });

  it('dedupes by key while a job is queued or running, and not after it is done', async () => {
    const { jobs } = createStore(await makeConn());
    const a = await jobs.enqueue({ kind: 'sync', payload: { id: 1 }, dedupeKey: 'sync:1', runAt: 0 });
    const b = await jobs.enqueue({ kind: 'sync', payload: { id: 1 }, dedupeKey: 'sync:1', runAt: 0 });
    expect(a.inserted).toBe(true);
    expect(b).toEqual({ id: a.id, inserted: false });
    const claimed = await jobs.claimNext({ holder: 'w1', leaseUntil: Date.now() + 60_000 }, 10);
    expect(claimed?.id).toBe(a.id);
    expect(await jobs.finish(a.id, 'w1', { status: 'done', lastError: null })).toBe(true);
    expect((await jobs.enqueue({ kind: 'sync', payload: { id: 1 }, dedupeKey: 'sync:1', runAt: 0 })).inserted).toBe(true);
  });

  it('two instances enqueueing the same key at once: one job, both told its id', async () => {
    const { jobs } = createStore(await makeConn());
    const many = await Promise.all(
      Array.from({ length: 8 }, () => jobs.enqueue({ kind: 'sync', payload: { id: 7 }, dedupeKey: 'sync:7', runAt: 0 })),
    );
    expect(many.filter((r) => r.inserted)).toHaveLength(1);
    expect(new Set(many.map((r) => r.id)).size).toBe(1);
    expect((await jobs.all()).filter((j) => j.dedupeKey === 'sync:7')).toHaveLength(1);
  });

  it('cancels a queued job by its key, but not one already running (a cancel and a claim cannot both win)', async () => {
    const { jobs } = createStore(await makeConn());
    const later = await jobs.enqueue({ kind: 'autobook', payload: {}, dedupeKey: 'autobook:1', runAt: Date.now() + 60_000 });
    expect(await jobs.cancelQueued('autobook:1', 'undone by U1')).toBe(true);
    expect(await jobs.active('autobook:1')).toBeNull();
    expect((await jobs.get(later.id))?.lastError).toBe('undone by U1');
    expect(await jobs.claimNext({ holder: 'w1', leaseUntil: Date.now() + 60_000 }, 10, Date.now() + 120_000)).toBeNull();
    await jobs.enqueue({ kind: 'autobook', payload: {}, dedupeKey: 'autobook:2', runAt: 0 });
    expect(await jobs.claimNext({ holder: 'w1', leaseUntil: Date.now() + 60_000 }, 10)).not.toBeNull();
    expect(await jobs.cancelQueued('autobook:2', 'undone by U1')).toBe(false);
    expect((await jobs.active('autobook:2'))?.status).toBe('running');
  });

  it('gives each of many concurrent claimers a different job, and all the jobs in one round', async () => {
    const { jobs } = createStore(await makeConn());
    for (let k = 0; k < 12; k++) await jobs.enqueue({ kind: 'sync', payload: { k }, teamId: `T${k % 3}`, runAt: 0 });
    const lease = Date.now() + 60_000;
    const got = await Promise.all(Array.from({ length: 16 }, (_, n) => jobs.claimNext({ holder: `w${n}`, leaseUntil: lease }, 10)));
    // Postgres: FOR UPDATE SKIP LOCKED, so a claimer that meets a row being taken moves on to the next one.
    const ids = got.filter((j) => j !== null).map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(12);
    expect(await jobs.claimNext({ holder: 'extra', leaseUntil: lease }, 10)).toBeNull();
  });

  it('keeps a workspace to its running-job limit, lets only the holder finish, and takes back an expired lease', async () => {
    const { jobs } = createStore(await makeConn());
    for (let k = 0; k < 3; k++) await jobs.enqueue({ kind: 'sync', payload: {}, teamId: 'T1', runAt: 0 });
    const first = await jobs.claimNext({ holder: 'w1', leaseUntil: Date.now() + 60_000 }, 1);
    expect(first).not.toBeNull();
    expect(await jobs.claimNext({ holder: 'w2', leaseUntil: Date.now() + 60_000 }, 1)).toBeNull();
    expect(await jobs.finish(first!.id, 'w2', { status: 'done', lastError: null })).toBe(false);
    expect(await jobs.renew('w1', Date.now() - 1)).toBe(1); // its lease runs out
    const taken = await jobs.claimNext({ holder: 'w2', leaseUntil: Date.now() + 60_000 }, 1);
    expect(taken?.id).toBe(first!.id);
    expect(taken?.attempts).toBe(2);
    expect(await jobs.finish(first!.id, 'w1', { status: 'done', lastError: null })).toBe(false);
    expect(await jobs.finish(first!.id, 'w2', { status: 'done', lastError: null })).toBe(true);
    expect(await jobs.pending()).toBe(2);
  });

  it("hands a gone holder's jobs back, and kills those that used up their attempts", async () => {
    const { jobs } = createStore(await makeConn());
    await jobs.enqueue({ kind: 'a', payload: {}, runAt: 0 });
    await jobs.enqueue({ kind: 'b', payload: {}, runAt: 0 });
    await jobs.claimNext({ holder: 'gone', leaseUntil: Date.now() + 60_000 }, 10);
    await jobs.claimNext({ holder: 'gone', leaseUntil: Date.now() + 60_000 }, 10);
    expect(await jobs.holders('me')).toEqual(['gone']);
    const out = await jobs.releaseGone('gone', 1);
    expect(out.requeued).toBe(0);
    expect(out.dead.map((d) => d.kind).sort()).toEqual(['a', 'b']);
  });
});

forEachDialect('InvoiceStore', (makeConn) => {
  const file = (n: number) => ({
    teamId: 'T1',
    source: 'channel' as const,
    bytes: Buffer.from(`%PDF-${n}`),
    fileName: `${n}.pdf`,
    mimeType: 'application/pdf',
    slackFileId: `F${n}`,
  });

  it('creates one invoice per Slack file even when two deliveries race, and keeps its bytes apart', async () => {
    const store = createStore(await makeConn());
    const [a, b] = await Promise.all([store.invoices.create(file(1)), store.invoices.create(file(1))]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.invoice.id).toBe(b.invoice.id);
    expect(await store.invoices.ids('T1', ['received'])).toEqual([a.invoice.id]);
    expect(await store.files.bytes(a.invoice.id)).toEqual(Buffer.from('%PDF-1'));
  });

  it('applies only one of two concurrent moves from the same status, and records it once', async () => {
    const c = await makeConn();
    const store = createStore(c);
    const { invoice } = await store.invoices.create(file(2));
    await store.invoices.transition(invoice.id, 'extracted', { actor: 'system' });
    await store.invoices.transition(invoice.id, 'ready', { actor: 'U1' });
    const heard: string[] = [];
    store.invoices.events.on('status', (ch: { to: string }) => heard.push(ch.to));
    const moves = await Promise.all([
      store.invoices.transition(invoice.id, 'syncing', { actor: 'U1' }),
      store.invoices.transition(invoice.id, 'syncing', { actor: 'U2' }),
    ]);
    expect(moves.filter((m) => m.applied)).toHaveLength(1);
    expect(moves.filter((m) => !m.applied)).toHaveLength(1);
    const events = await c.run((db) => db.select().from(c.t.invoiceEvents).where(eq(c.t.invoiceEvents.invoiceId, invoice.id)));
    expect(events.filter((e) => e.toStatus === 'syncing')).toHaveLength(1);
    expect((await store.invoices.countByStatus('T1')).syncing).toBe(1);
    // Listeners hear of the committed move once (a Postgres attempt that lost and ran again emits nothing twice).
    expect(heard).toEqual(['syncing']);
  });
});
