import type { Store } from '../store/index.ts';
import type { QboConnections } from '../qbo/connections.ts';
import type { Invoice } from './service.ts';
import type { Reason } from './reasons.ts';

export interface Blocker {
  cause: string; // machine key: not_connected | no_purchase_account | bad_purchase_account | unlinked:project:<id> | …
  reason: Reason; // why, as data: the Slack layer words it (src/slack/copy/reasons.ts)
}

/** The checks before a sync that need no QBO call: connected, a purchase account, linked profiles, an expense account. */
export async function checkLocalPreconditions(deps: { store: Store; connections: QboConnections }, inv: Invoice): Promise<Blocker | null> {
  const { store, connections } = deps;
  const conn = await connections.get(inv.teamId);
  if (conn?.status !== 'connected') {
    return { cause: 'not_connected', reason: { code: !conn || conn.status === 'disconnected' ? 'not_connected' : 'connection_broken' } };
  }
  const settings = await store.workspaces.getSettings(inv.teamId);
  if (!(inv.purchaseAccountId ?? settings.defaultPurchaseAccountId)) {
    return { cause: 'no_purchase_account', reason: { code: 'no_purchase_account' } };
  }
  for (const [kind, id] of [
    ['project', inv.projectProfileId],
    ['cost_code', inv.costCodeProfileId],
  ] as const) {
    if (id == null) continue;
    const p = await store.profiles.get(inv.teamId, id);
    if (!p) return { cause: `missing:${kind}:${id}`, reason: { code: 'missing_profile', params: { kind } } };
    if (!p.qboId)
      return {
        cause: `unlinked:${kind}:${p.id}`,
        reason: { code: kind === 'project' ? 'unlinked_project' : 'unlinked_cost_code', params: { name: p.name } },
      };
  }
  const costCode = inv.costCodeProfileId != null ? await store.profiles.get(inv.teamId, inv.costCodeProfileId) : null;
  if (!costCode && !settings.defaultExpenseAccountId) {
    return { cause: 'no_expense_account', reason: { code: 'no_expense_account' } };
  }
  return null;
}
