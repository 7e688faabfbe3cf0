import { afterEach, describe, expect, it } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import type { PostedMessage } from '../../emulators/slack/index.ts';
import {
  T,
  dmsTo,
  expectNothingRejected,
  invoiceOf,
  latest,
  openReview,
  settle,
  setUpWorkspace,
  share,
  textOf,
  topModal,
  type Workspace,
} from './intake-helpers.ts';
import { openSettings } from './settings-helpers.ts';
import { statusText } from '../../src/slack/copy/reasons.ts';

/** Approvals in the job's thread (issue 16), end to end over HTTP: Slack fake + the real app + the QBO emulator. */

let stack: Stack;
let ws: Workspace;
async function boot(o: { autoSync?: boolean } = {}) {
  stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN' } });
  ws = await setUpWorkspace(stack, { autoSync: o.autoSync ?? true });
}
afterEach(async () => {
  await stack?.stop();
});

const approvals = () => stack.app.engine.approvals;
/** "Over $5,000 on Oak Street → @pat.pm, then @olivia.owner". */
const twoStepRule = () =>
  approvals().store.addRule(
    T,
    {
      when: { amountOver: { cents: 500_000, currency: 'USD' }, projectProfileId: ws.project.id },
      approvers: [{ user: 'UPM' }, { user: 'UOWNER' }],
      allowSelfApproval: false,
    },
    'UADMIN',
  );

/** `user` shares a file in the Oak Street channel and submits it with `amount`. */
async function submitted(o: { user?: string; amount?: string; file?: string } = {}) {
  const user = o.user ?? 'UFOREMAN';
  const { card } = await share(stack, o.file ?? 'invoice2data-AzureInterior.pdf', { user });
  const modal = await openReview(stack, card, user);
  const res = await stack.driver.submitView({
    teamId: T,
    userId: user,
    view: modal,
    values: { Amount: o.amount ?? '7200.00' },
  });
  expect(res.errors).toBeUndefined();
  await settle(stack);
  const inv = (await stack.app.engine.invoices.list(T)).find((i) => i.messageTs === card.thread_ts)!;
  return { card, inv };
}

const section = (card: PostedMessage) => latest(stack, card).blocks?.find((b: any) => b.block_id === 'approval_steps')?.text.text ?? '';
const buttons = (m: PostedMessage) =>
  (latest(stack, m).blocks ?? []).flatMap((b: any) => (b.type === 'actions' ? b.elements.map((e: any) => e.text.text) : []));
const approvalDms = (user: string) => dmsTo(stack, user).filter((m) => m.blocks?.some((b: any) => b.block_id === 'approval_dm'));
const click = async (user: string, where: PostedMessage, actionId: 'approval_approve' | 'approval_reject') => {
  await stack.driver.clickButton({ teamId: T, userId: user, where: latest(stack, where), actionId });
  await settle(stack);
};
const pendingStep = async (invoiceId: number) => (await approvals().store.currentRound(invoiceId)).find((s) => s.status === 'pending');

describe('approvals in the job thread', () => {
  it('$7,200 on Oak Street, two-step rule: card names the approvers, each is asked once, both approve → one Bill whose PrivateNote names both', async () => {
    await boot();
    await twoStepRule();
    const { card, inv } = await submitted();
    expect((await invoiceOf(stack, inv.id)).status).toBe('awaiting_approval');
    expect(textOf(latest(stack, card))).toContain('Waiting for approval');
    expect(section(card)).toBe(
      '*Approval:* Over $5,000 on Oak Street → <@UPM>, then <@UOWNER>\n:hourglass_flowing_sand: Waiting for <@UPM>\n:white_small_square: Then <@UOWNER>',
    );
    expect(buttons(card)).toEqual(expect.arrayContaining(['Approve', 'Reject']));
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(0);
    const [dm1] = approvalDms('UPM');
    expect(approvalDms('UPM')).toHaveLength(1);
    expect(approvalDms('UOWNER')).toHaveLength(0); // not their turn yet
    expect(textOf(dm1)).toContain('$7,200.00');

    await click('UPM', dm1, 'approval_approve'); // from the DM
    expect(section(card)).toMatch(/:white_check_mark: Approved by <@UPM> · \d{4}-\d{2}-\d{2}\n:hourglass_flowing_sand: Waiting for <@UOWNER>/);
    await waitFor(() => approvalDms('UOWNER').length === 1, 'the second approver asked');
    await click('UOWNER', card, 'approval_approve'); // from the thread card
    await settle(stack);

    expect((await invoiceOf(stack, inv.id)).status).toBe('synced');
    const bills = stack.qbo.entities(ws.realmId, 'Bill');
    expect(bills).toHaveLength(1);
    expect(bills[0].TotalAmt).toBe(7200);
    expect(bills[0].PrivateNote).toMatch(/^Approved by pat\.pm \d{4}-\d{2}-\d{2}, olivia\.owner \d{4}-\d{2}-\d{2}$/);
    expect(textOf(latest(stack, card))).toContain('In QuickBooks as Bill');
    expect(section(card)).toContain('Approved by <@UOWNER>');
    expect(buttons(card)).not.toContain('Approve');
    const trail = (await stack.app.engine.invoices.history(inv.id)).filter((e) => e.toStatus === 'awaiting_approval').map((e) => [e.actor, e.reason]);
    expect(trail).toEqual([
      ['UFOREMAN', 'awaiting approval: Over $5,000 on Oak Street → <@UPM>, then <@UOWNER>'],
      ['UPM', 'approved (step 1 of 2)'],
      ['UOWNER', 'approved (step 2 of 2)'],
    ]);
    expect(approvalDms('UPM')).toHaveLength(1); // one DM per approver
    expectNothingRejected(stack);
  }, 90_000);

  it('a rejection goes back to the submitter with the reason; edit and resubmit → approval starts again', async () => {
    await boot();
    await twoStepRule();
    const { card, inv } = await submitted();
    await stack.driver.clickButton({
      teamId: T,
      userId: 'UPM',
      where: latest(stack, card),
      actionId: 'approval_reject',
    });
    const modal = await waitFor(
      () => stack.slack.openModalStack(T, 'UPM').find((v) => v.callback_id === 'approval_reject_reason'),
      'the reason modal',
    );
    const empty = await stack.driver.submitView({ teamId: T, userId: 'UPM', view: modal, values: { Reason: '   ' } });
    expect(empty.errors?.approval_reason).toContain('Say why');
    await stack.driver.submitView({
      teamId: T,
      userId: 'UPM',
      view: modal,
      values: { Reason: 'Billed ahead of the work: we are at 40%' },
    });
    await settle(stack);

    expect((await invoiceOf(stack, inv.id)).status).toBe('needs_input');
    expect(statusText(await invoiceOf(stack, inv.id))).toBe(
      'Sent back with this reason: “Billed ahead of the work: we are at 40%”. Edit it if needed and submit it again (approval starts over). Rejected by <@UPM>',
    );
    expect(textOf(latest(stack, card))).toContain('Billed ahead of the work');
    const told = await waitFor(
      () => dmsTo(stack, 'UFOREMAN').find((m) => m.blocks?.some((b: any) => b.block_id === 'approval_rejected')),
      'the rejection DM',
    );
    expect(textOf(told)).toContain('<@UPM> rejected');
    expect(textOf(told)).toContain('“Billed ahead of the work: we are at 40%”');
    expect(section(card)).toContain(':x: Rejected by <@UPM>');
    expect(buttons(card)).not.toContain('Approve');

    // The submitter fixes the amount and submits again: a new round, the first approver asked again.
    const again = await openReview(stack, card);
    await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: again, values: { Amount: '6800.00' } });
    await settle(stack);
    expect((await invoiceOf(stack, inv.id)).status).toBe('awaiting_approval');
    const round = await approvals().store.currentRound(inv.id);
    expect(round.map((s) => [s.round, s.status])).toEqual([
      [2, 'pending'],
      [2, 'waiting'],
    ]);
    expect(section(card)).toContain('Waiting for <@UPM>');
    await waitFor(() => approvalDms('UPM').length === 2, 'the first approver asked again');
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(0);
  }, 90_000);

  it('a forged Approve from someone else changes nothing; an edit after an approval voids it', async () => {
    await boot();
    await twoStepRule();
    const { card, inv } = await submitted();
    const before = await pendingStep(inv.id);
    await click('UFOREMAN', card, 'approval_approve'); // the button is in the shared thread; the server says no
    expect(await pendingStep(inv.id)).toEqual(before);
    expect(
      stack.slack.messages('CJOB1').some((m) => m.ephemeral && textOf(m).includes('Only <@UPM> (or a QuickBooks admin) can decide this step')),
    ).toBe(true);

    // A hand-made payload naming the second step, from someone who is not an approver: refused too.
    const round = await approvals().store.currentRound(inv.id);
    const payload = {
      type: 'block_actions',
      user: { id: 'UFOREMAN', name: 'frank.foreman', team_id: T },
      team: { id: T, domain: 'keystone' },
      api_app_id: 'A0APP',
      token: 'x',
      trigger_id: '1.2.3',
      container: { type: 'message', channel_id: 'CJOB1', message_ts: card.ts },
      channel: { id: 'CJOB1' },
      actions: [
        {
          type: 'button',
          action_id: 'approval_approve',
          block_id: 'approval_actions',
          value: `${inv.id}:${round[1].id}`,
          action_ts: '1',
        },
      ],
    };
    const res = await stack.driver.signedPost(
      '/slack/events',
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );
    expect(res.status).toBe(200);
    await settle(stack);
    expect((await approvals().store.currentRound(inv.id)).map((s) => s.status)).toEqual(['pending', 'waiting']);
    expect((await invoiceOf(stack, inv.id)).status).toBe('awaiting_approval');

    // The first approver approves, then the submitter edits the invoice: that approval no longer counts.
    await click('UPM', card, 'approval_approve');
    const edit = await openReview(stack, card);
    await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: edit, values: { Amount: '7250.00' } });
    await settle(stack);
    expect((await approvals().store.currentRound(inv.id)).map((s) => [s.round, s.status])).toEqual([
      [2, 'pending'],
      [2, 'waiting'],
    ]);
    expect(section(card)).toContain('Waiting for <@UPM>');
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(0);
  }, 90_000);

  it('an approver who submitted the invoice cannot approve it; an admin can, recorded as an override', async () => {
    await boot();
    await twoStepRule();
    const { card, inv } = await submitted({ user: 'UPM' });
    await click('UPM', card, 'approval_approve');
    expect((await pendingStep(inv.id))?.position).toBe(1);
    expect(stack.slack.messages('CJOB1').some((m) => m.ephemeral && textOf(m).includes('you can’t approve it yourself'))).toBe(true);
    await click('UADMIN', card, 'approval_approve');
    const [first] = await approvals().store.currentRound(inv.id);
    expect(first).toMatchObject({ status: 'approved', decidedBy: 'UADMIN', override: true });
    expect(section(card)).toContain('Approved by <@UADMIN>');
    expect(section(card)).toContain('(admin override)');
  }, 90_000);

  it('the approver is reminded once, then the admins are told once', async () => {
    await boot();
    await twoStepRule();
    const { inv } = await submitted();
    const later = Date.now() + 5 * 86_400_000; // past 24 business hours, whatever the weekday
    expect(await approvals().sweep(later)).toEqual({ reminded: 1, overdue: 0 });
    expect(await approvals().sweep(later)).toEqual({ reminded: 0, overdue: 0 });
    await settle(stack);
    const reminders = () => approvalDms('UPM').filter((m) => textOf(m).includes('Reminder'));
    await waitFor(() => reminders().length === 1, 'the reminder');
    expect(await approvals().sweep(later + 5 * 86_400_000)).toEqual({ reminded: 0, overdue: 1 });
    expect(await approvals().sweep(later + 9 * 86_400_000)).toEqual({ reminded: 0, overdue: 0 });
    const overdue = await waitFor(
      () => dmsTo(stack, 'UADMIN').find((m) => m.blocks?.some((b: any) => b.block_id === 'approval_overdue')),
      'the admins told',
    );
    expect(textOf(overdue)).toContain('Waiting for <@UPM>');
    await settle(stack);
    expect(reminders()).toHaveLength(1);
    expect(dmsTo(stack, 'UADMIN').filter((m) => m.blocks?.some((b: any) => b.block_id === 'approval_overdue'))).toHaveLength(1);
    expect((await invoiceOf(stack, inv.id)).status).toBe('awaiting_approval');
  }, 90_000);

  it('Auto-sync off: an approved invoice waits as ready', async () => {
    await boot({ autoSync: false });
    await twoStepRule();
    const { card, inv } = await submitted();
    await click('UPM', card, 'approval_approve');
    await click('UOWNER', card, 'approval_approve');
    expect((await invoiceOf(stack, inv.id)).status).toBe('ready');
    expect(textOf(latest(stack, card))).toContain('Ready — waiting (Auto-sync is off)');
    expect(stack.qbo.entities(ws.realmId, 'Bill')).toHaveLength(0);
    // Turned on later, it goes, with the approvals in its PrivateNote.
    await stack.app.engine.store.workspaces.updateSettings(T, { autoSync: true }, 'UADMIN');
    stack.app.engine.sync.queueReady(T, 'UADMIN');
    await settle(stack);
    expect(stack.qbo.entities(ws.realmId, 'Bill')[0].PrivateNote).toMatch(/^Approved by pat\.pm .*, olivia\.owner /);
  }, 90_000);

  it('rules set in /qbo settings → Approvals apply in the order shown, and the order can be changed', async () => {
    await boot();
    const settings = await openSettings(stack, T, 'UADMIN');
    await stack.driver.clickButton({
      teamId: T,
      userId: 'UADMIN',
      where: settings,
      actionId: 'settings_open_approvals',
    });
    let list = await waitFor(
      () => (topModal(stack, 'UADMIN').callback_id === 'approvals_settings' ? topModal(stack, 'UADMIN') : undefined),
      'the approvals list',
    );
    expect(textOf(list)).toContain('Approvals are off');
    const addRule = async (values: Record<string, any>) => {
      await stack.driver.clickButton({ teamId: T, userId: 'UADMIN', where: list, actionId: 'approval_add_rule' });
      const form = await waitFor(
        () => (topModal(stack, 'UADMIN').callback_id === 'approval_rule' ? topModal(stack, 'UADMIN') : undefined),
        'the rule form',
      );
      const res = await stack.driver.submitView({ teamId: T, userId: 'UADMIN', view: form, values });
      expect(res.errors).toBeUndefined();
      await settle(stack);
      list = stack.slack.view(list.id)!;
    };
    await addRule({ 'Amount over': '10,000', 'First approver': 'UOWNER' });
    await addRule({ Project: { value: String(ws.project.id), text: 'Oak Street' }, 'First approver': 'UPM' });
    const shown = list.blocks.filter((b: any) => b.block_id?.startsWith('approval_rule_') && b.accessory).map((b: any) => b.text.text);
    expect(shown).toEqual(['*1.* Over $10,000 → <@UOWNER>', '*2.* Invoices on Oak Street → <@UPM>']);

    // $12,000 on Oak Street matches both: the first one shown applies.
    const big = await submitted({ amount: '12000.00' });
    expect((await pendingStep(big.inv.id))?.approverUserIds).toEqual(['UOWNER']);

    // The Oak Street rule moved to the top: the next such invoice goes to the project manager.
    const rules = await approvals().store.rules(T);
    await stack.driver.selectOption({
      teamId: T,
      userId: 'UADMIN',
      view: list,
      label: `approval_rule_${rules[1].id}`,
      value: `up:${rules[1].id}`,
    });
    await settle(stack);
    list = stack.slack.view(list.id)!;
    expect(textOf(list)).toContain('*1.* Invoices on Oak Street → <@UPM>');
    const next = await submitted({ amount: '12000.00', file: 'us-rental-bigsky.pdf' });
    expect((await pendingStep(next.inv.id))?.approverUserIds).toEqual(['UPM']);
    expectNothingRejected(stack);
  }, 120_000);
});
