import type { Store } from '../store/index.ts';
import type { QboClient, QboEntity } from '../qbo/client.ts';
import type { QboConnections } from '../qbo/connections.ts';
import { QboError } from '../qbo/errors.ts';
import type { QboLists } from '../qbo/lists.ts';
import { toBillPayment } from '../qbo/mapping.ts';
import { checkPurchaseAccount } from './purchase-account.ts';
import { documentTypeOf } from './coding.ts';
import { openCreditsFor, type OpenCredit } from './credits.ts';
import { requestIdFor, type Invoice, type Invoices } from './service.ts';

type PayDeps = { store: Store; qbo: QboClient; lists: QboLists; connections: QboConnections; invoices: Invoices };

/** The vendor's open credits a payment of this Bill can apply (credit notes booked as VendorCredits). */
export async function openCredits(deps: Pick<PayDeps, 'invoices'>, invoiceId: number): Promise<OpenCredit[]> {
  const inv = await deps.invoices.byId(invoiceId);
  if (inv?.txnType !== 'Bill' || documentTypeOf(inv.extracted) === 'credit_note') return [];
  return openCreditsFor(inv, await deps.invoices.list(inv.teamId, { statuses: ['synced'], limit: 500 }));
}

/**
 * Mark paid: a BillPayment for the full amount from the invoice's purchase account, applying the given vendor
 * credits (then only the difference is paid). Idempotent per invoice.
 */
export async function markPaid(deps: PayDeps, invoiceId: number, actor: string, date?: string, credits: OpenCredit[] = []): Promise<Invoice> {
  const { invoices, qbo } = deps;
  const inv = await invoices.byId(invoiceId);
  if (inv?.status !== 'synced' || !inv.qboId) throw new Error('Only an invoice synced to QuickBooks can be marked paid');
  if (inv.txnType !== 'Bill') throw new Error('Only a Bill is paid later; an Expense is already paid');
  if (inv.qboPaymentId) return inv;
  const realm = (await deps.connections.get(inv.teamId))?.realmId;
  if (inv.qboRealmId && realm && inv.qboRealmId !== realm)
    throw new Error('This bill is in the QuickBooks company that was connected before; pay it there');
  const accountId = inv.purchaseAccountId ?? (await deps.store.workspaces.getSettings(inv.teamId)).defaultPurchaseAccountId;
  if (!accountId) throw new Error('No purchase account to pay from');
  const account = await checkPurchaseAccount(deps, inv.teamId, accountId, { live: true });
  if (!account.ok) throw new Error(account.reason);
  let payment: QboEntity;
  try {
    payment = await qbo.create(
      inv.teamId,
      'BillPayment',
      toBillPayment({
        billId: inv.qboId,
        vendorId: inv.vendorId!,
        amountCents: inv.amountCents!,
        account: { id: accountId, type: account.type },
        date,
        credits,
      }),
      // Same attempt → same requestid (a double click or a retry after an outage pays once); a refusal moves it on.
      { requestId: `${requestIdFor(inv, 'pay')}${inv.payAttempt}` },
    );
  } catch (err) {
    if (err instanceof QboError && err.kind === 'validation') await invoices.patch(inv.id, { payAttempt: inv.payAttempt + 1 });
    throw err;
  }
  // A credit applied in full is used up: it is not offered again.
  for (const c of credits)
    await invoices.patch(c.invoiceId, {
      qboPaymentId: String(payment.Id),
      statusReason: 'paid',
      reason: { code: 'paid', params: { account: null, by: actor } },
    });
  return invoices.patch(inv.id, {
    qboPaymentId: String(payment.Id),
    statusReason: 'paid',
    reason: { code: 'paid', params: { account: account.name, by: actor } },
  });
}
