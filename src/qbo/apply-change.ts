import { EventEmitter } from 'node:events';
import type { Store } from '../store/index.ts';
import type { QboListEntity } from '../store/lists.ts';
import type { Invoice, Invoices } from '../invoices/service.ts';
import type { Logger } from '../log.ts';
import type { QboClient, QboEntity } from './client.ts';
import { LIST_ENTITIES, type QboLists } from './lists.ts';

/**
 * Applies one QBO object as it is now (from change data capture, or read after a webhook) to the app's state: the
 * list cache for names, the invoice for a Bill, Expense (Purchase) or BillPayment. Each object is applied once per
 * QBO version (MetaData.LastUpdatedTime): the same change twice, out of order or late changes nothing twice.
 */

export interface QboObject extends QboEntity {
  status?: string; // 'Deleted' for a CDC tombstone
  MetaData?: { LastUpdatedTime?: string; CreateTime?: string };
  [k: string]: unknown;
}

export interface PaidChange {
  invoice: Invoice;
  paidOn: string | null;
  accountName: string | null;
}

export interface ChangeEvents {
  /** A Bill was paid in QuickBooks (a BillPayment linking it). */
  paid: [PaidChange];
  /** An invoice's fields or payment changed in QuickBooks (its card should show it). */
  updated: [Invoice];
  /** The transaction was deleted or voided in QuickBooks. */
  deleted: [Invoice];
  /** A list record linked to a profile became inactive or was deleted. */
  linkGone: [{ teamId: string; profileId: number; profileName: string; entity: string; qboId: string; deleted: boolean }];
}

/** Entities the app follows, in the order a batch applies them (names first, payments after their bills). */
export const FOLLOWED = ['Account', 'Class', 'Customer', 'Item', 'Vendor', 'Bill', 'Purchase', 'BillPayment'] as const;

export const versionOf = (o: QboObject): number => Date.parse(String(o.MetaData?.LastUpdatedTime ?? '')) || 0;

export class ChangeApplier {
  readonly events = new EventEmitter<ChangeEvents>();

  constructor(private readonly d: { store: Store; qbo: QboClient; lists: QboLists; invoices: Invoices; log: Logger }) {}

  appliedVersion(teamId: string, entity: string, qboId: string): Promise<number> {
    return this.d.store.qboChanges.appliedVersion(teamId, entity, qboId);
  }

  /** Applies `obj` unless a version as new was applied already; returns whether it changed anything. */
  async apply(teamId: string, entity: string, obj: QboObject, batch: Map<string, QboObject> = new Map()): Promise<boolean> {
    const version = versionOf(obj);
    if (version && version <= (await this.appliedVersion(teamId, entity, String(obj.Id)))) return false;
    if ((LIST_ENTITIES as string[]).includes(entity)) await this.applyList(teamId, entity as QboListEntity, obj);
    else if (entity === 'Bill' || entity === 'Purchase') await this.applyTxn(teamId, entity, obj, batch);
    else if (entity === 'BillPayment') await this.applyPayment(teamId, obj);
    if (version) {
      await this.d.store.qboChanges.recordVersion(teamId, entity, String(obj.Id), version);
    }
    return true;
  }

  private async applyList(teamId: string, entity: QboListEntity, obj: QboObject) {
    const deleted = obj.status === 'Deleted';
    if (deleted) await this.d.lists.remove(teamId, entity, String(obj.Id));
    else await this.d.lists.upsert(teamId, entity, obj);
    const fullName = (obj.FullyQualifiedName ?? obj.DisplayName ?? obj.Name) as string | undefined;
    // A linked profile shows the QuickBooks name as it is now.
    if (!deleted && fullName) await this.d.store.profiles.renameLinked(teamId, entity, String(obj.Id), fullName);
    if (!deleted && obj.Active !== false) return;
    const linked = await this.d.store.profiles.linkedTo(teamId, entity, String(obj.Id));
    for (const p of linked) this.events.emit('linkGone', { teamId, profileId: p.id, profileName: p.name, entity, qboId: String(obj.Id), deleted });
  }

  private invoiceFor(teamId: string, entity: 'Bill' | 'Purchase', qboId: string): Promise<Invoice | null> {
    return this.d.invoices.byQboTxn(teamId, entity === 'Bill' ? 'Bill' : 'Expense', qboId);
  }

  private async applyTxn(teamId: string, entity: 'Bill' | 'Purchase', obj: QboObject, batch: Map<string, QboObject>) {
    const inv = await this.invoiceFor(teamId, entity, String(obj.Id));
    if (!inv) return;
    const voided = entity === 'Purchase' && Number(obj.TotalAmt ?? 0) === 0 && /^Voided/i.test(String(obj.PrivateNote ?? ''));
    if (obj.status === 'Deleted' || voided) {
      const reason = voided ? 'voided_in_qbo' : 'deleted_in_qbo';
      const moved = await this.d.invoices.transition(inv.id, 'deleted_in_qbo', {
        actor: 'quickbooks',
        reason,
        patch: {
          reason: { code: reason },
          qboId: null,
          qboPaymentId: null,
          qboUrl: null,
          qboDocNumber: null,
          qboAttachableId: null,
          pendingRequestId: null,
        },
      });
      // Only a booked invoice can be deleted in QuickBooks; one that moved on meanwhile (lost) is left as it is.
      if (moved.applied) this.events.emit('deleted', moved.invoice);
      return;
    }
    const patch: Partial<Invoice> = {};
    // SyncToken 0: the transaction as the app created it (nobody edited it in QuickBooks): its fields are ours.
    if (String(obj.SyncToken ?? '0') !== '0') {
      const cents = Math.round(Number(obj.TotalAmt ?? 0) * 100);
      if (obj.TotalAmt != null && cents !== inv.amountCents) patch.amountCents = cents;
      if (obj.DocNumber != null && obj.DocNumber !== inv.qboDocNumber) patch.qboDocNumber = String(obj.DocNumber);
      if (obj.TxnDate && obj.TxnDate !== inv.invoiceDate) patch.invoiceDate = String(obj.TxnDate);
      if (entity === 'Bill' && obj.DueDate && obj.DueDate !== inv.dueDate) patch.dueDate = String(obj.DueDate);
    }
    let paid: PaidChange | null = null;
    if (entity === 'Bill') {
      const payIds = ((obj.LinkedTxn as Array<{ TxnId: string; TxnType: string }> | undefined) ?? [])
        .filter((l) => /^BillPayment/.test(l.TxnType))
        .map((l) => String(l.TxnId));
      const settled = Number(obj.Balance ?? 1) === 0 && Number(obj.TotalAmt ?? 0) > 0 && payIds.length > 0;
      if (settled && !inv.qboPaymentId) {
        const payId = payIds[payIds.length - 1];
        const payment = batch.get(`BillPayment:${payId}`) ?? (await this.d.qbo.read<QboObject>(teamId, 'BillPayment', payId));
        const found = await this.paidInfo(teamId, inv, payment);
        if ((await this.d.invoices.byId(inv.id))?.qboPaymentId) return; // recorded meanwhile (the payment's own change)
        paid = found;
        Object.assign(patch, { qboPaymentId: payId, ...paidBecause(paid) });
      } else if (!settled && inv.qboPaymentId) {
        Object.assign(patch, { qboPaymentId: null, ...PAYMENT_REMOVED });
      }
    }
    if (!Object.keys(patch).length) return;
    const after = await this.d.invoices.patch(inv.id, patch);
    if (paid) this.events.emit('paid', { ...paid, invoice: after });
    else this.events.emit('updated', after);
  }

  private async applyPayment(teamId: string, obj: QboObject) {
    const gone = obj.status === 'Deleted' || Number(obj.TotalAmt ?? 0) === 0;
    if (gone) {
      for (const inv of await this.d.invoices.byPayment(teamId, String(obj.Id))) {
        this.events.emit('updated', await this.d.invoices.patch(inv.id, { qboPaymentId: null, ...PAYMENT_REMOVED }));
      }
      return;
    }
    const lines = (obj.Line as Array<{ LinkedTxn?: Array<{ TxnId: string; TxnType: string }> }> | undefined) ?? [];
    for (const link of lines.flatMap((l) => l.LinkedTxn ?? []).filter((l) => l.TxnType === 'Bill')) {
      const inv = await this.invoiceFor(teamId, 'Bill', String(link.TxnId));
      if (!inv || inv.qboPaymentId) continue;
      const paid = await this.paidInfo(teamId, inv, obj);
      const after = await this.d.invoices.patch(inv.id, { qboPaymentId: String(obj.Id), ...paidBecause(paid) });
      this.events.emit('paid', { ...paid, invoice: after });
    }
  }

  private async paidInfo(teamId: string, inv: Invoice, payment: QboObject): Promise<PaidChange> {
    const ref = ((payment.CheckPayment as any)?.BankAccountRef ?? (payment.CreditCardPayment as any)?.CCAccountRef) as
      | { value?: string; name?: string }
      | undefined;
    const account = ref?.value ? await this.d.lists.get(teamId, 'Account', String(ref.value)) : null;
    return { invoice: inv, paidOn: (payment.TxnDate as string | undefined) ?? null, accountName: account?.fullName ?? ref?.name ?? null };
  }
}

/** What a QuickBooks payment means for the invoice's reason (worded by src/slack/copy). */
function paidBecause(p: Pick<PaidChange, 'paidOn' | 'accountName'>): Pick<Invoice, 'statusReason' | 'reason'> {
  return { statusReason: 'paid', reason: { code: 'paid', params: { account: p.accountName, by: null, on: p.paidOn } } };
}
const PAYMENT_REMOVED: Pick<Invoice, 'statusReason' | 'reason'> = { statusReason: 'payment_removed', reason: { code: 'payment_removed' } };
