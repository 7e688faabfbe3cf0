import { beforeEach, expect, it } from 'vitest';
import type { Conn } from '../../src/store/conn.ts';
import { ApprovalStore } from '../../src/store/approvals.ts';
import { forEachDialect } from './dialects.ts';

let c: Conn;
let store: ApprovalStore;
const T = 'T1';

async function invoice(): Promise<number> {
  const [row] = await c.run((d) =>
    d
      .insert(c.t.invoices)
      .values({ teamId: T, source: 'upload', fileName: 'a.pdf', mimeType: 'application/pdf', fileSize: 1, sha256: 'h' })
      .returning({ id: c.t.invoices.id }),
  );
  return row.id;
}

forEachDialect('ApprovalStore', (makeConn) => {
  beforeEach(async () => {
    c = await makeConn();
    store = new ApprovalStore(c);
    await c.run((d) => d.insert(c.t.workspaces).values({ teamId: T }));
  });

  it('keeps rules in the order set, and moves them', async () => {
    const a = await store.addRule(
      T,
      {
        when: { amountOver: { cents: 500_000, currency: 'USD' } },
        approvers: [{ user: 'UPM' }, { user: 'UCTL' }],
        allowSelfApproval: false,
      },
      'UADMIN',
    );
    const b = await store.addRule(T, { when: {}, approvers: [{ projectApprovers: true }], allowSelfApproval: true }, 'UADMIN');
    expect((await store.rules(T)).map((r) => r.id)).toEqual([a.id, b.id]);
    expect(await store.moveRule(T, b.id, -1)).toBe(true);
    expect((await store.rules(T)).map((r) => r.id)).toEqual([b.id, a.id]);
    expect(await store.moveRule(T, b.id, -1)).toBe(false); // already first
    expect((await store.rules(T))[1]).toEqual(a);
    expect(await store.rules('OTHER')).toEqual([]);
    expect(await store.deleteRule('OTHER', a.id)).toBe(false);
    expect(await store.deleteRule(T, a.id)).toBe(true);
    expect((await store.rules(T)).map((r) => r.id)).toEqual([b.id]);
  });

  it('takes a rule and a reminder policy for a workspace that has no row yet', async () => {
    const rule = await store.addRule('TNEW', { when: {}, approvers: [{ user: 'UPM' }], allowSelfApproval: false }, 'UADMIN');
    expect((await store.rules('TNEW')).map((r) => r.id)).toEqual([rule.id]);
    await store.setPolicy('TNEW2', { reminderHours: 12, escalationHours: 48 }, 'UADMIN');
    expect(await store.policy('TNEW2')).toEqual({ reminderHours: 12, escalationHours: 48 });
  });

  it('runs a round step by step; a decision counts once; a new round voids the old one', async () => {
    const inv = await invoice();
    const rule = { id: 1, allowSelfApproval: false };
    const steps = [
      { userIds: ['UPM'], label: '<@UPM>', projectProfileId: null },
      { userIds: ['UCTL'], label: '<@UCTL>', projectProfileId: null },
    ];
    const round = await store.startRound({
      teamId: T,
      invoiceId: inv,
      revision: 1,
      rule,
      ruleText: 'Over $5,000',
      steps,
      now: 1000,
    });
    expect(round.map((s) => [s.status, s.activatedAt])).toEqual([
      ['pending', 1000],
      ['waiting', null],
    ]);
    expect((await store.pending(T)).map((s) => s.approverUserIds)).toEqual([['UPM']]);

    const after = await store.decide(round[0].id, { approve: true, by: 'UPM', override: false, now: 2000 });
    expect(after?.map((s) => s.status)).toEqual(['approved', 'pending']);
    expect(after?.[1].activatedAt).toBe(2000);
    expect(await store.decide(round[0].id, { approve: true, by: 'UPM', override: false, now: 2001 })).toBeNull(); // double click

    const rejected = await store.decide(round[1].id, {
      approve: false,
      by: 'UCTL',
      override: false,
      reason: 'wrong job',
      now: 3000,
    });
    expect(rejected?.map((s) => [s.status, s.reason])).toEqual([
      ['approved', null],
      ['rejected', 'wrong job'],
    ]);
    expect(await store.pending(T)).toEqual([]);

    const again = await store.startRound({
      teamId: T,
      invoiceId: inv,
      revision: 2,
      rule,
      ruleText: 'Over $5,000',
      steps,
      now: 4000,
    });
    expect(again.map((s) => [s.round, s.status])).toEqual([
      [2, 'pending'],
      [2, 'waiting'],
    ]);
    expect((await store.history(inv)).map((s) => `${s.round}:${s.status}`)).toEqual(['1:void', '1:rejected', '2:pending', '2:waiting']);
  });

  it('reminds and escalates each step once', async () => {
    const inv = await invoice();
    const [step] = await store.startRound({
      teamId: T,
      invoiceId: inv,
      revision: 0,
      rule: { id: 1, allowSelfApproval: false },
      ruleText: 'x',
      steps: [{ userIds: ['U1'], label: 'x', projectProfileId: null }],
      now: 0,
    });
    expect(await store.markOnce(step.id, 'reminded', 10)).toBe(true);
    expect(await store.markOnce(step.id, 'reminded', 11)).toBe(false);
    expect(await store.markOnce(step.id, 'escalated', 12)).toBe(true);
    expect(await store.markOnce(step.id, 'escalated', 13)).toBe(false);
  });

  it('stores a project approver set on the project row, and the reminder policy', async () => {
    const [p] = await c.run((d) =>
      d.insert(c.t.profiles).values({ teamId: T, kind: 'project', name: 'Oak Street' }).returning({ id: c.t.profiles.id }),
    );
    const [cc] = await c.run((d) =>
      d.insert(c.t.profiles).values({ teamId: T, kind: 'cost_code', name: 'Concrete' }).returning({ id: c.t.profiles.id }),
    );
    expect(await store.setProjectApprovers(T, p.id, ['UPM', 'UPM', 'USUPER'])).toBe(true);
    expect(await store.setProjectApprovers(T, cc.id, ['UPM'])).toBe(false); // cost codes have no approvers
    expect(await store.projectApprovers(T, [p.id, cc.id])).toEqual(
      new Map([
        [p.id, ['UPM', 'USUPER']],
        [cc.id, []],
      ]),
    );
    expect(await store.policy(T)).toEqual({ reminderHours: 24, escalationHours: 24 });
    await store.setPolicy(T, { reminderHours: 8, escalationHours: 16 }, 'UADMIN');
    expect(await store.policy(T)).toEqual({ reminderHours: 8, escalationHours: 16 });
  });
});
