import { and, eq, ne, sql } from 'drizzle-orm';
import type { Conn } from './conn.ts';
import type { ConnectionStatus } from './sqlite/schema.ts';

export type { ConnectionStatus };

export interface CompanyIdentityRow {
  companyName: string;
  legalName: string | null;
  addresses: string[];
}

/** One workspace's QBO connection as stored: tokens stay sealed (the caller seals and opens them). */
export interface ConnectionRow {
  teamId: string;
  realmId: string;
  companyName: string | null;
  companyIdentity: CompanyIdentityRow | null;
  accessTokenEnc: string | null;
  refreshTokenEnc: string | null;
  accessExpiresAt: number | null;
  refreshExpiresAt: number | null;
  refreshHardExpiresAt: number | null;
  status: ConnectionStatus;
  statusReason: string | null;
  connectedBy: string | null;
  connectedAt: number;
}

/** A connection's status and company, without its tokens or company identity (what most requests need). */
export type ConnectionStatusRow = Pick<
  ConnectionRow,
  'teamId' | 'realmId' | 'companyName' | 'status' | 'statusReason' | 'connectedBy' | 'connectedAt' | 'refreshHardExpiresAt'
>;

export interface SealedTokens {
  accessTokenEnc: string;
  refreshTokenEnc: string;
  accessExpiresAt: number;
  refreshExpiresAt: number | null;
  refreshHardExpiresAt: number | null;
}

function buildStatusQuery(c: Conn) {
  const q = c.t.qboConnections;
  return c.db
    .select({
      teamId: q.teamId,
      realmId: q.realmId,
      companyName: q.companyName,
      status: q.status,
      statusReason: q.statusReason,
      connectedBy: q.connectedBy,
      connectedAt: q.connectedAt,
      refreshHardExpiresAt: q.refreshHardExpiresAt,
    })
    .from(q)
    .where(eq(q.teamId, sql.placeholder('teamId')))
    .limit(1)
    .prepare();
}

/**
 * The status read built once per database handle: it runs about once per Slack request, and building the query
 * through drizzle each time cost ~0.1 ms (0.017 ms prepared). On Postgres a transaction's handle gets its own.
 */
const statusQueries = new WeakMap<object, ReturnType<typeof buildStatusQuery>>();
function statusQuery(c: Conn): ReturnType<typeof buildStatusQuery> {
  let query = statusQueries.get(c.db);
  if (!query) statusQueries.set(c.db, (query = buildStatusQuery(c)));
  return query;
}

/** The qbo_connections table (and the workspace's current company). */
export class ConnectionStore {
  constructor(private readonly c: Conn) {}

  async get(teamId: string): Promise<ConnectionRow | null> {
    const q = this.c.t.qboConnections;
    const [row] = await this.c.run((db) => db.select().from(q).where(eq(q.teamId, teamId)).limit(1));
    return row ? { ...row, refreshHardExpiresAt: row.refreshHardExpiresAt ?? null } : null;
  }

  /** The cheap read: status and company only (no sealed tokens, no identity JSON), for requests that only ask "connected?". */
  async status(teamId: string): Promise<ConnectionStatusRow | null> {
    const query = statusQuery(this.c);
    const [row] = await this.c.run(() => query.execute({ teamId }));
    return row ? { ...row, refreshHardExpiresAt: row.refreshHardExpiresAt ?? null } : null;
  }

  /**
   * A new consent: the workspace's company becomes `realmId` and the connection row is replaced, in one transaction
   * (two concurrent saves leave one row, the later one). Returns the company the workspace referred to before.
   */
  async save(
    teamId: string,
    realmId: string,
    tokens: SealedTokens,
    info: { companyName: string | null; companyIdentity: CompanyIdentityRow | null; connectedBy: string | null },
  ): Promise<{ previousRealmId: string | null }> {
    return this.c.tx(async (t) => {
      const { workspaces: w, qboConnections: q } = t.t;
      await t.run((db) => db.insert(w).values({ teamId }).onConflictDoNothing());
      const [prev] = await t.run((db) => db.select({ realm: w.qboRealmId }).from(w).where(eq(w.teamId, teamId)).limit(1));
      await t.run((db) => db.update(w).set({ qboRealmId: realmId }).where(eq(w.teamId, teamId)));
      const now = Date.now();
      const values = { realmId, ...info, ...tokens, status: 'connected' as const, statusReason: null, connectedAt: now, updatedAt: now };
      await t.run((db) =>
        db
          .insert(q)
          .values({ teamId, ...values })
          .onConflictDoUpdate({ target: q.teamId, set: values }),
      );
      return { previousRealmId: prev?.realm ?? null };
    });
  }

  /** Stores refreshed tokens only if the refresh token is still `expectedRefreshEnc` (nobody reconnected meanwhile). */
  async storeRefreshed(teamId: string, expectedRefreshEnc: string, tokens: SealedTokens): Promise<boolean> {
    const q = this.c.t.qboConnections;
    const rows = await this.c.run((db) =>
      db
        .update(q)
        .set({ ...tokens, updatedAt: Date.now() })
        .where(and(eq(q.teamId, teamId), eq(q.refreshTokenEnc, expectedRefreshEnc)))
        .returning({ teamId: q.teamId }),
    );
    return rows.length > 0;
  }

  async setCompany(teamId: string, patch: { companyName?: string | null; companyIdentity?: CompanyIdentityRow }): Promise<void> {
    const q = this.c.t.qboConnections;
    await this.c.run((db) => db.update(q).set(patch).where(eq(q.teamId, teamId)));
  }

  /** connected → needs_reconnect (the access token forgotten); false when it was not connected. */
  async markNeedsReconnect(teamId: string, reason: string): Promise<boolean> {
    const q = this.c.t.qboConnections;
    const rows = await this.c.run((db) =>
      db
        .update(q)
        .set({ status: 'needs_reconnect', statusReason: reason, accessTokenEnc: null, updatedAt: Date.now() })
        .where(and(eq(q.teamId, teamId), eq(q.status, 'connected')))
        .returning({ teamId: q.teamId }),
    );
    return rows.length > 0;
  }

  /** Forgets the tokens; the row stays (which company it was, who connected it). */
  async markDisconnected(teamId: string, reason: string): Promise<void> {
    const q = this.c.t.qboConnections;
    await this.c.run((db) =>
      db
        .update(q)
        .set({
          status: 'disconnected',
          statusReason: reason,
          accessTokenEnc: null,
          refreshTokenEnc: null,
          accessExpiresAt: null,
          updatedAt: Date.now(),
        })
        .where(eq(q.teamId, teamId)),
    );
  }

  async setStatusReason(teamId: string, statusReason: string): Promise<void> {
    const q = this.c.t.qboConnections;
    await this.c.run((db) => db.update(q).set({ statusReason }).where(eq(q.teamId, teamId)));
  }

  /** Every connected workspace's row. */
  async connected(): Promise<ConnectionRow[]> {
    const q = this.c.t.qboConnections;
    const rows = await this.c.run((db) => db.select().from(q).where(eq(q.status, 'connected')));
    return rows.map((r) => ({ ...r, refreshHardExpiresAt: r.refreshHardExpiresAt ?? null }));
  }

  /** The workspaces connected to a QBO company (a disconnected one hears nothing). */
  async teamsForRealm(realmId: string): Promise<string[]> {
    const q = this.c.t.qboConnections;
    const rows = await this.c.run((db) =>
      db
        .select({ teamId: q.teamId })
        .from(q)
        .where(and(eq(q.realmId, realmId), ne(q.status, 'disconnected'))),
    );
    return rows.map((r) => r.teamId);
  }

  /** How many connections are in each status (for /healthz). */
  async countByStatus(): Promise<Record<string, number>> {
    const q = this.c.t.qboConnections;
    const rows = await this.c.run((db) => db.select({ status: q.status, n: sql<number>`count(*)` }).from(q).groupBy(q.status));
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
