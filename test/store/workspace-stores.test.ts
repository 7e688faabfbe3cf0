import { afterEach, describe, expect, it, vi } from 'vitest';
import { SETTINGS_TTL_MS } from '../../src/store/workspace.ts';
import { PROFILE_SUMMARY_TTL_MS } from '../../src/store/profiles.ts';
import { randomBytes } from 'node:crypto';
import { closeDatabase, openDatabase, type Db } from '../../src/store/sqlite/client.ts';
import { createStore, SqliteConn, type Store } from '../../src/store/index.ts';
import { QboConnections } from '../../src/qbo/connections.ts';
import type { QboOAuth, TokenSet } from '../../src/qbo/oauth.ts';
import { decrypt } from '../../src/crypto.ts';
import { silentLogger as log } from '../../src/log.ts';

const T = 'T0STORE';
const key = randomBytes(32);
let db: Db | null = null;

function open(): { db: Db; store: Store } {
  db = openDatabase(':memory:');
  return { db, store: createStore(SqliteConn.open(db)) };
}
afterEach(() => {
  if (db) closeDatabase(db);
  db = null;
});

const count = (d: Db, table: string) => (d.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
const tokens = (tag: string, hard: number | null = null): TokenSet => ({
  accessToken: `access-${tag}`,
  refreshToken: `refresh-${tag}`,
  accessExpiresAt: Date.now() - 1, // expired: the next accessToken() refreshes
  refreshExpiresAt: Date.now() + 86_400_000,
  refreshHardExpiresAt: hard,
});
const storedRefresh = (d: Db) => {
  const rows = d.$client.prepare('select refresh_token_enc as r from qbo_connections where team_id = ?').all(T) as {
    r: string;
  }[];
  return rows.map((x) => decrypt(key, x.r));
};

describe('workspace settings', () => {
  it('reading the settings of a workspace never seen writes nothing and answers the defaults', async () => {
    const { db, store } = open();
    const s = await store.workspaces.getSettings(T);
    expect(s).toMatchObject({
      teamId: T,
      autoSync: false,
      defaultType: 'Bill',
      defaultPurchaseAccountId: null,
      adminUserIds: [],
      payerUserIds: [],
    });
    expect(count(db, 'workspaces')).toBe(0);
    expect(count(db, 'settings')).toBe(0);
    expect(count(db, 'workspaces') + count(db, 'settings')).toBe(0);
  });

  it('an update creates the workspace and is what the next read answers', async () => {
    const { store } = open();
    const { before, after } = await store.workspaces.updateSettings(T, { autoSync: true, adminUserIds: ['UBOSS'] }, 'UADMIN');
    expect(before.autoSync).toBe(false);
    expect(after).toMatchObject({ autoSync: true, adminUserIds: ['UBOSS'] });
    expect((await store.workspaces.getSettings(T)).autoSync).toBe(true);
  });
});

describe('workspace settings read by every request (kept in memory briefly)', () => {
  it('a write through the store is read back at once, and a caller changing what it got changes nothing stored', async () => {
    const { store } = open();
    await store.workspaces.updateSettings(T, { adminUserIds: ['UA'] }, 'UA');
    const first = await store.workspaces.getSettings(T);
    first.adminUserIds.push('UEVIL');
    expect((await store.workspaces.getSettings(T)).adminUserIds).toEqual(['UA']);
    await store.workspaces.updateSettings(T, { adminUserIds: ['UB'], autoSync: true }, 'UB');
    expect(await store.workspaces.getSettings(T)).toMatchObject({ adminUserIds: ['UB'], autoSync: true });
    await store.workspaces.clearDefaultAccounts(T);
    await store.workspaces.purge([T]);
    expect((await store.workspaces.getSettings(T)).adminUserIds).toEqual([]);
  });

  it("another instance's write on the same database is read within SETTINGS_TTL_MS", async () => {
    const { db, store } = open();
    await store.workspaces.updateSettings(T, { autoSync: false }, 'UA');
    expect((await store.workspaces.getSettings(T)).autoSync).toBe(false);
    db.$client.prepare('update settings set auto_sync = 1 where team_id = ?').run(T); // as another process would
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + SETTINGS_TTL_MS);
      expect((await store.workspaces.getSettings(T)).autoSync).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it("profile counts: this process's writes show at once, another instance's within PROFILE_SUMMARY_TTL_MS", async () => {
    const { db, store } = open();
    await store.workspaces.ensure(T);
    await store.profiles.insert(T, 'project', 'Oak Street');
    expect(await store.profiles.summary(T)).toEqual({ total: 1, unlinked: 1, bindings: 0 });
    await store.profiles.insert(T, 'project', 'Pine Road');
    expect(await store.profiles.summary(T)).toEqual({ total: 2, unlinked: 2, bindings: 0 });
    db.$client.prepare("insert into profiles (team_id, kind, name) values (?, 'project', 'Elm Court')").run(T); // another process
    expect((await store.profiles.summary(T)).total).toBe(2); // the short copy
    expect((await store.tx((t) => t.profiles.summary(T))).total).toBe(3); // a transaction reads afresh
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + PROFILE_SUMMARY_TTL_MS);
      expect((await store.profiles.summary(T)).total).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('QBO connection tokens', () => {
  it('two consents saved at once leave one row holding the later tokens', async () => {
    const { db, store } = open();
    const c = new QboConnections(store.connections, key, {} as QboOAuth, log);
    await Promise.all([c.save(T, 'R1', tokens('first'), { connectedBy: 'U1' }), c.save(T, 'R1', tokens('second'), { connectedBy: 'U2' })]);
    expect(storedRefresh(db)).toEqual(['refresh-second']);
    expect((db.$client.prepare('select qbo_realm_id as r from workspaces where team_id = ?').get(T) as { r: string }).r).toBe('R1');
  });

  it('two instances refreshing the same token at once: one row, the newest token, and both callers get a token that works', async () => {
    const { db, store } = open();
    let n = 0;
    const oauth = {
      // Intuit rotates the refresh token on every refresh; each answer is a new pair.
      refresh: async (rt: string) => {
        expect(rt).toBe('refresh-consent');
        await new Promise((r) => setTimeout(r, 5));
        return tokens(`rotated-${++n}`);
      },
    } as unknown as QboOAuth;
    // Two app instances on one database: separate QboConnections (their single-flight maps do not see each other).
    const a = new QboConnections(store.connections, key, oauth, log);
    const b = new QboConnections(store.connections, key, oauth, log);
    await a.save(T, 'R1', tokens('consent'), {});
    const [ta, tb] = await Promise.all([a.accessToken(T), b.accessToken(T)]);
    const rows = storedRefresh(db);
    expect(rows).toHaveLength(1);
    // The first stored answer wins; the other instance does not overwrite it and uses the stored access token.
    expect(rows[0]).toBe('refresh-rotated-1');
    expect(n).toBe(2);
    expect([ta.accessToken, tb.accessToken]).toEqual(['access-rotated-1', 'access-rotated-1']);
    const stored = decrypt(
      key,
      (
        db.$client.prepare('select access_token_enc as a from qbo_connections where team_id = ?').get(T) as {
          a: string;
        }
      ).a,
    );
    expect(stored).toBe('access-rotated-1');
  });
});
