import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approvalTx } from '../../src/approvals/news.ts';
import { ApprovalService } from '../../src/approvals/service.ts';
import { ApprovalStore } from '../../src/store/approvals.ts';
import { createStore, SqliteConn, type Store } from '../../src/store/index.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { closeDatabase, type Db, openDatabase } from '../../src/store/sqlite/client.ts';
import { tempDir } from '../helpers.ts';

/**
 * The DMs an approval calls for are outbox rows written in the decision's own transaction, over the real stores:
 * they exist as soon as the decision does, and a decision whose notice cannot be written is not recorded.
 */

const T = 'T1';
let db: Db;
let cleanup: () => void;
let store: Store;
let approvals: ApprovalStore;
let svc: ApprovalService;
let outbox: OutboxStore;

beforeEach(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  db = openDatabase(join(t.dir, 'app.db'));
  store = createStore(SqliteConn.open(db));
  approvals = new ApprovalStore(store.conn);
  outbox = new OutboxStore(store.conn);
  svc = new ApprovalService({
    store: approvals,
    invoices: store.invoices,
    names: { project: () => 'Oak Street', vendor: () => 'Delgado', costCode: () => 'Concrete' },
    tx: approvalTx(store, approvals),
  });
  await store.workspaces.ensure(T);
  await approvals.addRule(
    T,
    { when: { amountOver: { cents: 500_000, currency: 'USD' } }, approvers: [{ user: 'UPM' }, { user: 'UCTL' }], allowSelfApproval: false },
    'UADMIN',
  );
});
afterEach(() => {
  closeDatabase(db);
  cleanup();
});

async function submitted() {
  const { invoice } = await store.invoices.create({
    teamId: T,
    source: 'upload',
    bytes: Buffer.from('%PDF approval'),
    fileName: 'a.pdf',
    mimeType: 'application/pdf',
  });
  const inv = store.conn.t.invoices;
  await store.conn.run((d) =>
    d.update(inv).set({ status: 'extracted', amountCents: 720_000, currency: 'USD', submittedBy: 'UFOREMAN' }).where(eq(inv.id, invoice.id)),
  );
  return (await store.invoices.byId(invoice.id))!;
}

const notices = async () => (await outbox.undelivered(T)).filter((r) => r.kind === 'notice' && r.key.startsWith('approval-')).map((r) => r.key);
const decide = (invoiceId: number, stepId: number, userId: string, approve = true, reason?: string) =>
  svc.decide({ teamId: T, invoiceId, stepId, userId, approve, reason, isAdmin: false });

describe('approval DMs in the decision transaction', () => {
  it('asking the first approver, then the next, and telling the submitter of a rejection: one outbox row each', async () => {
    const inv = await submitted();
    expect(await svc.gate(inv, 'UFOREMAN')).toMatchObject({ proceed: false, waiting: true });
    const [first, second] = await approvals.currentRound(inv.id);
    expect(await notices()).toEqual([`approval-asked:${first.id}`]);
    expect((await decide(inv.id, first.id, 'UPM')).ok).toBe(true);
    expect(await notices()).toEqual([`approval-asked:${first.id}`, `approval-asked:${second.id}`]);
    expect((await decide(inv.id, second.id, 'UCTL', false, 'wrong job')).ok).toBe(true);
    expect(await notices()).toContain(`approval-rejected:${second.id}`);
    expect((await store.invoices.byId(inv.id))!.status).toBe('needs_input');
  });

  it('a decision whose DM cannot be written is not recorded: the step still waits and the invoice did not move', async () => {
    const inv = await submitted();
    await svc.gate(inv, 'UFOREMAN');
    const [first] = await approvals.currentRound(inv.id);
    const before = (await store.invoices.byId(inv.id))!;
    db.$client.exec('ALTER TABLE outbox RENAME TO outbox_gone'); // the outbox write fails inside the transaction
    await expect(decide(inv.id, first.id, 'UPM')).rejects.toThrow();
    db.$client.exec('ALTER TABLE outbox_gone RENAME TO outbox');
    expect((await approvals.currentRound(inv.id))[0]).toMatchObject({ id: first.id, status: 'pending', decidedBy: null });
    const after = (await store.invoices.byId(inv.id))!;
    expect({ status: after.status, statusReason: after.statusReason }).toEqual({ status: before.status, statusReason: before.statusReason });
    expect((await decide(inv.id, first.id, 'UPM')).ok).toBe(true); // and it can be decided once the outbox is back
  });
});
