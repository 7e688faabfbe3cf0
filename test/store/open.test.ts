import { describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.ts';
import { openStore } from '../../src/store/open.ts';
import { tempDir } from '../helpers.ts';
import { freePort } from '../../emulators/stack.ts';
import { emptyDatabase, PG_SKIP_REASON, testDatabaseUrl } from './postgres.ts';

/** openStore opens the configured kind, migrated, and the same store code works on what it returns. */

async function roundTrip(opened: Awaited<ReturnType<typeof openStore>>) {
  const store = createStore(opened.conn);
  await store.workspaces.updateSettings('T1', { autoSync: true }, 'U1');
  return (await store.workspaces.getSettings('T1')).autoSync;
}

describe('openStore', () => {
  it('opens (and creates) the SQLite file at DATABASE_PATH when DATABASE_URL is unset', async () => {
    const tmp = tempDir();
    try {
      const opened = await openStore({ kind: 'sqlite', path: `${tmp.dir}/sub/app.db` });
      expect(opened.kind).toBe('sqlite');
      expect(await roundTrip(opened)).toBe(true);
      await opened.close();
    } finally {
      tmp.cleanup();
    }
  });

  const url = testDatabaseUrl();
  it.skipIf(!url)(`opens PostgreSQL at DATABASE_URL and migrates an empty database${url ? '' : ` — ${PG_SKIP_REASON}`}`, async () => {
    const t = await emptyDatabase(url!);
    try {
      const opened = await openStore({ kind: 'postgres', url: t.url }, { poolSize: 2 });
      expect(opened.kind).toBe('postgres');
      expect(await roundTrip(opened)).toBe(true);
      await opened.close();
    } finally {
      await t.drop();
    }
  });

  it('a PostgreSQL server it cannot reach is named in the error (user, host, port, database), never the password', async () => {
    const port = await freePort(); // nothing listens there
    const err = await openStore({ kind: 'postgres', url: `postgres://books:Sup3rSecretPw@127.0.0.1:${port}/ledger` }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(`cannot open PostgreSQL at books@127.0.0.1:${port}/ledger (DATABASE_URL)`);
    expect((err as Error).message).toMatch(/ECONNREFUSED/);
    expect(`${(err as Error).message}\n${(err as Error).stack}`).not.toContain('Sup3rSecretPw');
  });
});
