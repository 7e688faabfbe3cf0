import { afterEach, describe, expect, it } from 'vitest';
import { startStack, TEAM_A, waitFor, type Stack } from '../harness.ts';
import { setUpWorkspace } from './intake-helpers.ts';
import { forge, openSettings, payloadView, topModal, userPart } from './settings-helpers.ts';

/**
 * Modal submits answer Slack within its 3 s even when Slack itself is slow to say who is an admin (users.info held
 * up by a 429's Retry-After): the submit is answered "try again" in time and nothing is saved; the late answer is
 * cached, so the next submit saves at once.
 */

const T = TEAM_A.id;
const SLACK_ACK_MS = 3000;
let stack: Stack;
afterEach(async () => {
  await stack?.stop();
});

const radio = (value: string, text: string) => ({ type: 'radio_buttons', selected_option: { value, text: { type: 'plain_text', text } } });

describe('the settings submit when users.info is slow', () => {
  it('is answered within the deadline without saving, and saves on the next submit once Slack has answered', async () => {
    stack = await startStack();
    const v = await openSettings(stack, T, 'UADMIN');
    const before = await stack.app.engine.store.workspaces.getSettings(T);
    expect(before.autoSync).toBe(false);
    // UOWNER is a Slack owner (users.info says so) not yet checked: their check is the users.info call.
    const submit = () =>
      forge(stack, {
        type: 'view_submission',
        ...userPart(T, 'UOWNER'),
        trigger_id: 'x',
        view: payloadView(v, {
          settings_auto_sync: { settings_auto_sync: radio('on', 'On') },
          settings_default_type: { settings_default_type: radio('Bill', 'Bill') },
        }),
      });
    stack.slack.failNext('users.info', 'ratelimited', { status: 429, retryAfter: 4 });
    const started = Date.now();
    const late = await submit();
    expect(Date.now() - started).toBeLessThan(SLACK_ACK_MS);
    expect(late.body).toMatchObject({ response_action: 'errors' });
    expect(Object.values(late.body.errors).join()).toContain('Slack is slow to confirm that you are an admin');
    expect((await stack.app.engine.store.workspaces.getSettings(T)).autoSync).toBe(false);

    // Slack answers the retried users.info after its Retry-After; the next submit is then saved at once.
    await waitFor(() => stack.slack.callsTo('users.info').some((c) => c.args.user === 'UOWNER' && c.ok), 'the retried users.info', 10_000);
    const again = await submit();
    expect(again.status).toBe(200);
    expect(again.body).toBeFalsy();
    await waitFor(async () => (await stack.app.engine.store.workspaces.getSettings(T)).autoSync || undefined, 'saved', 5000);
  }, 60_000);
});

describe('an approval rule submit when users.info is slow', () => {
  it('is answered within the deadline without adding the rule; the next submit adds it', async () => {
    stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN' } });
    await setUpWorkspace(stack);
    const settings = await openSettings(stack, T, 'UADMIN');
    await stack.driver.clickButton({ teamId: T, userId: 'UADMIN', where: settings, actionId: 'settings_open_approvals' });
    const list = await waitFor(
      () => (topModal(stack, T, 'UADMIN')?.callback_id === 'approvals_settings' ? topModal(stack, T, 'UADMIN') : undefined),
      'list',
    );
    await stack.driver.clickButton({ teamId: T, userId: 'UADMIN', where: list, actionId: 'approval_add_rule' });
    const form = await waitFor(
      () => (topModal(stack, T, 'UADMIN')?.callback_id === 'approval_rule' ? topModal(stack, T, 'UADMIN') : undefined),
      'form',
    );
    const submit = () =>
      forge(stack, {
        type: 'view_submission',
        ...userPart(T, 'UOWNER'),
        trigger_id: 'x',
        view: payloadView(form, {
          approval_rule_amount: { approval_rule_amount: { type: 'plain_text_input', value: '5000' } },
          approval_rule_approver_1: { approval_rule_approver_1: { type: 'users_select', selected_user: 'UPM' } },
        }),
      });
    const rules = () => stack.app.engine.approvals.store.rules(T);
    stack.slack.failNext('users.info', 'ratelimited', { status: 429, retryAfter: 4 });
    const started = Date.now();
    const late = await submit();
    expect(Date.now() - started).toBeLessThan(SLACK_ACK_MS);
    expect(late.body).toMatchObject({ response_action: 'errors', errors: { approval_rule_approver_1: expect.stringContaining('Slack is slow') } });
    expect(await rules()).toEqual([]);

    await waitFor(() => stack.slack.callsTo('users.info').some((c) => c.args.user === 'UOWNER' && c.ok), 'the retried users.info', 10_000);
    const again = await submit();
    expect(again.body).toBeFalsy();
    await waitFor(async () => (await rules()).length === 1 || undefined, 'the rule saved', 5000);
    expect(JSON.stringify((await rules())[0].approvers)).toContain('UPM');
  }, 60_000);
});
