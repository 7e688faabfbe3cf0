import type { QboClient } from '../qbo/client.ts';
import { QboError } from '../qbo/errors.ts';
import type { ListItem, QboLists } from '../qbo/lists.ts';
import { accountUnfit, type PurchaseAccountType } from '../qbo/accounts.ts';

/**
 * Whether a purchase account may pay for an invoice: active, and Bank or Credit Card. In the steady state this is
 * read from the cached lists (kept fresh by list refreshes), so a sync costs QBO only the create and the upload;
 * QBO is asked (`live`) when the cache has never seen the account, when QBO refused a create, and before a payment.
 */
export type AccountCheck = { ok: true; name: string; type: PurchaseAccountType } | { ok: false; reason: string };

export async function checkPurchaseAccount(
  deps: { lists: QboLists; qbo: QboClient },
  teamId: string,
  id: string,
  o: { live?: boolean } = {},
): Promise<AccountCheck> {
  const cached = o.live ? null : await deps.lists.get(teamId, 'Account', id);
  if (cached) return judge(cached.name, cached.active, cached.type);
  let acct: any;
  try {
    acct = await deps.qbo.read(teamId, 'Account', id);
  } catch (err) {
    if (err instanceof QboError && err.kind === 'validation') return { ok: false, reason: 'The purchase account no longer exists in QuickBooks' };
    throw err;
  }
  await deps.lists.upsert(teamId, 'Account', acct);
  return judge(acct.Name, acct.Active !== false, acct.AccountType);
}

function judge(name: string, active: boolean, type: ListItem['type']): AccountCheck {
  const unfit = accountUnfit({ active, type }, 'purchase');
  if (unfit === 'inactive') return { ok: false, reason: `The purchase account "${name}" is inactive in QuickBooks` };
  if (unfit) {
    return { ok: false, reason: `"${name}" is a ${type} account; purchases must come from a Bank or Credit Card account` };
  }
  return { ok: true, name, type: type as PurchaseAccountType };
}
