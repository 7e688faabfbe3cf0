import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createStore } from '../../src/store/index.ts';
import { forEachDialect } from './dialects.ts';

/** The workspace-side stores (settings, connections, notices, OAuth states, metered calls, QBO changes) on both dialects. */

const T = 'T1';
const sealed = (tag: string) => ({
  accessTokenEnc: `a-${tag}`,
  refreshTokenEnc: `r-${tag}`,
  accessExpiresAt: 1_900_000_000_000,
  refreshExpiresAt: 1_900_000_000_000,
  refreshHardExpiresAt: null,
});

forEachDialect('Workspace stores', (makeConn) => {
  it('settings: reading writes nothing, an update is read back with its lists and booleans', async () => {
    const store = createStore(await makeConn());
    expect((await store.workspaces.getSettings(T)).autoSync).toBe(false);
    expect(await store.workspaces.get(T)).toBeNull();
    await store.workspaces.updateSettings(T, { autoSync: true, adminUserIds: ['UB'], payerUserIds: ['UP'] }, 'UA');
    expect(await store.workspaces.getSettings(T)).toMatchObject({
      autoSync: true,
      adminUserIds: ['UB'],
      payerUserIds: ['UP'],
    });
  });

  it('connections: a refresh is stored only over the token it replaced; two saves leave one row', async () => {
    const store = createStore(await makeConn());
    const info = { companyName: 'Acme', companyIdentity: null, connectedBy: 'U1' };
    await Promise.all([store.connections.save(T, 'R1', sealed('one'), info), store.connections.save(T, 'R1', sealed('two'), info)]);
    const first = await store.connections.get(T);
    expect(['r-one', 'r-two']).toContain(first?.refreshTokenEnc);
    expect(await store.connections.storeRefreshed(T, first!.refreshTokenEnc!, sealed('three'))).toBe(true);
    expect(await store.connections.storeRefreshed(T, first!.refreshTokenEnc!, sealed('four'))).toBe(false);
    expect((await store.connections.get(T))?.refreshTokenEnc).toBe('r-three');
    expect((await store.connections.get(T))?.accessExpiresAt).toBe(1_900_000_000_000);
    expect(await store.connections.teamsForRealm('R1')).toEqual([T]);
    expect(await store.connections.countByStatus()).toEqual({ connected: 1 });
    expect(await store.connections.markNeedsReconnect(T, 'refresh refused')).toBe(true);
    expect(await store.connections.countByStatus()).toEqual({ needs_reconnect: 1 });
  });

  it('connections: the status read follows connect / needs-reconnect / disconnect and never carries the tokens', async () => {
    const store = createStore(await makeConn());
    expect(await store.connections.status(T)).toBeNull();
    await store.connections.save(T, 'R1', sealed('one'), { companyName: 'Acme', companyIdentity: null, connectedBy: 'U1' });
    const s = await store.connections.status(T);
    expect(s).toMatchObject({ teamId: T, realmId: 'R1', companyName: 'Acme', status: 'connected', connectedBy: 'U1' });
    expect(Object.keys(s!).filter((k) => /token|identity/i.test(k))).toEqual([]);
    await store.connections.markNeedsReconnect(T, 'refresh refused');
    expect(await store.connections.status(T)).toMatchObject({ status: 'needs_reconnect', statusReason: 'refresh refused' });
    await store.connections.markDisconnected(T, 'bye');
    expect((await store.connections.status(T))?.status).toBe('disconnected');
    // The read is prepared once per database handle: inside a transaction it sees the transaction's own write.
    const inTx = await store.tx(async (t) => {
      await t.connections.save(T, 'R2', sealed('two'), { companyName: 'Beta', companyIdentity: null, connectedBy: 'U2' });
      return t.connections.status(T);
    });
    expect(inTx).toMatchObject({ realmId: 'R2', companyName: 'Beta', status: 'connected' });
    expect(await store.connections.status('T-none')).toBeNull();
  });

  it('processed events: the cleanup forgets only the old ids, by an index on received_at', async () => {
    const c = await makeConn();
    const store = createStore(c);
    await store.processedEvents.remember('Ev-old', 1_000);
    await store.processedEvents.remember('Ev-new', 5_000);
    await store.processedEvents.forgetBefore(2_000);
    expect([await store.processedEvents.seen('Ev-old'), await store.processedEvents.seen('Ev-new')]).toEqual([false, true]);
    if (c.dialect === 'sqlite') {
      const plan = (await c.run((db) => db.all(sql`explain query plan delete from processed_events where received_at < 2000`))) as {
        detail: string;
      }[];
      expect(plan.map((p) => p.detail).join(' ')).toContain('USING INDEX processed_events_received');
    } else {
      const db = c.db as unknown as { execute(q: unknown): Promise<{ rows: { indexdef: string }[] }> };
      const { rows } = await db.execute(sql`select indexdef from pg_indexes where tablename = 'processed_events'`);
      expect(rows.map((r) => r.indexdef).join(' ')).toMatch(/processed_events_received .*\(received_at\)/);
    }
  });

  it('profile summary: totals, unlinked and bound channels of one workspace only', async () => {
    const store = createStore(await makeConn());
    expect(await store.profiles.summary(T)).toEqual({ total: 0, unlinked: 0, bindings: 0 });
    await Promise.all([T, 'T2'].map((t) => store.workspaces.ensure(t)));
    const oak = await store.profiles.insert(T, 'project', 'Oak Street', { entity: 'Customer', id: '1', name: 'Oak Street' });
    await store.profiles.insert(T, 'project', 'Pine Road');
    await store.profiles.insert(T, 'cost_code', 'Framing');
    const other = await store.profiles.insert('T2', 'project', 'Elsewhere');
    await store.profiles.bind(T, 'C1', oak!.id);
    await store.profiles.bind('T2', 'C9', other!.id);
    expect(await store.profiles.summary(T)).toEqual({ total: 3, unlinked: 2, bindings: 1 });
    await store.profiles.setLink(T, oak!.id, null);
    expect(await store.profiles.summary(T)).toEqual({ total: 3, unlinked: 3, bindings: 1 });
  });

  it('notices are claimed once per cause until resolved; OAuth states once; metered calls add up', async () => {
    const store = createStore(await makeConn());
    await store.workspaces.ensure(T);
    expect(await store.notices.claim(T, 'disconnected')).toBe(true);
    expect(await store.notices.claim(T, 'disconnected')).toBe(false);
    await store.notices.resolveLike(T, 'disc');
    expect(await store.notices.claim(T, 'disconnected')).toBe(true);
    const now = Date.now();
    await store.oauthStates.insert({ state: 's1', teamId: T, userId: 'U1', viewId: null, expiresAt: now + 600_000 });
    const claims = await Promise.all([store.oauthStates.claim('s1', now), store.oauthStates.claim('s1', now)]);
    expect(claims.filter(Boolean)).toEqual([{ state: 's1', teamId: T, userId: 'U1', viewId: null }]);
    await Promise.all([1, 2, 3].map(() => store.metered.add(T, 'R1', '2026-12')));
    expect(await store.metered.forTeam(T, '2026-12')).toBe(3);
  });

  it('QBO changes: pending until processed; an applied version never moves backwards', async () => {
    const store = createStore(await makeConn());
    await store.workspaces.ensure(T);
    const row = {
      teamId: T,
      realmId: 'R1',
      entity: 'Vendor',
      qboId: '7',
      operation: 'Update',
      lastUpdated: 1_800_000_000_000,
      receivedAt: Date.now(),
    };
    await store.qboChanges.add([row, { ...row, qboId: '8' }]);
    const pending = await store.qboChanges.pending(T);
    expect(pending.map((p) => p.qboId)).toEqual(['7', '8']);
    await store.qboChanges.markProcessed([pending[0]!.id], Date.now());
    expect((await store.qboChanges.pending(T)).map((p) => p.qboId)).toEqual(['8']);
    await store.qboChanges.recordVersion(T, 'Vendor', '7', 1_800_000_000_500);
    await store.qboChanges.recordVersion(T, 'Vendor', '7', 1_800_000_000_100);
    expect(await store.qboChanges.appliedVersion(T, 'Vendor', '7')).toBe(1_800_000_000_500);
    await store.qboChanges.setCursor(T, 5, 6);
    await store.qboChanges.setCursor(T, 7, 8);
    expect(await store.qboChanges.cursor(T)).toEqual({ changedSince: 7, ranAt: 8 });
  });
});
