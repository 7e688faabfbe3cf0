import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../src/store/sqlite/client.ts';
import { SqliteConn } from '../../src/store/sqlite/conn.ts';
import { ApprovalStore } from '../../src/store/approvals.ts';
import { ApprovalService, type InvoiceAccess } from '../../src/approvals/service.ts';
import type { Invoice } from '../../src/invoices/service.ts';

/** The approval use case over the real store, with the invoice side as a small in-memory double (status + events). */

const T = 'T1';
let db: Db;
let svc: ApprovalService;
let store: ApprovalStore;
let now = Date.parse('2026-03-04T15:00:00Z');
const invoices = new Map<number, Invoice>();
const moves: string[] = [];
const access: InvoiceAccess = {
  byId: (id) => invoices.get(id) ?? null,
  transition: (id, to, p) => {
    const inv = invoices.get(id)!;
    invoices.set(id, { ...inv, ...p.patch, status: to, statusReason: p.reason ?? null });
    moves.push(`${inv.status}→${to} by ${p.actor}: ${p.reason}`);
  },
};

async function newInvoice(o: Partial<Invoice> = {}): Promise<Invoice> {
  const c = SqliteConn.open(db);
  const [row] = await c.run((d) =>
    d
      .insert(c.t.invoices)
      .values({ teamId: T, source: 'upload', fileName: 'a.pdf', mimeType: 'application/pdf', fileSize: 1, sha256: 'h' })
      .returning({ id: c.t.invoices.id }),
  );
  const inv = {
    id: row.id,
    teamId: T,
    status: 'extracted',
    revision: 1,
    amountCents: 720_000,
    currency: 'USD',
    vendorId: '56',
    projectProfileId: null,
    costCodeProfileId: null,
    submittedBy: 'UFOREMAN',
    ...o,
  } as Invoice;
  invoices.set(inv.id, inv);
  return inv;
}

beforeEach(async () => {
  db = openDatabase(':memory:');
  const c = SqliteConn.open(db);
  await c.run((d) => d.insert(c.t.workspaces).values({ teamId: T }));
  store = new ApprovalStore(c);
  svc = new ApprovalService({
    store,
    invoices: access,
    names: { project: () => 'Oak Street', vendor: () => 'Delgado', costCode: () => 'Concrete' },
    now: () => now,
  });
  invoices.clear();
  moves.length = 0;
  await store.addRule(
    T,
    {
      when: { amountOver: { cents: 500_000, currency: 'USD' } },
      approvers: [{ user: 'UPM' }, { user: 'UCTL' }],
      allowSelfApproval: false,
    },
    'UADMIN',
  );
});
afterEach(() => closeDatabase(db));

const decide = (inv: Invoice, stepId: number, userId: string, o: { approve?: boolean; isAdmin?: boolean; reason?: string } = {}) =>
  svc.decide({
    teamId: T,
    invoiceId: inv.id,
    stepId,
    userId,
    userName: userId.slice(1).toLowerCase(),
    approve: o.approve ?? true,
    isAdmin: o.isAdmin ?? false,
    reason: o.reason,
  });

describe('ApprovalService', () => {
  it('a matching invoice waits; approvals in order; the last one hands it on; the note names both', async () => {
    let approved = 0;
    svc.onApproved = () => void approved++;
    const inv = await newInvoice();
    expect(await svc.gate(inv, 'UFOREMAN')).toMatchObject({ proceed: false, waiting: true });
    expect(invoices.get(inv.id)!.status).toBe('awaiting_approval');
    let [first] = await store.currentRound(inv.id);
    expect(await decide(inv, first.id, 'UCTL')).toEqual({ ok: false, why: 'not_approver' }); // not their turn
    expect((await decide(inv, first.id, 'UPM')).ok).toBe(true);
    expect(await decide(inv, first.id, 'UPM')).toEqual({ ok: false, why: 'stale' }); // a second click on the old card
    const second = (await store.currentRound(inv.id))[1];
    now += 86_400_000;
    expect(await decide(inv, second.id, 'UCTL')).toMatchObject({ ok: true, done: true });
    expect(approved).toBe(1);
    expect(await svc.privateNote(invoices.get(inv.id)!)).toBe('Approved by pm 2026-03-04, ctl 2026-03-05');
    expect(await svc.gate(invoices.get(inv.id)!, 'UCTL')).toEqual({ proceed: true }); // the sync after it goes through
    expect(moves.map((m) => m.split(':')[0])).toEqual([
      'extracted→awaiting_approval by UFOREMAN',
      'awaiting_approval→awaiting_approval by UPM',
      'awaiting_approval→awaiting_approval by UCTL',
    ]);
    [first] = await store.currentRound(inv.id);
    expect(first.decidedByName).toBe('pm');
  });

  it('nobody approves their own submission unless the rule allows it, admins included; an admin elsewhere is an override', async () => {
    const inv = await newInvoice({ submittedBy: 'UPM' });
    await svc.gate(inv, 'UPM');
    const [first] = await store.currentRound(inv.id);
    expect(await decide(inv, first.id, 'UPM')).toEqual({ ok: false, why: 'own_invoice' });
    expect(await decide(inv, first.id, 'UPM', { isAdmin: true })).toEqual({ ok: false, why: 'own_invoice' });
    const byAdmin = await decide(inv, first.id, 'UADMIN', { isAdmin: true });
    expect(byAdmin).toMatchObject({ ok: true, override: true });
    expect(moves.at(-1)).toContain('approved (admin override) (step 1 of 2)');
    expect(invoices.get(inv.id)!.reason).toEqual({
      code: 'approval_step',
      params: { by: 'UADMIN', step: 1, of: 2, override: true, next: '<@UCTL>' },
    });
  });

  it('a rejection needs a reason, sends it back; the resubmission starts a new round; an edit voids approvals', async () => {
    const inv = await newInvoice();
    await svc.gate(inv, 'UFOREMAN');
    const [first] = await store.currentRound(inv.id);
    expect(await decide(inv, first.id, 'UPM', { approve: false, reason: '  ' })).toEqual({
      ok: false,
      why: 'reason_required',
    });
    expect((await decide(inv, first.id, 'UPM', { approve: false, reason: 'Not our job' })).ok).toBe(true);
    expect(invoices.get(inv.id)!).toMatchObject({
      status: 'needs_input',
      reason: { code: 'approval_rejected', params: { by: 'UPM', reason: 'Not our job', override: false } },
    });
    await svc.gate(invoices.get(inv.id)!, 'UFOREMAN');
    const round2 = await store.currentRound(inv.id);
    expect(round2.map((s) => [s.round, s.status])).toEqual([
      [2, 'pending'],
      [2, 'waiting'],
    ]);
    await decide(inv, round2[0].id, 'UPM');
    // Edited after the first approval: a new revision, so the approval no longer counts.
    invoices.set(inv.id, { ...invoices.get(inv.id)!, revision: 2 });
    expect(await decide(inv, round2[1].id, 'UCTL')).toEqual({ ok: false, why: 'stale' });
    await svc.gate(invoices.get(inv.id)!, 'UFOREMAN');
    expect((await store.currentRound(inv.id)).map((s) => [s.round, s.status, s.revision])).toEqual([
      [3, 'pending', 2],
      [3, 'waiting', 2],
    ]);
  });

  it('an invoice no rule matches proceeds; a project step with no approvers is reported, not skipped', async () => {
    expect(await svc.gate(await newInvoice({ amountCents: 10_000 }), 'UFOREMAN')).toEqual({ proceed: true });
    await store.deleteRule(T, (await store.rules(T))[0].id);
    await store.addRule(T, { when: {}, approvers: [{ projectApprovers: true }], allowSelfApproval: false }, 'UADMIN');
    const out = await svc.gate(await newInvoice({ projectProfileId: 9 }), 'UFOREMAN');
    expect(out).toMatchObject({
      proceed: false,
      waiting: false,
      reason: expect.stringContaining('Oak Street has no approvers set'),
    });
  });

  it('reminds once after 24 business hours, then tells the admins once', async () => {
    const heard: string[] = [];
    svc.events.on('reminder', (e) => heard.push(`remind ${e.step.approverUserIds}`));
    svc.events.on('overdue', (e) => heard.push(`overdue ${e.step.approverUserIds}`));
    now = Date.parse('2026-03-06T15:00:00Z'); // a Friday
    await svc.gate(await newInvoice(), 'UFOREMAN');
    expect(await svc.sweep(Date.parse('2026-03-08T15:00:00Z'))).toEqual({ reminded: 0, overdue: 0 }); // Sunday: not due
    expect(await svc.sweep(Date.parse('2026-03-09T15:00:00Z'))).toEqual({ reminded: 1, overdue: 0 });
    expect(await svc.sweep(Date.parse('2026-03-09T16:00:00Z'))).toEqual({ reminded: 0, overdue: 0 });
    expect(await svc.sweep(Date.parse('2026-03-10T15:00:00Z'))).toEqual({ reminded: 0, overdue: 1 });
    expect(await svc.sweep(Date.parse('2026-03-20T15:00:00Z'))).toEqual({ reminded: 0, overdue: 0 });
    expect(heard).toEqual(['remind UPM', 'overdue UPM']);
  });
});
