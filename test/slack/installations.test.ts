import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Installation } from '@slack/bolt';
import { closeDatabase, openDatabase, type Db } from '../../src/store/sqlite/client.ts';
import { createStore, SqliteConn } from '../../src/store/index.ts';
import { encrypt } from '../../src/crypto.ts';
import { INSTALLATION_TTL_MS, SqliteInstallationStore } from '../../src/slack/installations.ts';

/** Installations Bolt fetches on every request (multi-workspace mode), kept in memory briefly (issue 12). */

const key = randomBytes(32);
let db: Db | null = null;
afterEach(() => {
  vi.useRealTimers();
  if (db) closeDatabase(db);
  db = null;
});

function open() {
  db = openDatabase(':memory:');
  const store = createStore(SqliteConn.open(db));
  return { db, store, installations: new SqliteInstallationStore(store, key) };
}
const installation = (teamId: string, token: string) =>
  ({
    team: { id: teamId, name: 'Keystone' },
    enterprise: undefined,
    bot: { token, id: 'B1', userId: 'UBOT', scopes: [] },
    user: { id: 'U1' },
  }) as unknown as Installation;
const query = (teamId: string) => ({ teamId, isEnterpriseInstall: false, enterpriseId: undefined });

describe('Slack installations', () => {
  it('a reinstall or an uninstall in this process is seen by the next request at once', async () => {
    const { store, installations } = open();
    await installations.storeInstallation(installation('T1', 'xoxb-first'));
    expect((await installations.fetchInstallation(query('T1'))).bot?.token).toBe('xoxb-first');
    await installations.storeInstallation(installation('T1', 'xoxb-second'));
    const got = await installations.fetchInstallation(query('T1'));
    expect(got.bot?.token).toBe('xoxb-second');
    (got.bot as { token: string }).token = 'changed by a caller';
    expect(await installations.botToken('T1')).toBe('xoxb-second');
    await store.installations.delete('T1'); // as the uninstall handler does
    await expect(installations.fetchInstallation(query('T1'))).rejects.toThrow(/no installation/);
  });

  it("another instance's reinstall on the same database is seen within INSTALLATION_TTL_MS", async () => {
    const { db, installations } = open();
    await installations.storeInstallation(installation('T1', 'xoxb-first'));
    expect(await installations.botToken('T1')).toBe('xoxb-first');
    const enc = encrypt(key, JSON.stringify(installation('T1', 'xoxb-elsewhere')));
    db.$client.prepare('update slack_installations set installation_enc = ? where id = ?').run(enc, 'T1');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + INSTALLATION_TTL_MS);
    expect(await installations.botToken('T1')).toBe('xoxb-elsewhere');
  });
});
