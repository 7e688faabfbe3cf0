import { describe, expect, it } from 'vitest';
import { validateBlocks, validateView } from '../../emulators/slack/index.ts';
import { approvalBlocks, approverDm, parseApprovalValue, rejectModal, waitingForMeBlocks } from '../../src/slack/views/approvals-card.ts';
import { AA, approvalsListView, projectApproversModal, readRuleForm, ruleModal } from '../../src/slack/views/approvals-settings.ts';
import { parseThreshold } from '../../src/approvals/rules.ts';
import type { ApprovalStep } from '../../src/store/approvals.ts';
import type { Invoice } from '../../src/invoices/service.ts';

const step = (o: Partial<ApprovalStep>): ApprovalStep => ({
  id: 1,
  teamId: 'T1',
  invoiceId: 7,
  round: 1,
  revision: 1,
  position: 1,
  ruleId: 1,
  ruleText: 'Over $5,000 on Oak <Street> → <@UPM>, then <@UCTL>',
  approverUserIds: ['UPM'],
  label: '<@UPM>',
  allowSelfApproval: false,
  status: 'pending',
  decidedBy: null,
  decidedByName: null,
  decidedAt: null,
  reason: null,
  override: false,
  activatedAt: 0,
  remindedAt: null,
  escalatedAt: null,
  ...o,
});
const inv = {
  id: 7,
  vendorName: 'Delgado Concrete',
  fileName: 'a.pdf',
  amountCents: 720_000,
  currency: 'USD',
  invoiceNumber: 'D-1',
} as Invoice;
const textOf = (blocks: any[]) => JSON.stringify(blocks);

describe('approval views', () => {
  it('the card section at each step: who must approve, who did, buttons only while a step waits', () => {
    const first: any[] = approvalBlocks(7, [step({}), step({ id: 2, position: 2, label: '<@UCTL>', status: 'waiting' })]);
    expect(validateBlocks(first, 'message', '')).toEqual([]);
    expect(first[0].text.text).toBe(
      '*Approval:* Over $5,000 on Oak &lt;Street&gt; → <@UPM>, then <@UCTL>\n:hourglass_flowing_sand: Waiting for <@UPM>\n:white_small_square: Then <@UCTL>',
    );
    expect(first[1].elements.map((e: any) => [e.text.text, e.value])).toEqual([
      ['Approve', '7:1'],
      ['Reject', '7:1'],
    ]);

    const second: any[] = approvalBlocks(7, [
      step({ status: 'approved', decidedBy: 'UPM', decidedAt: Date.parse('2026-03-04T12:00:00Z') }),
      step({ id: 2, position: 2, label: '<@UCTL>' }),
    ]);
    expect(second[0].text.text).toContain(':white_check_mark: Approved by <@UPM> · 2026-03-04\n:hourglass_flowing_sand: Waiting for <@UCTL>');
    expect(second[1].elements[0].value).toBe('7:2');

    const rejected: any[] = approvalBlocks(7, [
      step({
        status: 'rejected',
        decidedBy: 'UPM',
        decidedAt: Date.parse('2026-03-04T12:00:00Z'),
        reason: 'Ahead of the work',
      }),
      step({ id: 2, status: 'void' }),
    ]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0].text.text).toContain(':x: Rejected by <@UPM> · 2026-03-04 — “Ahead of the work”');
    expect(approvalBlocks(7, [])).toEqual([]);
  });

  it('approver DM, reject modal and App Home list pass Block Kit checks', () => {
    const dm = approverDm(inv, [step({})], { projectName: 'Oak Street', reminder: true });
    expect(dm.text).toBe('Reminder: approval needed — Invoice D-1 from Delgado Concrete ($7,200.00)');
    expect(validateBlocks(dm.blocks, 'message', '')).toEqual([]);
    const modal = rejectModal(7, 1, 'Invoice D-1');
    expect(validateView(modal, 'modal')).toEqual([]);
    expect(parseApprovalValue(modal.private_metadata)).toEqual({ invoiceId: 7, stepId: 1 });
    expect(parseApprovalValue('7:x')).toBeNull();
    const home = waitingForMeBlocks([{ inv, step: step({}) }]);
    expect(validateBlocks(home, 'home', '')).toEqual([]);
    expect(textOf(home)).toContain('Waiting for my approval');
    expect(waitingForMeBlocks([])).toEqual([]);
  });

  it('settings list shows rules in order, with the right menu per position', () => {
    const view = approvalsListView({
      rules: [
        { id: 4, text: 'Over $5,000 → <@UPM>' },
        { id: 9, text: 'Every invoice → <@UOFFICE>' },
      ],
      policy: { reminderHours: 24, escalationHours: 24 },
    });
    expect(validateView(view, 'modal')).toEqual([]);
    const menus = view.blocks.filter((b: any) => b.accessory?.type === 'overflow');
    expect(menus.map((b: any) => b.text.text)).toEqual(['*1.* Over $5,000 → <@UPM>', '*2.* Every invoice → <@UOFFICE>']);
    expect(menus[0].accessory.options.map((o: any) => o.value)).toEqual(['down:4', 'edit:4', 'delete:4']);
    expect(menus[1].accessory.options.map((o: any) => o.value)).toEqual(['up:9', 'edit:9', 'delete:9']);
    expect(textOf(approvalsListView({ rules: [], policy: { reminderHours: 24, escalationHours: 24 } }).blocks)).toContain('Approvals are off');
  });

  it('the rule form round-trips a rule and reports field errors', () => {
    const rule = {
      when: {
        amountOver: { cents: 500_000, currency: 'USD' },
        projectProfileId: 3,
        vendorId: null,
        costCodeProfileId: null,
      },
      approvers: [{ projectApprovers: true as const }, { user: 'UCTL' }],
      allowSelfApproval: true,
    };
    const view = ruleModal({
      ruleId: 1,
      rule,
      names: { project: 'Oak Street' },
      homeCurrency: 'USD',
      listViewId: 'V1',
    });
    expect(validateView(view, 'modal')).toEqual([]);
    const values: Record<string, Record<string, any>> = {
      [AA.amount]: { [AA.amount]: { value: '5,000.00' } },
      [AA.currency]: { [AA.currency]: { selected_option: { value: 'USD' } } },
      [AA.project]: { [AA.project]: { selected_option: { value: '3' } } },
      [AA.projectStep]: { [AA.projectStep]: { selected_option: { value: 'first' } } },
      [AA.approver(1)]: { [AA.approver(1)]: { selected_user: 'UCTL' } },
      [AA.self]: { [AA.self]: { selected_options: [{ value: 'allow' }] } },
    };
    expect(readRuleForm(values, parseThreshold)).toEqual({ ok: true, rule });
    const bad = readRuleForm({ [AA.amount]: { [AA.amount]: { value: 'lots' } } }, parseThreshold);
    expect(bad).toEqual({
      ok: false,
      errors: {
        [AA.amount]: expect.stringMatching(/amount/),
        [AA.approver(1)]: expect.stringMatching(/at least one approver/),
      },
    });
    expect(validateView(projectApproversModal({ project: { id: 3, name: 'Oak Street' }, users: ['UPM'], listViewId: 'V1' }), 'modal')).toEqual([]);
    expect(validateView(projectApproversModal({ project: null, users: [], listViewId: 'V1' }), 'modal')).toEqual([]);
  });
});
