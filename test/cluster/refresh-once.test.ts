import { afterEach, describe, expect, it } from 'vitest';
import { startEngineStack, type EngineStack } from '../engine/engine-harness.ts';
import { QboConnections } from '../../src/qbo/connections.ts';
import { ConnectionStore } from '../../src/store/connections.ts';
import { RefreshLockStore } from '../../src/store/refresh-locks.ts';
import { createLogger } from '../../src/log.ts';
import { loadConfig } from '../../src/config.ts';

/** Two instances on one database hit an expired token at once: Intuit sees one refresh, both use its token. */

const TEAM = 'T1';
let s: EngineStack;
afterEach(async () => {
  await s?.stop();
});

/** A second instance's token keeper on the same database (its own in-process single-flight, its own holder id). */
function otherInstance(stack: EngineStack): QboConnections {
  const { engine } = stack;
  const other = new QboConnections(new ConnectionStore(engine.conn), loadConfig(stack.env).encryptionKey, engine.oauth, createLogger('silent'));
  other.shareRefreshes(new RefreshLockStore(engine.conn), 'otherhost:4242:beef');
  return other;
}

describe('one token refresh per expiry across instances', () => {
  it('two instances renewing after the same 401 make one Intuit refresh call and get the same new token', async () => {
    s = await startEngineStack();
    const realm = await s.connect(TEAM);
    const stale = (await s.engine.connections.accessToken(TEAM)).accessToken;
    const other = otherInstance(s);
    s.emu.expireAccessTokens(realm);
    const [a, b] = await Promise.all([s.engine.connections.renewAfterUnauthorized(TEAM, stale), other.renewAfterUnauthorized(TEAM, stale)]);
    expect(a.accessToken).not.toBe(stale);
    expect(b.accessToken).toBe(a.accessToken);
    expect(s.emu.realmStats.of(realm).refreshesPerEpoch).toEqual([0, 1]);
    // The newest refresh token was stored: the next expiry refreshes once more, and it works.
    s.emu.expireAccessTokens(realm);
    const [c, d] = await Promise.all([
      other.renewAfterUnauthorized(TEAM, b.accessToken),
      s.engine.connections.renewAfterUnauthorized(TEAM, a.accessToken),
    ]);
    expect(d.accessToken).toBe(c.accessToken);
    expect(s.emu.realmStats.of(realm).refreshesPerEpoch).toEqual([0, 1, 1]);
    expect((await s.engine.qbo.companyInfo(TEAM)).CompanyName).toBeTruthy();
  }, 30_000);

  it("a killed holder's lease runs out: the next instance refreshes", async () => {
    s = await startEngineStack();
    const realm = await s.connect(TEAM);
    const stale = (await s.engine.connections.accessToken(TEAM)).accessToken;
    const locks = new RefreshLockStore(s.engine.conn);
    // A holder that died mid-refresh, its lease already over.
    expect(await locks.take(TEAM, 'deadhost:1:dead', 1_000, Date.now() - 5_000)).toBe(true);
    expect(await locks.take(TEAM, 'livehost:2:beef', 1_000, Date.now() - 5_000)).toBe(false); // held (then)
    s.emu.expireAccessTokens(realm);
    const fresh = await otherInstance(s).renewAfterUnauthorized(TEAM, stale);
    expect(fresh.accessToken).not.toBe(stale);
    expect(s.emu.realmStats.of(realm).refreshesPerEpoch).toEqual([0, 1]);
  }, 30_000);
});
