import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness.ts';
import { addProfile } from '../../src/workspace/profiles.ts';
import { T, setUpWorkspace, type Workspace } from './intake-helpers.ts';
import { forge, userPart } from './settings-helpers.ts';

/**
 * The admins' fix-it DM makes the same account check as the settings pickers: a forged block_actions payload (a
 * value the picker never offered) cannot link a cost code to a bank account, nor make it the default expense account.
 */

let stack: Stack;
let ws: Workspace;
beforeAll(async () => {
  stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN' } });
  ws = await setUpWorkspace(stack);
});
afterAll(async () => {
  await stack?.stop();
});

function pick(actionId: string, blockId: string, value: string) {
  return forge(stack, {
    type: 'block_actions',
    ...userPart(T, 'UADMIN'),
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'D0ADMIN', is_ephemeral: false },
    channel: { id: 'D0ADMIN', name: 'directmessage' },
    trigger_id: '1.2.3',
    actions: [
      {
        type: 'external_select',
        action_id: actionId,
        block_id: blockId,
        selected_option: { text: { type: 'plain_text', text: 'x' }, value },
        action_ts: '1700000000.1',
      },
    ],
  });
}

const settle = () => new Promise((r) => setTimeout(r, 300));

describe('forged fix-it DM choices', () => {
  it('a cost code is not linked to a Bank account, and a real expense account still links', async () => {
    const code = await addProfile(stack.app.engine.store, T, 'cost_code', 'Forged 01');
    expect((await pick('invoice_fix_link', `invoice_fix_link:${code.id}`, `A:${ws.checking.id}`)).status).toBe(200);
    await settle();
    expect((await stack.app.engine.store.profiles.get(T, code.id))?.qboId).toBeNull();
    // The rule refuses only what does not fit: an expense-type account is linked through the same path.
    const expense = (await stack.app.engine.lists.expenseAccounts(T, '', 1))[0]!;
    await pick('invoice_fix_link', `invoice_fix_link:${code.id}`, `A:${expense.id}`);
    await settle();
    expect((await stack.app.engine.store.profiles.get(T, code.id))?.qboId).toBe(expense.id);
  });

  it('a Bank account does not become the default expense account', async () => {
    const before = (await stack.app.engine.store.workspaces.getSettings(T)).defaultExpenseAccountId;
    expect((await pick('invoice_fix_expense', 'invoice_fix_expense', ws.checking.id)).status).toBe(200);
    await settle();
    expect((await stack.app.engine.store.workspaces.getSettings(T)).defaultExpenseAccountId).toBe(before);
    expect(before).not.toBe(ws.checking.id);
  });
});
