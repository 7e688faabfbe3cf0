import type { SlackDeps } from '../../deps.ts';
import type { Invoice } from '../../../invoices/service.ts';
import { accountFits } from '../../../qbo/accounts.ts';
import type { Profile } from '../../../workspace/profiles.ts';
import { accountLabel } from '../../views/common.ts';
import type { Picked, ReviewValues } from '../../views/invoice-review.ts';

const profilePick = (p: Profile | null): Picked | null => (p ? { id: String(p.id), label: `${p.name}${p.qboId ? '' : ' (not linked)'}` } : null);

/** The review modal's starting values for an invoice (its own fields, else the workspace defaults and the channel's project). */
export async function reviewValuesFor(deps: SlackDeps, inv: Invoice | null, channelId?: string | null): Promise<ReviewValues> {
  const { store, lists } = deps.engine;
  const teamId = inv?.teamId;
  if (!teamId) throw new Error('reviewValuesFor needs an invoice');
  const settings = await deps.engine.store.workspaces.getSettings(teamId);
  const accountId = inv.purchaseAccountId ?? settings.defaultPurchaseAccountId;
  const account = accountId ? await lists.get(teamId, 'Account', accountId) : null;
  const channel = channelId ?? inv.channelId;
  const projectId = inv.projectProfileId ?? (channel ? (await store.profiles.channelProject(teamId, channel))?.id : null) ?? null;
  const vendor = inv.vendorId ? await lists.get(teamId, 'Vendor', inv.vendorId) : null;
  return {
    txnType: inv.txnType ?? settings.defaultType,
    account: account && accountFits(account, 'purchase') ? { id: account.id, label: accountLabel(account) } : null,
    project: profilePick(projectId != null ? await store.profiles.get(teamId, projectId) : null),
    costCode: profilePick(inv.costCodeProfileId != null ? await store.profiles.get(teamId, inv.costCodeProfileId) : null),
    vendor: inv.vendorId ? { id: inv.vendorId, label: vendor?.name ?? inv.vendorName ?? inv.vendorId } : null,
    vendorReadName: inv.vendorId ? null : inv.vendorName,
    amountCents: inv.amountCents,
    currency: inv.currency,
    invoiceNumber: inv.invoiceNumber,
    invoiceDate: inv.invoiceDate,
    dueDate: inv.dueDate,
    memo: inv.memo,
  };
}
