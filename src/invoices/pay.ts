import type { Db } from '../store/sqlite/client.ts';
import type { QboClient, QboEntity } from '../qbo/client.ts';
import type { QboConnections } from '../qbo/connections.ts';
import { QboError } from '../qbo/errors.ts';
import type { QboLists } from '../qbo/lists.ts';
import { toBillPayment } from '../qbo/mapping.ts';
import { getSettings } from '../workspace/settings.ts';
import { checkPurchaseAccount } from './purchase-account.ts';
import { requestIdFor, type Invoice, type Invoices } from './service.ts';

/** Mark paid: a BillPayment for the full amount from the invoice's purchase account. Idempotent per invoice. */
export async function markPaid(
  deps: { db: Db; qbo: QboClient; lists: QboLists; connections: QboConnections; invoices: Invoices },
  invoiceId: number,
  actor: string,
  date?: string,
): Promise<Invoice> {
  const { invoices, qbo } = deps;
  const inv = await invoices.byId(invoiceId);
  if (!inv || inv.status !== 'synced' || !inv.qboId) throw new Error('Only an invoice synced to QuickBooks can be marked paid');
  if (inv.txnType !== 'Bill') throw new Error('Only a Bill is paid later; an Expense is already paid');
  if (inv.qboPaymentId) return inv;
  const realm = deps.connections.get(inv.teamId)?.realmId;
  if (inv.qboRealmId && realm && inv.qboRealmId !== realm) throw new Error('This bill is in the QuickBooks company that was connected before; pay it there');
  const accountId = inv.purchaseAccountId ?? getSettings(deps.db, inv.teamId).defaultPurchaseAccountId;
  if (!accountId) throw new Error('No purchase account to pay from');
  const account = await checkPurchaseAccount(deps, inv.teamId, accountId, { live: true });
  if (!account.ok) throw new Error(account.reason);
  let payment: QboEntity;
  try {
    payment = await qbo.create(
      inv.teamId,
      'BillPayment',
      toBillPayment({ billId: inv.qboId, vendorId: inv.vendorId!, amountCents: inv.amountCents!, account: { id: accountId, type: account.type }, date }),
      // Same attempt → same requestid (a double click or a retry after an outage pays once); a refusal moves it on.
      { requestId: `${requestIdFor(inv, 'pay')}${inv.payAttempt}` },
    );
  } catch (err) {
    if (err instanceof QboError && err.kind === 'validation') await invoices.patch(inv.id, { payAttempt: inv.payAttempt + 1 });
    throw err;
  }
  return invoices.patch(inv.id, { qboPaymentId: String(payment.Id), statusReason: 'paid', reason: { code: 'paid', params: { account: account.name, by: actor } } });
}
