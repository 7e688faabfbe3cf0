import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { qboConnections, workspaces, type ConnectionStatus } from '../db/schema.ts';
import { encrypt, decrypt } from '../crypto.ts';
import type { Logger } from '../log.ts';
import { QboError } from './errors.ts';
import type { QboOAuth, TokenSet } from './oauth.ts';

export interface ConnectionInfo {
  teamId: string;
  realmId: string;
  companyName: string | null;
  status: ConnectionStatus;
  statusReason: string | null;
  connectedBy: string | null;
  connectedAt: string;
}

/** Refresh this long before the access token's stated expiry, so a request never races the clock. */
const EARLY_REFRESH_MS = 5 * 60_000;

/**
 * Stores each workspace's QBO tokens (sealed) and hands out valid access tokens. Refreshes are single-flight per
 * workspace and always persist the newest refresh token before anyone uses the new access token: Intuit rotates
 * refresh tokens and an old one may stop working.
 */
export class QboConnections {
  private inflight = new Map<string, Promise<{ accessToken: string; realmId: string }>>();
  /** Called when a connection stops working (invalid_grant, revoked): the Slack layer tells the admins once. */
  onNeedsReconnect: (teamId: string, reason: string) => void = () => {};

  constructor(
    private readonly db: Db,
    private readonly key: Buffer,
    private readonly oauth: QboOAuth,
    private readonly log: Logger,
  ) {}

  get(teamId: string): ConnectionInfo | null {
    const row = this.db.select().from(qboConnections).where(eq(qboConnections.teamId, teamId)).get();
    if (!row) return null;
    return {
      teamId: row.teamId,
      realmId: row.realmId,
      companyName: row.companyName,
      status: row.status,
      statusReason: row.statusReason,
      connectedBy: row.connectedBy,
      connectedAt: row.connectedAt,
    };
  }

  isConnected(teamId: string): boolean {
    return this.get(teamId)?.status === 'connected';
  }

  save(teamId: string, realmId: string, tokens: TokenSet, opts: { companyName?: string | null; connectedBy?: string }) {
    this.db.insert(workspaces).values({ teamId }).onConflictDoNothing().run();
    const values = {
      realmId,
      companyName: opts.companyName ?? null,
      accessTokenEnc: encrypt(this.key, tokens.accessToken),
      refreshTokenEnc: encrypt(this.key, tokens.refreshToken),
      accessExpiresAt: tokens.accessExpiresAt,
      refreshExpiresAt: tokens.refreshExpiresAt,
      status: 'connected' as const,
      statusReason: null,
      connectedBy: opts.connectedBy ?? null,
      connectedAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    };
    this.db
      .insert(qboConnections)
      .values({ teamId, ...values })
      .onConflictDoUpdate({ target: qboConnections.teamId, set: values })
      .run();
  }

  setCompanyName(teamId: string, companyName: string) {
    this.db.update(qboConnections).set({ companyName }).where(eq(qboConnections.teamId, teamId)).run();
  }

  /** A valid access token for the workspace's company, refreshing first when it is (nearly) expired. */
  async accessToken(teamId: string): Promise<{ accessToken: string; realmId: string }> {
    const row = this.db.select().from(qboConnections).where(eq(qboConnections.teamId, teamId)).get();
    if (!row || row.status !== 'connected' || !row.refreshTokenEnc) {
      throw new QboError('not_connected', row ? `QuickBooks connection ${row.status.replace('_', ' ')}` : 'QuickBooks is not connected');
    }
    if (row.accessTokenEnc && (row.accessExpiresAt ?? 0) - EARLY_REFRESH_MS > Date.now()) {
      return { accessToken: decrypt(this.key, row.accessTokenEnc), realmId: row.realmId };
    }
    return this.refresh(teamId);
  }

  /**
   * After a 401 with `staleToken`: if another request already refreshed, use its token; otherwise refresh.
   * Never two refreshes for one company at once.
   */
  async renewAfterUnauthorized(teamId: string, staleToken: string): Promise<{ accessToken: string; realmId: string }> {
    const pending = this.inflight.get(teamId);
    if (pending) return pending;
    const row = this.db.select().from(qboConnections).where(eq(qboConnections.teamId, teamId)).get();
    if (row?.accessTokenEnc && row.status === 'connected') {
      const current = decrypt(this.key, row.accessTokenEnc);
      if (current !== staleToken) return { accessToken: current, realmId: row.realmId };
    }
    return this.refresh(teamId);
  }

  private refresh(teamId: string): Promise<{ accessToken: string; realmId: string }> {
    let pending = this.inflight.get(teamId);
    if (pending) return pending;
    pending = this.doRefresh(teamId).finally(() => this.inflight.delete(teamId));
    this.inflight.set(teamId, pending);
    return pending;
  }

  private async doRefresh(teamId: string): Promise<{ accessToken: string; realmId: string }> {
    const row = this.db.select().from(qboConnections).where(eq(qboConnections.teamId, teamId)).get();
    if (!row?.refreshTokenEnc || row.status !== 'connected') throw new QboError('not_connected', 'QuickBooks is not connected');
    try {
      const tokens = await this.oauth.refresh(decrypt(this.key, row.refreshTokenEnc));
      this.db
        .update(qboConnections)
        .set({
          accessTokenEnc: encrypt(this.key, tokens.accessToken),
          refreshTokenEnc: encrypt(this.key, tokens.refreshToken),
          accessExpiresAt: tokens.accessExpiresAt,
          refreshExpiresAt: tokens.refreshExpiresAt ?? row.refreshExpiresAt,
          updatedAt: new Date().toISOString(),
        })
        .where(eq(qboConnections.teamId, teamId))
        .run();
      this.log.info('qbo token refreshed', { teamId, realmId: row.realmId });
      return { accessToken: tokens.accessToken, realmId: row.realmId };
    } catch (err) {
      if (err instanceof QboError && err.kind === 'invalid_grant') {
        this.markNeedsReconnect(teamId, 'QuickBooks refused the saved authorization (invalid_grant): it was revoked or expired');
        throw new QboError('not_connected', 'QuickBooks needs to be reconnected', { cause: err });
      }
      throw err;
    }
  }

  markNeedsReconnect(teamId: string, reason: string) {
    const changed = this.db
      .update(qboConnections)
      .set({ status: 'needs_reconnect', statusReason: reason, accessTokenEnc: null, updatedAt: new Date().toISOString() })
      .where(and(eq(qboConnections.teamId, teamId), eq(qboConnections.status, 'connected')))
      .run().changes;
    if (changed) {
      this.log.warn('qbo connection needs reconnect', { teamId, reason });
      this.onNeedsReconnect(teamId, reason);
    }
  }

  /** Revokes the token at Intuit (best effort) and forgets it here. */
  async disconnect(teamId: string): Promise<{ revoked: boolean }> {
    const row = this.db.select().from(qboConnections).where(eq(qboConnections.teamId, teamId)).get();
    if (!row) return { revoked: false };
    let revoked = false;
    if (row.refreshTokenEnc) {
      try {
        await this.oauth.revoke(decrypt(this.key, row.refreshTokenEnc));
        revoked = true;
      } catch (err) {
        this.log.warn('qbo revoke failed; deleting the token locally anyway', { teamId, error: err });
      }
    }
    this.db.delete(qboConnections).where(eq(qboConnections.teamId, teamId)).run();
    return { revoked };
  }
}
