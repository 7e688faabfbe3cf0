import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, closeDatabase } from '../../src/store/sqlite/client.ts';
import { createStore, SqliteConn } from '../../src/store/index.ts';
import { createLogger } from '../../src/log.ts';
import { AdminCheck } from '../../src/slack/deps.ts';

/** Who counts as an admin, and who may pay (issue 11.7), against a users.info that answers as Slack does. */

const db = openDatabase(':memory:');
const store = createStore(SqliteConn.open(db));
afterAll(() => closeDatabase(db));
const log = createLogger('error', {}, () => {});
const check = () => new AdminCheck({ engine: { store } as any, config: { slack: { adminUserIds: ['UENV'] } } as any, log });
const slack = (users: Record<string, Record<string, unknown>>) =>
  ({ users: { info: async ({ user }: { user: string }) => ({ user: users[user] ? { id: user, ...users[user] } : undefined }) } }) as any;

describe('AdminCheck', () => {
  it('a workspace admin is an admin; an admin of another workspace (Slack Connect) is not', async () => {
    const client = slack({
      UHOME: { is_admin: true, team_id: 'T1' },
      UGUEST: { is_admin: true, is_owner: true, team_id: 'T0OTHER' },
      UCREW: { team_id: 'T1' },
    });
    const a = check();
    expect(await a.isAdmin(client, 'T1', 'UHOME')).toBe(true);
    expect(await a.isAdmin(client, 'T1', 'UGUEST')).toBe(false);
    expect(await a.isAdmin(client, 'T1', 'UCREW')).toBe(false);
    expect(await a.isAdmin(client, 'T1', 'UENV')).toBe(true);
  });

  it('payers may pay, members may not, admins always may', async () => {
    const client = slack({ UHOME: { is_admin: true, team_id: 'T2' }, UPAY: { team_id: 'T2' }, UCREW: { team_id: 'T2' } });
    await store.workspaces.updateSettings('T2', { payerUserIds: ['UPAY'] }, 'UHOME');
    const a = check();
    expect(await a.canPay(client, 'T2', 'UPAY')).toBe(true);
    expect(await a.canPay(client, 'T2', 'UHOME')).toBe(true);
    expect(await a.canPay(client, 'T2', 'UCREW')).toBe(false);
    expect(await a.isAdmin(client, 'T2', 'UPAY')).toBe(false); // paying is not changing settings
  });
});
