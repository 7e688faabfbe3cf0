import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { openDatabase, closeDatabase, schema } from '../src/store/sqlite/client.ts';
import { encrypt, decrypt, signToken, verifyToken } from '../src/crypto.ts';
import { tempDir } from './helpers.ts';
import { randomBytes } from 'node:crypto';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('database', () => {
  it('applies migrations, uses WAL and enforces foreign keys', () => {
    const db = openDatabase(join(tmp.dir, 'a.db'));
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() => db.insert(schema.settings).values({ teamId: 'T_NOPE' }).run()).toThrow(/FOREIGN KEY/);
    closeDatabase(db);
    // Re-opening applies nothing twice.
    const again = openDatabase(join(tmp.dir, 'a.db'));
    again.insert(schema.workspaces).values({ teamId: 'T1' }).run();
    expect(again.select().from(schema.workspaces).all()).toHaveLength(1);
    closeDatabase(again);
  });
});

describe('secrets at rest', () => {
  const key = randomBytes(32);
  it('round-trips and is not plaintext', () => {
    const sealed = encrypt(key, 'RT1-secret-refresh-token');
    expect(sealed).not.toContain('secret');
    expect(decrypt(key, sealed)).toBe('RT1-secret-refresh-token');
  });
  it('refuses a tampered value or a wrong key', () => {
    const sealed = encrypt(key, 'abc');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('abd').toString('base64url');
    expect(() => decrypt(key, parts.join('.'))).toThrow();
    expect(() => decrypt(randomBytes(32), sealed)).toThrow();
  });
  it('signed tokens expire and cannot be forged', () => {
    const t = signToken(key, { teamId: 'T1', userId: 'U1' }, 60);
    expect(verifyToken(key, t)).toMatchObject({ teamId: 'T1', userId: 'U1' });
    expect(verifyToken(randomBytes(32), t)).toBeNull();
    const [body] = t.split('.');
    const forged = Buffer.from(JSON.stringify({ teamId: 'T2', userId: 'U1', exp: 9e9 })).toString('base64url');
    expect(verifyToken(key, `${forged}.${t.split('.')[1]}`)).toBeNull();
    expect(body).toBeTruthy();
    expect(verifyToken(key, signToken(key, { a: 1 }, -1))).toBeNull();
  });
});
