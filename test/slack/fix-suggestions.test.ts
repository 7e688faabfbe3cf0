import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness.ts';
import { addProfile } from '../../src/workspace/profiles.ts';
import { T, setUpWorkspace } from './intake-helpers.ts';
import { forge, userPart } from './settings-helpers.ts';

/** The pickers of the admins' fix-it DM answer admins only (a forged block_suggestion from anyone else gets nothing). */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN' } });
  await setUpWorkspace(stack);
});
afterAll(async () => {
  await stack?.stop();
});

function suggestion(user: string, actionId: string, blockId: string, value = '') {
  return forge(stack, {
    type: 'block_suggestion',
    ...userPart(T, user),
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'D0ADMIN', is_ephemeral: false },
    channel: { id: 'D0ADMIN', name: 'directmessage' },
    action_id: actionId,
    block_id: blockId,
    value,
  });
}

const count = (body: any) => (body?.options?.length ?? 0) + (body?.option_groups ?? []).reduce((n: number, g: any) => n + g.options.length, 0);

describe('fix-it DM pickers', () => {
  it('answer an admin, and give a non-admin nothing', async () => {
    const project = await addProfile(stack.app.engine.store, T, 'project', 'Harbor View');
    const cases: Array<[string, string]> = [
      ['invoice_fix_link', `invoice_fix_link:${project.id}`],
      ['invoice_fix_account', 'invoice_fix_account'],
      ['invoice_fix_expense', 'invoice_fix_expense'],
    ];
    for (const [actionId, blockId] of cases) {
      const admin = await suggestion('UADMIN', actionId, blockId);
      expect(admin.status).toBe(200);
      expect(count(admin.body), actionId).toBeGreaterThan(0);
      const other = await suggestion('UFOREMAN', actionId, blockId);
      expect(other.status).toBe(200);
      expect(other.body, actionId).toEqual({ options: [] });
    }
  }, 60_000);
});
