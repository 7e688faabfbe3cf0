import { faultOf, type QboFault } from '../invoices/reasons.ts';
import type { Logger } from '../log.ts';
import type { QboClient } from '../qbo/client.ts';
import { companyIdentityOf } from '../qbo/company-identity.ts';
import type { QboConnections } from '../qbo/connections.ts';
import { QboError } from '../qbo/errors.ts';
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
  /** Null when it did not fail; else QBO's fault, when QBO said what went wrong (null: some other error). */
  failure: { fault: QboFault | null } | null;
}

/**
 * Brings the cache up to date with QBO (lists, company identity) when the workspace is connected: the lists when
 * `force`d or older than LIST_MAX_AGE_MS. Never throws: a failure is returned as data (the caller words it).
 */
export async function refreshFromQbo(deps: RefreshDeps, teamId: string, opts: { force?: boolean } = {}): Promise<RefreshResult> {
  const { connections, lists, qbo } = deps;
  const c = await connections.get(teamId);
  if (c?.status !== 'connected') return { refreshed: false, failure: null };
  try {
    if (!c.companyName || !(await connections.companyIdentity(teamId))) {
      const info = await qbo.companyInfo(teamId);
      if (info?.CompanyName) await connections.setCompanyIdentity(teamId, companyIdentityOf(info));
    }
    const at = await lists.refreshedAt(teamId, 'Account');
    if (opts.force || !at || Date.now() - at > LIST_MAX_AGE_MS) {
      await lists.refresh(teamId);
      return { refreshed: true, failure: null };
    }
    return { refreshed: false, failure: null };
  } catch (err) {
    deps.log.warn('qbo refresh for settings failed', { teamId, error: err });
    return { refreshed: false, failure: { fault: err instanceof QboError ? faultOf(err) : null } };
  }
}
