import { attachFile } from './attach.ts';
import type { Store } from '../store/index.ts';
import type { InvoiceFileStore } from '../store/invoice-files.ts';
import type { Logger } from '../log.ts';
import type { QboClient, QboEntity } from '../qbo/client.ts';
import type { QboConnections } from '../qbo/connections.ts';
import { QboError } from '../qbo/errors.ts';
import { isTransientDbError } from '../store/errors.ts';
import { MappingError, transactionUrl, type MappingInput } from '../qbo/mapping.ts';
import { documentTypeOf, splitLinesFor, transactionFor } from './coding.ts';
import type { OpenCredit } from './credits.ts';
import { learnCoding } from './vendor-coding.ts';
import type { InvoiceLinesStore } from '../store/invoice-lines.ts';
import type { VendorRulesStore } from '../store/vendor-rules.ts';
import type { QboLists } from '../qbo/lists.ts';
import { checkPurchaseAccount } from './purchase-account.ts';
import { requestIdFor, type Invoice, type Invoices, type Moved } from './service.ts';
import { canSyncNow, COMPANY_RESET_STATUSES } from './lifecycle.ts';
import { PermanentFailure, RetryLater, type Worker } from './worker.ts';
import { faultOf, type Reason } from './reasons.ts';
import type { ApprovalService } from '../approvals/service.ts';
import { checkLocalPreconditions, type Blocker } from './preconditions.ts';
import { markPaid, openCredits } from './pay.ts';
import { attachOrQueue, because, lineBlocker, mappingInputFor, outcome, type SyncOutcome } from './sync-steps.ts';

export type { Blocker };
export type { SyncOutcome };

/**
 * One invoice → exactly one QBO Bill or Purchase. Preconditions first (nothing reaches QBO when one fails: the
 * invoice is `blocked` with the exact reason); then an idempotent create (deterministic requestid), the original
 * file attached and linked, and the QBO id/number/link stored.
 */

export const SYNC_JOB = 'invoice.sync';
export const ATTACH_JOB = 'invoice.attach';

export class SyncEngine {
  constructor(
    private readonly deps: {
      /** The workspace-side stores (settings, profiles, lists). */
      store: Store;
      log: Logger;
      qbo: QboClient;
      connections: QboConnections;
      lists: QboLists;
      invoices: Invoices;
      files: InvoiceFileStore;
      worker: Worker;
      appUrl: string;
      /** The approval gate (src/approvals/service.ts); none: nothing needs approval. */
      approvals?: Pick<ApprovalService, 'gate' | 'privateNote'>;
      /** Split lines and vendor rules (issue 14); without them every invoice is one line and nothing is learned. */
      invoiceLines?: InvoiceLinesStore;
      vendorRules?: VendorRulesStore;
    },
  ) {
    deps.worker.register(SYNC_JOB, async (payload, ctx) => {
      await this.runJob(Number(payload.invoiceId), String(payload.actor ?? 'system'), ctx.final);
    });
    deps.worker.register(ATTACH_JOB, async (payload, ctx) => {
      const inv = await deps.invoices.byId(Number(payload.invoiceId));
      if (!inv?.qboId || inv.qboAttachableId || !inv.fileSize) return;
      try {
        await attachFile(this.deps, inv);
      } catch (err) {
        if (err instanceof QboError && (err.retryable || err.kind === 'not_connected') && !ctx.final) {
          // A 429 waits like a create does (Retry-After, or Intuit's window), not the queue's short backoff.
          throw new RetryLater(err.message, err.kind === 'throttled' ? deps.qbo.throttleWaitMs(err) : undefined, { cause: err });
        }
        const failed: Reason = { code: 'attach_failed', params: { message: err instanceof Error ? err.message : String(err) } };
        await deps.invoices.patch(inv.id, { statusReason: failed.code, reason: failed });
        throw new PermanentFailure('attachment failed', { cause: err });
      }
    });
  }

  /** Queue a sync (dedupe: one pending job per invoice). */
  async enqueue(invoiceId: number, actor: string, teamId?: string): Promise<void> {
    const team = teamId ?? (await this.deps.invoices.byId(invoiceId))?.teamId;
    if (!team) return;
    await this.deps.worker.enqueue(SYNC_JOB, { invoiceId, actor }, { teamId: team, dedupeKey: `sync:${invoiceId}` });
  }

  /**
   * What a confirmed invoice does next: blocked (with reason) when a precondition fails, queued when Auto-sync is on,
   * otherwise waits as `ready`.
   */
  async submit(invoiceId: number, actor: string): Promise<Moved> {
    const inv = (await this.deps.invoices.byId(invoiceId))!;
    const blocker = await this.checkLocalPreconditions(inv);
    if (blocker) return this.block(inv, blocker, actor);
    const dup = inv.allowDuplicate ? null : await this.deps.invoices.findDuplicate(inv);
    if (dup) return this.markDuplicate(inv, dup, actor);
    const held = await this.approvalHold(inv, actor);
    if (held) return held;
    const settings = await this.deps.store.workspaces.getSettings(inv.teamId);
    if (!settings.autoSync) {
      return this.deps.invoices.transition(inv.id, 'ready', {
        actor,
        from: [inv.status],
        ...because({ code: 'autosync_off' }, { blockCause: null }),
      });
    }
    const queued = await this.deps.invoices.transition(inv.id, 'ready', {
      actor,
      from: [inv.status],
      ...because({ code: 'queued' }, { blockCause: null }),
    });
    if (queued.applied) await this.enqueue(inv.id, actor, inv.teamId);
    return queued;
  }

  /** Auto-sync turned on, or an admin asked: queue every `ready` invoice of the workspace. */
  async queueReady(teamId: string, actor: string): Promise<number> {
    const ready = await this.deps.invoices.ids(teamId, ['ready']);
    for (const id of ready) await this.enqueue(id, actor, teamId);
    return ready.length;
  }

  /**
   * Something was fixed (a profile linked, QBO reconnected, a purchase account chosen): every blocked invoice whose
   * cause is gone resends itself (or waits as ready when Auto-sync is off).
   */
  async resumeBlocked(teamId: string, actor: string, causes?: string[]): Promise<Invoice[]> {
    const blocked = await this.deps.invoices.blocked(teamId, causes);
    const resumed: Invoice[] = [];
    for (const inv of blocked) {
      if (await this.checkLocalPreconditions(inv)) continue; // still blocked, for this or another reason
      const moved = await this.submit(inv.id, actor);
      if (moved.applied) resumed.push(moved.invoice);
    }
    return resumed;
  }

  /**
   * The workspace connected a different QBO company: its cached lists, profile links, default accounts and the
   * vendor/account ids on invoices not yet in QuickBooks point to records of the old company (QBO ids are small
   * per-company numbers, so they would silently mean other records). Forget them; those invoices wait for a person.
   */
  async companyChanged(teamId: string): Promise<void> {
    const { store, invoices } = this.deps;
    await store.tx(async (s) => {
      await s.lists.forgetTeam(teamId);
      await s.profiles.unlinkAll(teamId);
      await s.workspaces.clearDefaultAccounts(teamId);
    });
    for (const inv of await invoices.notInQbo(teamId)) {
      const patch = { vendorId: null, purchaseAccountId: null, blockCause: null };
      const moved = COMPANY_RESET_STATUSES.includes(inv.status)
        ? await invoices.transition(inv.id, 'needs_input', {
            actor: 'system',
            ...because({ code: 'company_changed' }, patch),
            from: COMPANY_RESET_STATUSES,
          })
        : null;
      if (!moved?.applied) await invoices.patch(inv.id, patch);
    }
  }

  /** Checks that need no QBO call (src/invoices/preconditions.ts). */
  async checkLocalPreconditions(inv: Invoice): Promise<Blocker | null> {
    return await checkLocalPreconditions(this.deps, inv);
  }

  /**
   * Approvals (issue 16): an invoice a rule applies to waits as `awaiting_approval` until its current revision is
   * approved; a rule that names nobody blocks it with the reason. Null: it may go on.
   */
  private async approvalHold(inv: Invoice, actor: string): Promise<Moved | null> {
    const gate = await this.deps.approvals?.gate(inv, actor);
    if (!gate || gate.proceed) return null;
    if (!gate.waiting)
      return this.block(inv, { cause: 'approval_setup', reason: { code: 'approval_setup', params: { problem: gate.reason } } }, actor);
    const now = (await this.deps.invoices.byId(inv.id))!;
    return { applied: true, invoice: now, from: inv.status };
  }

  private block(inv: Invoice, b: Blocker, actor: string): Promise<Moved> {
    return this.deps.invoices.transition(inv.id, 'blocked', { actor, from: [inv.status], ...because(b.reason, { blockCause: b.cause }) });
  }

  private async badAccount(inv: Invoice, reason: string, actor: string): Promise<SyncOutcome> {
    const b: Blocker = { cause: 'bad_purchase_account', reason: { code: 'bad_purchase_account', params: { problem: reason } } };
    return outcome(await this.block(inv, b, actor), { status: 'blocked', blocker: b });
  }

  private markDuplicate(inv: Invoice, of: Invoice, actor: string): Promise<Moved> {
    const sameFile = of.sha256 === inv.sha256;
    const r: Reason = of.qboId
      ? {
          code: 'already_booked',
          params: { sameFile, invoiceNumber: inv.invoiceNumber, txnType: of.txnType ?? null, docNumber: of.qboDocNumber ?? null },
        }
      : { code: 'maybe_duplicate', params: { sameFile, invoiceNumber: inv.invoiceNumber } };
    return this.deps.invoices.transition(inv.id, 'duplicate', {
      actor,
      from: [inv.status],
      ...because(r, { duplicateOfId: of.id, qboUrl: of.qboUrl ?? null }),
    });
  }

  /** The worker's entry point. Throws RetryLater for transient errors so the queue backs off. */
  async runJob(invoiceId: number, actor: string, finalAttempt: boolean): Promise<SyncOutcome> {
    try {
      return await this.sync(invoiceId, actor);
    } catch (err) {
      const inv = (await this.deps.invoices.byId(invoiceId))!;
      if (inv.qboId) {
        // The transaction exists in QuickBooks: the invoice is synced, whatever failed after that.
        this.deps.log.warn('failure after the transaction was created', { invoiceId, error: err });
        const moved = await this.deps.invoices.transition(inv.id, 'synced', {
          actor: 'system',
          from: [inv.status],
          ...because({ code: 'created' }, { syncedAt: Date.now(), blockCause: null }),
        });
        return outcome(moved, { status: 'synced' });
      }
      if (err instanceof QboError && err.retryable && !finalAttempt) {
        const retrying: Reason = { code: 'qbo_error', params: { ...faultOf(err), retrying: true } };
        await this.deps.invoices.patch(inv.id, { statusReason: retrying.code, reason: retrying });
        throw new RetryLater(err.message, err.kind === 'throttled' ? this.deps.qbo.throttleWaitMs(err) : undefined, { cause: err });
      }
      // The database was busy (a serialization race lost too often, a lock, a dropped connection): nothing was decided,
      // so the queue tries again later instead of failing the invoice for good.
      if (isTransientDbError(err) && !finalAttempt) throw new RetryLater('the database was busy', undefined, { cause: err });
      // Sent, but no answer (`pending`): QuickBooks may have it. Retry replays the same request; the invoice stays locked.
      const pending = !!inv.pendingRequestId;
      const failure: Reason =
        err instanceof QboError ? { code: 'qbo_error', params: { ...faultOf(err), pending } } : { code: 'sync_error', params: { pending } };
      this.deps.log.error('invoice sync failed', { invoiceId, error: err });
      // QBO answers a repeated requestid with its first answer, the refusal included. A refusal means nothing was
      // created, so the next attempt (after a fix) gets a new revision and with it a new requestid.
      const refused = err instanceof QboError && err.kind === 'validation';
      await this.deps.invoices.transition(inv.id, 'failed', {
        from: [inv.status],
        actor: 'system',
        ...because(failure, {
          qboCode: err instanceof QboError ? (err.code ?? null) : null,
          ...(refused ? { revision: inv.revision + 1, pendingRequestId: null } : {}),
        }),
      });
      throw new PermanentFailure(err instanceof Error ? err.message : String(err), { cause: err });
    }
  }

  /** One attempt. Safe to repeat: a stored QBO id skips the create; the requestid makes a repeated create return the original. */
  async sync(invoiceId: number, actor: string): Promise<SyncOutcome> {
    const { invoices } = this.deps;
    let inv = await invoices.byId(invoiceId);
    if (!inv) throw new PermanentFailure(`invoice ${invoiceId} not found`);
    if (!canSyncNow(inv)) return { status: 'skipped', invoice: inv };

    const local = await this.checkLocalPreconditions(inv);
    if (local) return outcome(await this.block(inv, local, actor), { status: 'blocked', blocker: local });
    const { vendorId, amountCents } = inv;
    if (!vendorId || !amountCents || amountCents <= 0) {
      return outcome(
        await invoices.transition(inv.id, 'needs_input', { actor, from: [inv.status], reason: 'A vendor and an amount above zero are required' }),
        { status: 'needs_input' },
      );
    }
    if (!inv.qboId && !inv.pendingRequestId) {
      const held = await this.approvalHold(inv, actor); // Sync now / Retry never skip an approval
      if (held) return { status: 'skipped', invoice: held.invoice };
    }
    // Each split line's project and cost code obey the same linking rules as the invoice's own.
    const profiles = this.deps.store.profiles;
    const split = await splitLinesFor((await this.deps.invoiceLines?.list(inv.id)) ?? [], (id) => profiles.get(inv!.teamId, id));
    if (!split.ok) {
      const b = lineBlocker(split.blocker);
      return outcome(await this.block(inv, b, actor), { status: 'blocked', blocker: b });
    }
    if (inv.status !== 'syncing') {
      // The duplicate check and the move to syncing in one transaction: of two racing syncs, one starts.
      const started = await invoices.startSync(inv, {
        actor,
        from: [inv.status],
        reason: 'sending to QuickBooks',
        checkDuplicate: !inv.qboId && !inv.allowDuplicate,
      });
      if ('duplicateOf' in started)
        return outcome(await this.markDuplicate(inv, started.duplicateOf, actor), { status: 'duplicate', of: started.duplicateOf });
      if (!started.applied) return { status: 'lost', invoice: started.invoice };
      inv = started.invoice;
    } else if (!inv.qboId && !inv.allowDuplicate) {
      const dup = await invoices.findDuplicate(inv);
      if (dup) return outcome(await this.markDuplicate(inv, dup, actor), { status: 'duplicate', of: dup });
    }
    try {
      if (!inv.qboId) {
        const created = await this.create(inv, { amountCents, vendorId, lines: split.lines }, actor);
        if ('status' in created) return created;
        inv = created.invoice;
      }
      // The transaction exists from here on: whatever happens to the attachment, the invoice is synced.
      const attached = await attachOrQueue(this.deps, inv);
      inv = attached.invoice;
      const moved = await invoices.transition(inv.id, 'synced', {
        actor,
        from: [inv.status],
        ...because(attached.note ?? { code: 'created' }, { syncedAt: Date.now(), blockCause: null }),
      });
      if (moved.applied) await learnCoding(this.deps.vendorRules, moved.invoice, this.deps.log);
      return outcome(moved, { status: 'synced' });
    } catch (err) {
      if (err instanceof QboError && err.kind === 'not_connected' && !inv.pendingRequestId) {
        const b: Blocker = { cause: 'not_connected', reason: { code: 'connection_lost' } };
        return outcome(await this.block(inv, b, actor), { status: 'blocked', blocker: b });
      }
      throw err;
    }
  }

  /** The create in QuickBooks (idempotent: the requestid is recorded before the call), and the QBO id stored. */
  private async create(
    inv: Invoice,
    what: { amountCents: number; vendorId: string; lines: MappingInput['lines'] },
    actor: string,
  ): Promise<{ invoice: Invoice } | SyncOutcome> {
    const { invoices, qbo, store } = this.deps;
    const settings = await store.workspaces.getSettings(inv.teamId);
    const purchaseAccountId = (inv.purchaseAccountId ?? settings.defaultPurchaseAccountId)!;
    // The purchase account as the cached lists have it (no QBO read): active, and Bank or Credit Card.
    const account = await checkPurchaseAccount(this.deps, inv.teamId, purchaseAccountId);
    if (!account.ok) return this.badAccount(inv, account.reason, actor);
    const input = await mappingInputFor(this.deps, inv, settings, { ...what, purchaseAccountId, account });
    let txn: ReturnType<typeof transactionFor>;
    try {
      txn = transactionFor(input, documentTypeOf(inv.extracted));
    } catch (err) {
      if (err instanceof MappingError)
        return outcome(await invoices.transition(inv.id, 'needs_input', { actor, from: [inv.status], reason: err.message }), {
          status: 'needs_input',
        });
      throw err;
    }
    // Recorded before the call: if no definite answer comes back (outage, crash), QBO may have created the
    // transaction, so the invoice stays locked and every retry replays this very request.
    const requestId = inv.pendingRequestId ?? requestIdFor(inv);
    if (!inv.pendingRequestId) inv = await invoices.patch(inv.id, { pendingRequestId: requestId });
    let created: QboEntity;
    try {
      created = await qbo.create(inv.teamId, txn.entity, txn.body, { requestId, allowDuplicateDocNum: inv.allowDuplicate });
    } catch (err) {
      // A definite answer (a refusal, or nothing sent) settles the request; outages and lost answers do not.
      if (err instanceof QboError && (err.kind === 'validation' || err.kind === 'auth' || err.kind === 'not_connected' || err.kind === 'throttled')) {
        inv = await invoices.patch(inv.id, { pendingRequestId: null });
      }
      // Refused: the cache may be behind QBO about the purchase account. Ask QBO once; if that is the cause, the
      // invoice waits for another account (a new revision, since QBO replays a refused requestid's answer).
      if (err instanceof QboError && err.kind === 'validation' && err.code !== '6140') {
        const now = await checkPurchaseAccount(this.deps, inv.teamId, purchaseAccountId, { live: true }).catch(() => null);
        if (now && !now.ok) return this.badAccount(await invoices.patch(inv.id, { revision: inv.revision + 1 }), now.reason, actor);
      }
      if (err instanceof QboError && err.code === '6140') {
        const existing = /TxnId\s*=?\s*(\d+)/i.exec(err.detail ?? '')?.[1];
        const url = existing ? transactionUrl(this.deps.appUrl, txn.entity, existing) : null;
        const moved = await invoices.transition(inv.id, 'duplicate', {
          from: [inv.status],
          actor,
          reason: `QuickBooks already has a ${inv.txnType === 'Expense' ? 'transaction' : 'bill'} from this vendor with number ${inv.invoiceNumber}`,
          // A refusal: nothing was created, and QBO would replay it for this requestid, so "Sync anyway" needs a new one.
          patch: { qboUrl: url, qboCode: '6140', revision: inv.revision + 1 },
        });
        return outcome(moved, { status: 'duplicate', of: null });
      }
      throw err;
    }
    // Written before anything else can fail: from here on a retry never creates again.
    const stored = await invoices.patch(inv.id, {
      qboId: String(created.Id),
      qboDocNumber: (created.DocNumber as string | undefined) ?? inv.invoiceNumber ?? null,
      qboUrl: transactionUrl(this.deps.appUrl, txn.entity, String(created.Id)),
      qboRealmId: (await this.deps.connections.get(inv.teamId))?.realmId ?? null,
      pendingRequestId: null,
      txnType: input.type,
      purchaseAccountId,
    });
    return { invoice: stored };
  }

  /** The vendor's open credits a payment of this Bill can apply (credit notes booked as VendorCredits). */
  openCredits(invoiceId: number): Promise<OpenCredit[]> {
    return openCredits(this.deps, invoiceId);
  }

  /** Mark paid (src/invoices/pay.ts), applying the given vendor credits. Idempotent per invoice. */
  markPaid(invoiceId: number, actor: string, date?: string, credits: OpenCredit[] = []): Promise<Invoice> {
    return markPaid(this.deps, invoiceId, actor, date, credits);
  }
}
