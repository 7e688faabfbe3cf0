import { describe, expect, it } from 'vitest';
import {
  describeRule,
  firstMatchingRule,
  parseThreshold,
  planApproval,
  ruleProblems,
  type ApprovalRule,
  type ApprovalSubject,
} from '../../src/approvals/rules.ts';

const OAK = 1;
const ELM = 2;
const CONCRETE = 10;
const names = {
  project: (id: number) => ({ [OAK]: 'Oak Street', [ELM]: 'Elm Court' })[id] ?? `project ${id}`,
  vendor: (id: string) => ({ V1: 'Delgado Concrete' })[id] ?? id,
  costCode: (id: number) => ({ [CONCRETE]: 'Concrete' })[id] ?? `cost code ${id}`,
};
const subject = (o: Partial<ApprovalSubject> = {}): ApprovalSubject => ({
  totalCents: 720_000,
  currency: 'USD',
  vendorId: 'V1',
  projectProfileIds: [OAK],
  costCodeProfileIds: [CONCRETE],
  ...o,
});
const rule = (
  id: number,
  when: ApprovalRule['when'],
  approvers: ApprovalRule['approvers'] = [{ user: 'UPM' }],
  allowSelfApproval = false,
): ApprovalRule => ({ id, when, approvers, allowSelfApproval });

describe('approval rules', () => {
  it('reads each rule in plain words', () => {
    expect(
      describeRule(rule(1, { amountOver: { cents: 500_000, currency: 'USD' }, projectProfileId: OAK }, [{ user: 'UPM' }, { user: 'UCTL' }]), names),
    ).toBe('Over $5,000 on Oak Street → <@UPM>, then <@UCTL>');
    expect(describeRule(rule(2, {}), names)).toBe('Every invoice → <@UPM>');
    expect(describeRule(rule(3, { vendorId: 'V1' }, [{ projectApprovers: true }]), names)).toBe(
      "Invoices from Delgado Concrete → the project's approvers",
    );
    expect(describeRule(rule(4, { projectProfileId: ELM }, [{ projectApprovers: true }], true), names)).toBe(
      "Invoices on Elm Court → Elm Court's approvers (submitters may approve their own)",
    );
    expect(describeRule(rule(5, { costCodeProfileId: CONCRETE, amountOver: { cents: 99_950, currency: 'EUR' } }), names)).toBe(
      'Over €999.50 coded Concrete → <@UPM>',
    );
  });

  it('the first matching rule in the order shown applies', () => {
    const rules = [
      rule(7, { amountOver: { cents: 1_000_000, currency: 'USD' } }, [{ user: 'UCFO' }]),
      rule(3, { projectProfileId: OAK }, [{ user: 'UPM' }]),
      rule(9, {}, [{ user: 'UOFFICE' }]),
    ];
    expect(firstMatchingRule(rules, subject())?.id).toBe(3);
    expect(firstMatchingRule(rules, subject({ totalCents: 1_500_000 }))?.id).toBe(7);
    expect(firstMatchingRule(rules, subject({ projectProfileIds: [ELM] }))?.id).toBe(9);
    expect(firstMatchingRule([rules[1]], subject({ projectProfileIds: [] }))).toBeNull();
  });

  it('amounts compare in the invoice currency, strictly over the threshold', () => {
    const over = rule(1, { amountOver: { cents: 500_000, currency: 'USD' } });
    expect(firstMatchingRule([over], subject({ totalCents: 500_000 }))).toBeNull();
    expect(firstMatchingRule([over], subject({ totalCents: 500_001 }))?.id).toBe(1);
    expect(firstMatchingRule([over], subject({ currency: 'EUR' }))).toBeNull(); // €7,200 is not "over $5,000"
    expect(firstMatchingRule([over], subject({ currency: 'usd' }))?.id).toBe(1);
    expect(firstMatchingRule([over], subject({ totalCents: null }))).toBeNull();
  });

  it('a split invoice is judged on its total and every line’s project', () => {
    // $7,200 split: $2,000 on Oak Street, $5,200 on Elm Court. "Over $5,000 on Oak Street" applies: the total is over, a line is on Oak.
    const r = rule(1, { amountOver: { cents: 500_000, currency: 'USD' }, projectProfileId: OAK });
    expect(firstMatchingRule([r], subject({ projectProfileIds: [ELM, OAK] }))?.id).toBe(1);
    // Project approvers on a split without a project condition: one step per project on the invoice.
    const plan = planApproval(
      [rule(2, {}, [{ projectApprovers: true }, { user: 'UCTL' }])],
      subject({ projectProfileIds: [OAK, ELM, OAK] }),
      (p) => (p === OAK ? ['UPM1', 'UPM2'] : ['UELM']),
      names,
    );
    expect(plan.needed && plan.steps.map((s) => s.userIds)).toEqual([['UPM1', 'UPM2'], ['UELM'], ['UCTL']]);
  });

  it('a project approver step with nobody to ask is a problem, not a silent pass', () => {
    const plan = planApproval([rule(1, { projectProfileId: OAK }, [{ projectApprovers: true }])], subject(), () => [], names);
    expect(plan).toMatchObject({ needed: true, steps: [], problem: 'Oak Street has no approvers set' });
    expect(planApproval([rule(1, {})], subject({ projectProfileIds: [] }), () => [], names)).toMatchObject({
      needed: true,
      steps: [{ userIds: ['UPM'] }],
    });
  });

  it('checks what an admin enters', () => {
    expect(ruleProblems({ when: {}, approvers: [], allowSelfApproval: false })?.approvers).toMatch(/at least one approver/);
    expect(ruleProblems({ when: {}, approvers: [{ user: 'U1' }, { user: 'U1' }], allowSelfApproval: false })?.approvers).toMatch(/one step only/);
    expect(
      ruleProblems({
        when: { amountOver: { cents: 500_000, currency: 'USD' } },
        approvers: [{ user: 'U1' }],
        allowSelfApproval: false,
      }),
    ).toBeNull();
    expect(parseThreshold('5,000')).toBe(500_000);
    expect(parseThreshold('$5,000.5')).toBe(500_050);
    expect(parseThreshold('five')).toBeNull();
    expect(parseThreshold('-3')).toBeNull();
  });
});
