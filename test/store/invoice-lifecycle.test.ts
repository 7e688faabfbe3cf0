import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { closeDatabase, openDatabase, type Db } from '../../src/store/sqlite/client.ts';
import { createStore, SqliteConn, type InvoiceStatus, type Store } from '../../src/store/index.ts';
import { ALL_STATUSES, canMove, TRANSITIONS } from '../../src/invoices/lifecycle.ts';
import { tempDir } from '../helpers.ts';

/** The transition table as the store applies it: conditional moves, lost races reported, hooks inside the transaction. */

let db: Db;
let cleanup: () => void;
let store: Store;
afterEach(() => {
  closeDatabase(db);
  cleanup();
});
function open() {
  const t = tempDir();
  cleanup = t.cleanup;
  db = openDatabase(join(t.dir, 'app.db'));
  store = createStore(SqliteConn.open(db));
}
let n = 0;
async function invoiceIn(status: InvoiceStatus) {
  const { invoice } = await store.invoices.create({
    teamId: 'T1',
    source: 'upload',
    bytes: Buffer.from(`%PDF ${++n}`),
    fileName: `${n}.pdf`,
    mimeType: 'application/pdf',
  });
  // Put it straight into `status` (the store has no way to skip the table; the test does).
  await store.conn.run((d) => d.update(store.conn.t.invoices).set({ status }).where(eq(store.conn.t.invoices.id, invoice.id)));
  return invoice.id;
}

describe('the transition table', () => {
  it('every status moves exactly to what the table allows; an illegal move changes nothing and says so', async () => {
    open();
    expect(TRANSITIONS.synced).toEqual(['deleted_in_qbo']); // a booked invoice is never re-sent or edited
    for (const from of ALL_STATUSES) {
      for (const to of ALL_STATUSES) {
        const id = await invoiceIn(from);
        const events = (await store.invoices.history(id)).length;
        const moved = await store.invoices.transition(id, to, { actor: 'UTEST', reason: 'test' });
        const now = (await store.invoices.byId(id))!;
        expect({ from, to, applied: moved.applied }).toEqual({ from, to, applied: canMove(from, to) });
        expect(now.status).toBe(moved.applied ? to : from);
        expect((await store.invoices.history(id)).length).toBe(events + (moved.applied ? 1 : 0));
        if (!moved.applied) expect(moved.invoice.status).toBe(from);
      }
    }
  });
});

describe('conditional moves', () => {
  it('two concurrent submits of the same invoice: one wins, the other is told it lost', async () => {
    open();
    const id = await invoiceIn('extracted');
    // Both read the invoice as `extracted` and move from what they saw.
    const [a, b] = await Promise.all([
      store.invoices.transition(id, 'ready', { actor: 'UA', from: ['extracted'] }),
      store.invoices.transition(id, 'blocked', { actor: 'UB', from: ['extracted'] }),
    ]);
    expect([a.applied, b.applied].sort()).toEqual([false, true]);
    const loser = a.applied ? b : a;
    const winner = a.applied ? a : b;
    expect(loser.invoice.status).toBe(winner.invoice.status);
    expect((await store.invoices.history(id)).filter((e) => e.fromStatus === 'extracted')).toHaveLength(1);
  });

  it('a retry racing a sync: one outcome, never both', async () => {
    open();
    const id = await invoiceIn('failed');
    const inv = (await store.invoices.byId(id))!;
    const [sync, retry] = await Promise.all([
      store.invoices.startSync(inv, { actor: 'system', reason: 'sending', from: ['failed'], checkDuplicate: true }),
      store.invoices.transition(id, 'ready', { actor: 'UPM', reason: 'retry', from: ['failed'] }),
    ]);
    const syncApplied = 'applied' in sync && sync.applied;
    expect([syncApplied, retry.applied].filter(Boolean)).toHaveLength(1);
    expect((await store.invoices.byId(id))!.status).toBe(syncApplied ? 'syncing' : 'ready');
  });

  it('the duplicate check and the move to syncing are one step: of two invoices with the same file, one starts', async () => {
    open();
    const bytes = Buffer.from('%PDF same');
    const one = (await store.invoices.create({ teamId: 'T1', source: 'upload', bytes, fileName: 'a.pdf', mimeType: 'application/pdf' })).invoice;
    const two = (await store.invoices.create({ teamId: 'T1', source: 'upload', bytes, fileName: 'b.pdf', mimeType: 'application/pdf' })).invoice;
    for (const i of [one, two]) await store.invoices.transition(i.id, 'ready', { actor: 'U' });
    const ready = await Promise.all([one, two].map(async (i) => (await store.invoices.byId(i.id))!));
    const out = await Promise.all(ready.map((i) => store.invoices.startSync(i, { actor: 'system', checkDuplicate: true })));
    expect(out.filter((o) => 'applied' in o && o.applied)).toHaveLength(1);
    expect(out.filter((o) => 'duplicateOf' in o)).toHaveLength(1);
  });
});

describe('the status change hook', () => {
  it('runs inside the move’s transaction: a failing hook undoes the move; listeners hear only committed moves', async () => {
    open();
    const id = await invoiceIn('extracted');
    const heard: string[] = [];
    store.invoices.events.on('status', (c) => heard.push(`${c.from}→${c.to}`));
    const seenInTx: InvoiceStatus[] = [];
    const off = store.invoices.onTransition(async (t, change) => {
      const [row] = await t.run((d) => d.select({ s: t.t.invoices.status }).from(t.t.invoices).where(eq(t.t.invoices.id, change.invoice.id)));
      seenInTx.push(row.s);
      if (change.to === 'blocked') throw new Error('outbox write failed');
    });
    await expect(store.invoices.transition(id, 'blocked', { actor: 'U' })).rejects.toThrow(/outbox write failed/);
    expect((await store.invoices.byId(id))!.status).toBe('extracted');
    expect(heard).toEqual([]);
    const moved = await store.invoices.transition(id, 'ready', { actor: 'U' });
    expect(moved.applied).toBe(true);
    expect(seenInTx).toEqual(['blocked', 'ready']); // the hook saw the new status before commit
    expect(heard).toEqual(['extracted→ready']);
    off();
  });

  it('Store.tx: moves inside it are heard once it committed, not at all when it rolled back', async () => {
    open();
    const id = await invoiceIn('extracted');
    const heard: string[] = [];
    store.invoices.events.on('status', (c) => heard.push(c.to));
    await expect(
      store.tx(async (s) => {
        await s.invoices.transition(id, 'ready', { actor: 'U' });
        expect(heard).toEqual([]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(heard).toEqual([]);
    expect((await store.invoices.byId(id))!.status).toBe('extracted');
    await store.tx((s) => s.invoices.transition(id, 'ready', { actor: 'U' }));
    expect(heard).toEqual(['ready']);
  });
});
