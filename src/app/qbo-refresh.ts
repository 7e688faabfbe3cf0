import type { Logger } from '../log.ts';
import type { QboClient } from '../qbo/client.ts';
import { companyIdentityOf } from '../qbo/company-identity.ts';
import type { QboConnections } from '../qbo/connections.ts';
import type { QboLists } from '../qbo/lists.ts';

/** Lists older than this are fetched again when the settings modal opens. */
export const LIST_MAX_AGE_MS = 5 * 60_000;

export interface RefreshDeps {
  connections: QboConnections;
  qbo: QboClient;
  lists: Pick<QboLists, 'refresh' | 'refreshedAt'>;
  log: Logger;
}

/** What bringing the cache up to date did: nothing (not connected, still fresh), a refresh, or a failure. */
export interface RefreshResult {
  refreshed: boolean;
  /** Why it failed (a QboError names QBO's fault); null when it did not. */
  error: unknown;
}

/**
 * Brings the cache up to date with QBO (lists, company identity) when the workspace is connected: the lists when
 * `force`d or older than LIST_MAX_AGE_MS. Never throws: a failure is returned (the caller words it).
 */
export async function refreshFromQbo(deps: RefreshDeps, teamId: string, opts: { force?: boolean } = {}): Promise<RefreshResult> {
  const { connections, lists, qbo } = deps;
  const c = await connections.get(teamId);
  if (c?.status !== 'connected') return { refreshed: false, error: null };
  try {
    if (!c.companyName || !(await connections.companyIdentity(teamId))) {
      const info = await qbo.companyInfo(teamId);
      if (info?.CompanyName) await connections.setCompanyIdentity(teamId, companyIdentityOf(info));
    }
    const at = await lists.refreshedAt(teamId, 'Account');
    if (opts.force || !at || Date.now() - at > LIST_MAX_AGE_MS) {
      await lists.refresh(teamId);
      return { refreshed: true, error: null };
    }
    return { refreshed: false, error: null };
  } catch (err) {
    deps.log.warn('qbo refresh for settings failed', { teamId, error: err });
    return { refreshed: false, error: err };
  }
}
