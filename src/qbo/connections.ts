import type { ConnectionStatus, ConnectionStore, SealedTokens } from '../store/connections.ts';
import type { RefreshLockStore } from '../store/refresh-locks.ts';
import { encrypt, decrypt } from '../crypto.ts';
import type { Logger } from '../log.ts';
import { QboError, QboTimeout } from './errors.ts';
import type { QboOAuth, TokenSet } from './oauth.ts';
import type { CompanyIdentity } from './company-identity.ts';

export interface ConnectionInfo {
  teamId: string;
  realmId: string;
  companyName: string | null;
  status: ConnectionStatus;
  statusReason: string | null;
  connectedBy: string | null;
  /** epoch ms */
  connectedAt: number;
  /** epoch ms; null when Intuit did not say */
  refreshHardExpiresAt: number | null;
}

/** Intuit's token endpoint gets this long (intuit-oauth retries inside it); a hung call must not stall every sync. */
const REFRESH_TIMEOUT_MS = 60_000;

/** p, or a QboTimeout after `ms` (the one timeout helper: the work itself is not cancelled). */
export function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QboTimeout(message)), ms);
    timer.unref?.();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Refresh this long before the access token's stated expiry, so a request never races the clock. */
const EARLY_REFRESH_MS = 5 * 60_000;

/**
 * Stores each workspace's QBO tokens (sealed) and hands out valid access tokens. Refreshes are single-flight per
 * workspace and always persist the newest refresh token before anyone uses the new access token: Intuit rotates
 * refresh tokens and an old one may stop working.
 */
export class QboConnections {
  private locks: { store: RefreshLockStore; holder: string } | null = null;
  private inflight = new Map<string, Promise<{ accessToken: string; realmId: string }>>();
  /** Called when a connection stops working (invalid_grant, revoked): the Slack layer tells the admins once. */
  onNeedsReconnect: (teamId: string, reason: string) => void = () => {};

  constructor(
    private readonly store: ConnectionStore,
    private readonly key: Buffer,
    private readonly oauth: QboOAuth,
    private readonly log: Logger,
  ) {}

  /** The connection's status and company (a cheap read: no tokens; the token paths read the full row themselves). */
  async get(teamId: string): Promise<ConnectionInfo | null> {
    return this.store.status(teamId);
  }

  async isConnected(teamId: string): Promise<boolean> {
    return (await this.get(teamId))?.status === 'connected';
  }

  /**
   * Called (synchronously, before the new connection is used) when a workspace connects a different QBO company
   * than the one its links, defaults and cached lists refer to: those ids mean other records there.
   */
  onCompanyChanged: (teamId: string, previousRealmId: string, realmId: string) => void = () => {};

  /** Stores a new consent's tokens (sealed) with the workspace's company, in one transaction. */
  async save(
    teamId: string,
    realmId: string,
    tokens: TokenSet,
    opts: { companyName?: string | null; identity?: CompanyIdentity | null; connectedBy?: string },
  ) {
    const { previousRealmId: previous } = await this.store.save(teamId, realmId, this.seal(tokens, null), {
      companyName: opts.companyName ?? opts.identity?.companyName ?? null,
      companyIdentity: opts.identity ?? null,
      connectedBy: opts.connectedBy ?? null,
    });
    if (previous && previous !== realmId) {
      this.log.warn('workspace connected a different QuickBooks company', { teamId, previousRealmId: previous, realmId });
      this.onCompanyChanged(teamId, previous, realmId);
    }
  }

  private seal(tokens: TokenSet, old: { refreshExpiresAt: number | null; refreshHardExpiresAt: number | null } | null): SealedTokens {
    return {
      accessTokenEnc: encrypt(this.key, tokens.accessToken),
      refreshTokenEnc: encrypt(this.key, tokens.refreshToken),
      accessExpiresAt: tokens.accessExpiresAt,
      refreshExpiresAt: tokens.refreshExpiresAt ?? old?.refreshExpiresAt ?? null,
      refreshHardExpiresAt: tokens.refreshHardExpiresAt ?? old?.refreshHardExpiresAt ?? null,
    };
  }

  async setCompanyName(teamId: string, companyName: string) {
    await this.store.setCompany(teamId, { companyName });
  }

  async setCompanyIdentity(teamId: string, identity: CompanyIdentity) {
    await this.store.setCompany(teamId, { companyIdentity: identity, companyName: identity.companyName || null });
  }

  /** The connected company's names and addresses (from CompanyInfo), or null when none is known. */
  async companyIdentity(teamId: string): Promise<CompanyIdentity | null> {
    return (await this.store.get(teamId))?.companyIdentity ?? null;
  }

  /** A valid access token for the workspace's company, refreshing first when it is (nearly) expired. */
  async accessToken(teamId: string): Promise<{ accessToken: string; realmId: string }> {
    const row = await this.store.get(teamId);
    if (row?.status !== 'connected' || !row.refreshTokenEnc) {
      throw new QboError('not_connected', row ? `QuickBooks connection ${row.status.replace('_', ' ')}` : 'QuickBooks is not connected');
    }
    if (row.accessTokenEnc && (row.accessExpiresAt ?? 0) - EARLY_REFRESH_MS > Date.now()) {
      return { accessToken: decrypt(this.key, row.accessTokenEnc), realmId: row.realmId };
    }
    return this.refresh(teamId, row.accessTokenEnc ? decrypt(this.key, row.accessTokenEnc) : null);
  }

  /**
   * After a 401 with `staleToken`: if another request already refreshed, use its token; otherwise refresh.
   * Never two refreshes for one company at once.
   */
  async renewAfterUnauthorized(teamId: string, staleToken: string): Promise<{ accessToken: string; realmId: string }> {
    const pending = this.inflight.get(teamId);
    if (pending) return pending;
    const row = await this.store.get(teamId);
    if (row?.accessTokenEnc && row.status === 'connected') {
      const current = decrypt(this.key, row.accessTokenEnc);
      if (current !== staleToken) return { accessToken: current, realmId: row.realmId };
    }
    return this.refresh(teamId, staleToken);
  }

  /**
   * Several instances on one database: refreshes take a per-workspace lease first (`holder`: this instance), and
   * whoever waits for it reuses the token the holder stored.
   */
  shareRefreshes(locks: RefreshLockStore, holder: string): void {
    this.locks = { store: locks, holder };
  }

  private refresh(teamId: string, stale: string | null): Promise<{ accessToken: string; realmId: string }> {
    let pending = this.inflight.get(teamId);
    if (pending) return pending;
    pending = (this.locks ? this.refreshLocked(teamId, stale, this.locks) : this.doRefresh(teamId)).finally(() => this.inflight.delete(teamId));
    this.inflight.set(teamId, pending);
    return pending;
  }

  /**
   * The refresh under the workspace's lease: once held, the row is read again, and a token another instance stored
   * meanwhile (not the stale one, not expired) is used instead of refreshing; the newest refresh token is stored
   * before the lease is given back.
   */
  private async refreshLocked(teamId: string, stale: string | null, locks: { store: RefreshLockStore; holder: string }) {
    const deadline = Date.now() + REFRESH_TIMEOUT_MS;
    while (!(await locks.store.take(teamId, locks.holder, REFRESH_TIMEOUT_MS + 5_000))) {
      if (Date.now() > deadline) throw new QboError('network', 'another instance is still refreshing the QuickBooks token');
      await new Promise((r) => setTimeout(r, 50));
    }
    try {
      const row = await this.store.get(teamId);
      if (row?.status === 'connected' && row.accessTokenEnc && (row.accessExpiresAt ?? 0) - EARLY_REFRESH_MS > Date.now()) {
        const current = decrypt(this.key, row.accessTokenEnc);
        if (current !== stale) return { accessToken: current, realmId: row.realmId };
      }
      return await this.doRefresh(teamId);
    } finally {
      await locks.store
        .release(teamId, locks.holder)
        .catch((err) => this.log.warn('refresh lease not released (it runs out)', { teamId, error: err }));
    }
  }

  private async doRefresh(teamId: string): Promise<{ accessToken: string; realmId: string }> {
    const row = await this.store.get(teamId);
    if (!row?.refreshTokenEnc || row.status !== 'connected') throw new QboError('not_connected', 'QuickBooks is not connected');
    try {
      const tokens = await withTimeout(
        this.oauth.refresh(decrypt(this.key, row.refreshTokenEnc)),
        REFRESH_TIMEOUT_MS,
        'Intuit did not answer the token refresh',
      );
      // Only if nobody reconnected meanwhile: never overwrite a newer connection with tokens of the old one.
      if (!(await this.store.storeRefreshed(teamId, row.refreshTokenEnc, this.seal(tokens, row)))) return this.storedToken(teamId);
      this.log.info('qbo token refreshed', { teamId, realmId: row.realmId });
      return { accessToken: tokens.accessToken, realmId: row.realmId };
    } catch (err) {
      const current = await this.store.get(teamId);
      if (current?.refreshTokenEnc !== row.refreshTokenEnc) return this.storedToken(teamId); // reconnected meanwhile: use the new one
      if (err instanceof QboError && err.kind === 'invalid_grant') {
        await this.markNeedsReconnect(teamId, 'QuickBooks refused the saved authorization (invalid_grant): it was revoked or expired');
        throw new QboError('not_connected', 'QuickBooks needs to be reconnected', { cause: err });
      }
      throw err;
    }
  }

  /** The stored access token as it is (used inside a refresh, which must not start another). */
  private async storedToken(teamId: string): Promise<{ accessToken: string; realmId: string }> {
    const row = await this.store.get(teamId);
    if (!row?.accessTokenEnc || row.status !== 'connected') throw new QboError('not_connected', 'QuickBooks is not connected');
    return { accessToken: decrypt(this.key, row.accessTokenEnc), realmId: row.realmId };
  }

  async markNeedsReconnect(teamId: string, reason: string) {
    if (await this.store.markNeedsReconnect(teamId, reason)) {
      this.log.warn('qbo connection needs reconnect', { teamId, reason });
      this.onNeedsReconnect(teamId, reason);
    }
  }

  /**
   * Revokes the authorization at Intuit (best effort), forgets the tokens here and marks the connection
   * disconnected (the row stays: which company it was, who connected it).
   */
  async disconnect(teamId: string): Promise<{ revoked: boolean }> {
    const row = await this.store.get(teamId);
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
    await this.store.markDisconnected(teamId, 'Disconnected by an admin');
    return { revoked };
  }
}
