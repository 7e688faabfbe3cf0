import { attachmentOf } from './attachment.ts';
import type { Db } from '../store/sqlite/client.ts';
import type { Store } from '../store/index.ts';
import { and, eq, inArray, isNull, ne } from 'drizzle-orm';
import { invoices as invoicesTable, profiles, qboListItems, qboListRefreshes, settings as settingsTable } from '../store/sqlite/schema.ts';
import type { Logger } from '../log.ts';
import type { QboClient, QboEntity } from '../qbo/client.ts';
import type { QboConnections } from '../qbo/connections.ts';
import { QboError } from '../qbo/errors.ts';
import { MappingError, toBillPayment, transactionUrl, type MappingInput } from '../qbo/mapping.ts';
import { documentTypeOf, splitLinesFor, transactionFor, type LineBlocker } from './coding.ts';
import { openCreditsFor, type OpenCredit } from './credits.ts';
import { learnCoding } from './vendor-coding.ts';
import type { InvoiceLinesStore } from '../store/invoice-lines.ts';
import type { VendorRulesStore } from '../store/vendor-rules.ts';
import type { QboLists } from '../qbo/lists.ts';
import { checkPurchaseAccount } from './purchase-account.ts';
import { getProfile } from '../workspace/profiles.ts';
import { invoiceColumns, requestIdFor, type Invoice, type Invoices } from './service.ts';
import { PermanentFailure, RetryLater, type Worker } from './worker.ts';
import type { QboFault, Reason } from './reasons.ts';
import type { ApprovalService } from '../approvals/service.ts';

/**
 * One invoice → exactly one QBO Bill or Purchase. Preconditions first (nothing reaches QBO when one fails: the
 * invoice is `blocked` with the exact reason); then an idempotent create (deterministic requestid), the original
 * file attached and linked, and the QBO id/number/link stored.
 */

export const SYNC_JOB = 'invoice.sync';
export const ATTACH_JOB = 'invoice.attach';

export interface Blocker {
  cause: string; // machine key: not_connected | no_purchase_account | bad_purchase_account | unlinked:project:<id> | …
  reason: Reason; // why, as data: the Slack layer words it (src/slack/copy/reasons.ts)
}

/** A split line's blocker (coding.ts words its own) as a reason. */
const lineBlocker = (b: LineBlocker): Blocker => ({ cause: b.cause, reason: { code: 'line_blocked', params: { reason: b.reason, fix: b.fix } } });

/** The transition options that store a reason: its code for the history, the reason itself on the invoice. */
const because = (r: Reason, patch: Partial<Invoice> = {}) => ({ reason: r.code, patch: { ...patch, reason: r } });

export type SyncOutcome =
  | { status: 'synced'; invoice: Invoice }
  | { status: 'blocked'; invoice: Invoice; blocker: Blocker }
  | { status: 'duplicate'; invoice: Invoice; of: Invoice | null }
  | { status: 'failed'; invoice: Invoice }
  | { status: 'needs_input'; invoice: Invoice }
  | { status: 'skipped'; invoice: Invoice };

export class SyncEngine {
  constructor(
    private readonly deps: {
      db: Db;
      /** The workspace-side stores (settings, profiles, lists). */
      store: Store;
      log: Logger;
      qbo: QboClient;
      connections: QboConnections;
      lists: QboLists;
      invoices: Invoices;
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
      const inv = deps.invoices.byId(Number(payload.invoiceId));
      if (!inv?.qboId || inv.qboAttachableId || !inv.fileSize) return;
      try {
        await this.attachFile(inv);
      } catch (err) {
        if (err instanceof QboError && (err.retryable || err.kind === 'not_connected') && !ctx.final) {
          // A 429 waits like a create does (Retry-After, or Intuit's window), not the queue's short backoff.
          throw new RetryLater(err.message, err.kind === 'throttled' ? deps.qbo.throttleWaitMs(err) : undefined, { cause: err });
        }
        deps.invoices.patch(inv.id, { statusReason: `In QuickBooks, but the file could not be attached: ${err instanceof Error ? err.message : err}` });
        throw new PermanentFailure('attachment failed', { cause: err });
      }
    });
  }

  /** Queue a sync (dedupe: one pending job per invoice). */
  enqueue(invoiceId: number, actor: string): void {
    const inv = this.deps.invoices.byId(invoiceId);
    if (!inv) return;
    this.deps.worker.enqueue(SYNC_JOB, { invoiceId, actor }, { teamId: inv.teamId, dedupeKey: `sync:${invoiceId}` });
  }

  /**
   * What a confirmed invoice does next: blocked (with reason) when a precondition fails, queued when Auto-sync is on,
   * otherwise waits as `ready`.
   */
  async submit(invoiceId: number, actor: string): Promise<Invoice> {
    const inv = this.deps.invoices.byId(invoiceId)!;
    const blocker = await this.checkLocalPreconditions(inv);
    if (blocker) return this.block(inv, blocker, actor);
    const dup = inv.allowDuplicate ? null : this.deps.invoices.findDuplicate(inv);
    if (dup) return this.markDuplicate(inv, dup, actor);
    const held = await this.approvalHold(inv, actor);
    if (held) return held;
    const settings = await this.deps.store.workspaces.getSettings(inv.teamId);
    if (!settings.autoSync) {
      return this.deps.invoices.transition(inv.id, 'ready', { actor, ...because({ code: 'autosync_off' }, { blockCause: null }) });
    }
    const queued = this.deps.invoices.transition(inv.id, 'ready', { actor, ...because({ code: 'queued' }, { blockCause: null }) });
    this.enqueue(inv.id, actor);
    return queued;
  }

  /** Auto-sync turned on, or an admin asked: queue every `ready` invoice of the workspace. */
  queueReady(teamId: string, actor: string): number {
    const ready = this.deps.invoices.list(teamId, { statuses: ['ready'], limit: 10_000 });
    for (const inv of ready) this.enqueue(inv.id, actor);
    return ready.length;
  }

  /**
   * Something was fixed (a profile linked, QBO reconnected, a purchase account chosen): every blocked invoice whose
   * cause is gone resends itself (or waits as ready when Auto-sync is off).
   */
  async resumeBlocked(teamId: string, actor: string, causes?: string[]): Promise<Invoice[]> {
    const conds = [eq(invoicesTable.teamId, teamId), eq(invoicesTable.status, 'blocked')];
    if (causes?.length) conds.push(inArray(invoicesTable.blockCause, causes));
    const blocked = this.deps.db.select(invoiceColumns).from(invoicesTable).where(and(...conds)).all();
    const resumed: Invoice[] = [];
    for (const inv of blocked) {
      if (await this.checkLocalPreconditions(inv)) continue; // still blocked, for this or another reason
      resumed.push(await this.submit(inv.id, actor));
    }
    return resumed;
  }

  /**
   * The workspace connected a different QBO company: its cached lists, profile links, default accounts and the
   * vendor/account ids on invoices not yet in QuickBooks point to records of the old company (QBO ids are small
   * per-company numbers, so they would silently mean other records). Forget them; those invoices wait for a person.
   */
  companyChanged(teamId: string): void {
    const { db, invoices } = this.deps;
    db.transaction((tx) => {
      tx.delete(qboListItems).where(eq(qboListItems.teamId, teamId)).run();
      tx.delete(qboListRefreshes).where(eq(qboListRefreshes.teamId, teamId)).run();
      tx.update(profiles).set({ qboEntity: null, qboId: null, qboName: null, linkedBy: 'system', linkedAt: new Date().toISOString() }).where(eq(profiles.teamId, teamId)).run();
      tx.update(settingsTable).set({ defaultPurchaseAccountId: null, defaultExpenseAccountId: null }).where(eq(settingsTable.teamId, teamId)).run();
    });
    const waiting = db
      .select(invoiceColumns)
      .from(invoicesTable)
      .where(and(eq(invoicesTable.teamId, teamId), isNull(invoicesTable.qboId), isNull(invoicesTable.pendingRequestId), ne(invoicesTable.status, 'synced')))
      .all();
    for (const inv of waiting) {
      const patch = { vendorId: null, purchaseAccountId: null, blockCause: null };
      if (['ready', 'blocked', 'failed', 'duplicate', 'extracted'].includes(inv.status)) invoices.transition(inv.id, 'needs_input', { actor: 'system', ...because({ code: 'company_changed' }, patch) });
      else invoices.patch(inv.id, patch);
    }
  }

  /** Checks that need no QBO call. */
  async checkLocalPreconditions(inv: Invoice): Promise<Blocker | null> {
    const { db, connections, store } = this.deps;
    const conn = await connections.get(inv.teamId);
    if (!conn || conn.status !== 'connected') {
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
      const p = getProfile(db, inv.teamId, id);
      if (!p) return { cause: `missing:${kind}:${id}`, reason: { code: 'missing_profile', params: { kind } } };
      if (!p.qboId) return { cause: `unlinked:${kind}:${p.id}`, reason: { code: kind === 'project' ? 'unlinked_project' : 'unlinked_cost_code', params: { name: p.name } } };
    }
    const costCode = inv.costCodeProfileId != null ? getProfile(db, inv.teamId, inv.costCodeProfileId) : null;
    if (!costCode && !settings.defaultExpenseAccountId) {
      return { cause: 'no_expense_account', reason: { code: 'no_expense_account' } };
    }
    return null;
  }

  /**
   * Approvals (issue 16): an invoice a rule applies to waits as `awaiting_approval` until its current revision is
   * approved; a rule that names nobody blocks it with the reason. Null: it may go on.
   */
  private async approvalHold(inv: Invoice, actor: string): Promise<Invoice | null> {
    const gate = await this.deps.approvals?.gate(inv, actor);
    if (!gate || gate.proceed) return null;
    if (!gate.waiting) return this.block(inv, { cause: 'approval_setup', reason: { code: 'approval_setup', params: { problem: gate.reason } } }, actor);
    return this.deps.invoices.byId(inv.id)!;
  }

  private block(inv: Invoice, b: Blocker, actor: string): Invoice {
    return this.deps.invoices.transition(inv.id, 'blocked', { actor, ...because(b.reason, { blockCause: b.cause }) });
  }

  private badAccount(inv: Invoice, reason: string, actor: string): SyncOutcome {
    const b: Blocker = { cause: 'bad_purchase_account', reason: { code: 'bad_purchase_account', params: { problem: reason } } };
    return { status: 'blocked', invoice: this.block(inv, b, actor), blocker: b };
  }

  private markDuplicate(inv: Invoice, of: Invoice, actor: string): Invoice {
    const sameFile = of.sha256 === inv.sha256;
    const r: Reason = of.qboId
      ? { code: 'already_booked', params: { sameFile, invoiceNumber: inv.invoiceNumber, txnType: of.txnType ?? null, docNumber: of.qboDocNumber ?? null } }
      : { code: 'maybe_duplicate', params: { sameFile, invoiceNumber: inv.invoiceNumber } };
    return this.deps.invoices.transition(inv.id, 'duplicate', { actor, ...because(r, { duplicateOfId: of.id, qboUrl: of.qboUrl ?? null }) });
  }

  /** The worker's entry point. Throws RetryLater for transient errors so the queue backs off. */
  async runJob(invoiceId: number, actor: string, finalAttempt: boolean): Promise<SyncOutcome> {
    try {
      return await this.sync(invoiceId, actor);
    } catch (err) {
      const inv = this.deps.invoices.byId(invoiceId)!;
      if (inv.qboId) {
        // The transaction exists in QuickBooks: the invoice is synced, whatever failed after that.
        this.deps.log.warn('failure after the transaction was created', { invoiceId, error: err });
        this.deps.invoices.transition(inv.id, 'synced', { actor: 'system', ...because({ code: 'created' }, { syncedAt: new Date().toISOString(), blockCause: null }) });
        return { status: 'synced', invoice: this.deps.invoices.byId(inv.id)! };
      }
      if (err instanceof QboError && err.retryable && !finalAttempt) {
        const retrying: Reason = { code: 'qbo_error', params: { ...faultOf(err), retrying: true } };
        this.deps.invoices.patch(inv.id, { statusReason: retrying.code, reason: retrying });
        throw new RetryLater(err.message, err.kind === 'throttled' ? this.deps.qbo.throttleWaitMs(err) : undefined, { cause: err });
      }
      // Sent, but no answer (`pending`): QuickBooks may have it. Retry replays the same request; the invoice stays locked.
      const pending = !!inv.pendingRequestId;
      const failure: Reason = err instanceof QboError ? { code: 'qbo_error', params: { ...faultOf(err), pending } } : { code: 'sync_error', params: { pending } };
      this.deps.log.error('invoice sync failed', { invoiceId, error: err });
      // QBO answers a repeated requestid with its first answer, the refusal included. A refusal means nothing was
      // created, so the next attempt (after a fix) gets a new revision and with it a new requestid.
      const refused = err instanceof QboError && err.kind === 'validation';
      this.deps.invoices.transition(inv.id, 'failed', {
        actor: 'system',
        ...because(failure, { qboCode: err instanceof QboError ? (err.code ?? null) : null, ...(refused ? { revision: inv.revision + 1, pendingRequestId: null } : {}) }),
      });
      throw new PermanentFailure(err instanceof Error ? err.message : String(err), { cause: err });
    }
  }

  /** One attempt. Safe to repeat: a stored QBO id skips the create; the requestid makes a repeated create return the original. */
  async sync(invoiceId: number, actor: string): Promise<SyncOutcome> {
    const { invoices, qbo, lists, db, store } = this.deps;
    let inv = invoices.byId(invoiceId);
    if (!inv) throw new PermanentFailure(`invoice ${invoiceId} not found`);
    if (inv.status === 'synced') return { status: 'skipped', invoice: inv };
    if (!['ready', 'syncing', 'failed', 'blocked', 'duplicate'].includes(inv.status)) return { status: 'skipped', invoice: inv };

    const local = await this.checkLocalPreconditions(inv);
    if (local) return { status: 'blocked', invoice: this.block(inv, local, actor), blocker: local };
    const { vendorId, amountCents } = inv;
    if (!vendorId || !amountCents || amountCents <= 0) {
      return { status: 'needs_input', invoice: invoices.transition(inv.id, 'needs_input', { actor, reason: 'A vendor and an amount above zero are required' }) };
    }
    if (!inv.qboId && !inv.allowDuplicate) {
      const dup = invoices.findDuplicate(inv);
      if (dup) return { status: 'duplicate', invoice: this.markDuplicate(inv, dup, actor), of: dup };
    }
    if (!inv.qboId && !inv.pendingRequestId) {
      const held = await this.approvalHold(inv, actor); // Sync now / Retry never skip an approval
      if (held) return { status: 'skipped', invoice: held };
    }

    // Each split line's project and cost code obey the same linking rules as the invoice's own.
    const split = await splitLinesFor((await this.deps.invoiceLines?.list(inv.id)) ?? [], (id) => getProfile(db, inv!.teamId, id));
    if (!split.ok) {
      const b = lineBlocker(split.blocker);
      return { status: 'blocked', invoice: this.block(inv, b, actor), blocker: b };
    }
    const settings = await store.workspaces.getSettings(inv.teamId);
    const purchaseAccountId = (inv.purchaseAccountId ?? settings.defaultPurchaseAccountId)!;
    if (inv.status !== 'syncing') inv = invoices.transition(inv.id, 'syncing', { actor, reason: 'sending to QuickBooks' });

    try {
      if (!inv.qboId) {
        // The purchase account as the cached lists have it (no QBO read): active, and Bank or Credit Card.
        const account = await checkPurchaseAccount(this.deps, inv.teamId, purchaseAccountId);
        if (!account.ok) return this.badAccount(inv, account.reason, actor);
        const project = inv.projectProfileId != null ? getProfile(db, inv.teamId, inv.projectProfileId) : null;
        const costCode = inv.costCodeProfileId != null ? getProfile(db, inv.teamId, inv.costCodeProfileId) : null;
        const defaultExpense = settings.defaultExpenseAccountId ? lists.get(inv.teamId, 'Account', settings.defaultExpenseAccountId) : null;
        const input: MappingInput = {
          type: inv.txnType ?? settings.defaultType,
          amountCents,
          vendor: { id: vendorId, name: inv.vendorName ?? undefined },
          purchaseAccount: { id: purchaseAccountId, name: account.name, type: account.type },
          project: project?.qboId ? { customerId: project.qboId, name: project.qboName ?? undefined } : null,
          costCode: costCode?.qboId ? { entity: costCode.qboEntity === 'Item' ? 'Item' : 'Account', id: costCode.qboId, name: costCode.qboName ?? undefined } : null,
          defaultExpenseAccount: settings.defaultExpenseAccountId ? { id: settings.defaultExpenseAccountId, name: defaultExpense?.name } : null,
          invoiceNumber: inv.invoiceNumber,
          invoiceDate: inv.invoiceDate,
          dueDate: inv.dueDate,
          memo: inv.memo,
          approvalNote: (await this.deps.approvals?.privateNote(inv)) ?? null,
          lines: split.lines,
        };
        let txn;
        try {
          txn = transactionFor(input, documentTypeOf(inv.extracted));
        } catch (err) {
          if (err instanceof MappingError) {
            return { status: 'needs_input', invoice: invoices.transition(inv.id, 'needs_input', { actor, reason: err.message }) };
          }
          throw err;
        }
        // Recorded before the call: if no definite answer comes back (outage, crash), QBO may have created the
        // transaction, so the invoice stays locked and every retry replays this very request.
        const requestId = inv.pendingRequestId ?? requestIdFor(inv);
        if (!inv.pendingRequestId) inv = invoices.patch(inv.id, { pendingRequestId: requestId });
        let created: QboEntity;
        try {
          created = await qbo.create(inv.teamId, txn.entity, txn.body, { requestId, allowDuplicateDocNum: inv.allowDuplicate });
        } catch (err) {
          // A definite answer (a refusal, or nothing sent) settles the request; outages and lost answers do not.
          if (err instanceof QboError && (err.kind === 'validation' || err.kind === 'auth' || err.kind === 'not_connected' || err.kind === 'throttled')) {
            inv = invoices.patch(inv.id, { pendingRequestId: null });
          }
          // Refused: the cache may be behind QBO about the purchase account. Ask QBO once; if that is the cause, the
          // invoice waits for another account (a new revision, since QBO replays a refused requestid's answer).
          if (err instanceof QboError && err.kind === 'validation' && err.code !== '6140') {
            const now = await checkPurchaseAccount(this.deps, inv.teamId, purchaseAccountId, { live: true }).catch(() => null);
            if (now && !now.ok) return this.badAccount(invoices.patch(inv.id, { revision: inv.revision + 1 }), now.reason, actor);
          }
          if (err instanceof QboError && err.code === '6140') {
            const existing = /TxnId\s*=?\s*(\d+)/i.exec(err.detail ?? '')?.[1];
            const url = existing ? transactionUrl(this.deps.appUrl, txn.entity, existing) : null;
            return {
              status: 'duplicate',
              invoice: invoices.transition(inv.id, 'duplicate', {
                actor,
                reason: `QuickBooks already has a ${inv.txnType === 'Expense' ? 'transaction' : 'bill'} from this vendor with number ${inv.invoiceNumber}`,
                // A refusal: nothing was created, and QBO would replay it for this requestid, so "Sync anyway" needs a new one.
                patch: { qboUrl: url, qboCode: '6140', revision: inv.revision + 1 },
              }),
              of: null,
            };
          }
          throw err;
        }
        // Written before anything else can fail: from here on a retry never creates again.
        inv = invoices.patch(inv.id, {
          qboId: String(created.Id),
          qboDocNumber: (created.DocNumber as string | undefined) ?? inv.invoiceNumber ?? null,
          qboUrl: transactionUrl(this.deps.appUrl, txn.entity, String(created.Id)),
          qboRealmId: (await this.deps.connections.get(inv.teamId))?.realmId ?? null,
          pendingRequestId: null,
          txnType: input.type,
          purchaseAccountId,
        });
      }

      // The transaction exists from here on: whatever happens to the attachment, the invoice is synced.
      let note: Reason | null = null;
      if (!inv.qboAttachableId && inv.fileSize > 0) {
        // No bytes when the file was too large to keep: the transaction stands without an attachment.
        try {
          inv = await this.attachFile(inv);
        } catch (err) {
          if (err instanceof QboError && (err.retryable || err.kind === 'not_connected')) {
            const delayMs = err.kind === 'throttled' ? this.deps.qbo.throttleWaitMs(err) : undefined;
            this.deps.worker.enqueue(ATTACH_JOB, { invoiceId: inv.id }, { teamId: inv.teamId, dedupeKey: `attach:${inv.id}`, delayMs });
            note = { code: 'attach_pending' };
          } else {
            this.deps.log.warn('attachment refused', { invoiceId: inv.id, error: err });
            note = { code: 'attach_failed', params: { message: err instanceof Error ? err.message : String(err) } };
          }
        }
      }
      const synced = invoices.transition(inv.id, 'synced', { actor, ...because(note ?? { code: 'created' }, { syncedAt: new Date().toISOString(), blockCause: null }) });
      await learnCoding(this.deps.vendorRules, synced, this.deps.log);
      return { status: 'synced', invoice: synced };
    } catch (err) {
      if (err instanceof QboError && err.kind === 'not_connected' && !inv.pendingRequestId) {
        const b: Blocker = { cause: 'not_connected', reason: { code: 'connection_lost' } };
        return { status: 'blocked', invoice: this.block(inv, b, actor), blocker: b };
      }
      throw err;
    }
  }

  /** Attaches the original file (a JPEG copy for HEIC/WebP, which QBO refuses) to the transaction (idempotent: its own requestid). */
  private async attachFile(inv: Invoice): Promise<Invoice> {
    const file = await attachmentOf({ bytes: this.deps.invoices.fileBytes(inv.id), fileName: inv.fileName, mimeType: inv.mimeType });
    const att = await this.deps.qbo.attach(inv.teamId, {
      entityType: documentTypeOf(inv.extracted) === 'credit_note' ? 'VendorCredit' : inv.txnType === 'Expense' ? 'Purchase' : 'Bill',
      entityId: inv.qboId!,
      fileName: file.fileName,
      contentType: file.contentType,
      bytes: file.bytes,
      requestId: requestIdFor(inv, 'att'),
      ...(file.convertedFrom ? { note: `JPEG copy of the ${file.convertedFrom.replace('image/', '').toUpperCase()} photo shared in Slack (QuickBooks does not take that format)` } : {}),
    });
    return this.deps.invoices.patch(inv.id, { qboAttachableId: String(att.Id), statusReason: 'created', reason: { code: 'created' } });
  }

  /** Mark paid: a BillPayment for the full amount from the invoice's purchase account. Idempotent per invoice. */
  /** The vendor's open credits a payment of this Bill can apply (credit notes booked as VendorCredits). */
  openCredits(invoiceId: number): OpenCredit[] {
    const inv = this.deps.invoices.byId(invoiceId);
    if (!inv || inv.txnType !== 'Bill' || documentTypeOf(inv.extracted) === 'credit_note') return [];
    return openCreditsFor(inv, this.deps.invoices.list(inv.teamId, { statuses: ['synced'], limit: 500 }));
  }

  /**
   * Mark paid: a BillPayment for the full amount from the invoice's purchase account, applying the given vendor
   * credits (then only the difference is paid). Idempotent per invoice.
   */
  async markPaid(invoiceId: number, actor: string, date?: string, credits: OpenCredit[] = []): Promise<Invoice> {
    const { invoices, qbo } = this.deps;
    const inv = invoices.byId(invoiceId);
    if (!inv || inv.status !== 'synced' || !inv.qboId) throw new Error('Only an invoice synced to QuickBooks can be marked paid');
    if (inv.txnType !== 'Bill') throw new Error('Only a Bill is paid later; an Expense is already paid');
    if (inv.qboPaymentId) return inv;
    const realm = (await this.deps.connections.get(inv.teamId))?.realmId;
    if (inv.qboRealmId && realm && inv.qboRealmId !== realm) throw new Error('This bill is in the QuickBooks company that was connected before; pay it there');
    const accountId = inv.purchaseAccountId ?? (await this.deps.store.workspaces.getSettings(inv.teamId)).defaultPurchaseAccountId;
    if (!accountId) throw new Error('No purchase account to pay from');
    const account = await checkPurchaseAccount(this.deps, inv.teamId, accountId, { live: true });
    if (!account.ok) throw new Error(account.reason);
    let payment: QboEntity;
    try {
      payment = await qbo.create(
        inv.teamId,
        'BillPayment',
        toBillPayment({ billId: inv.qboId, vendorId: inv.vendorId!, amountCents: inv.amountCents!, account: { id: accountId, type: account.type }, date, credits }),
        // Same attempt → same requestid (a double click or a retry after an outage pays once); a refusal moves it on.
        { requestId: `${requestIdFor(inv, 'pay')}${inv.payAttempt}` },
      );
    } catch (err) {
      if (err instanceof QboError && err.kind === 'validation') invoices.patch(inv.id, { payAttempt: inv.payAttempt + 1 });
      throw err;
    }
    // A credit applied in full is used up: it is not offered again.
    for (const c of credits) invoices.patch(c.invoiceId, { qboPaymentId: String(payment.Id), statusReason: 'paid', reason: { code: 'paid', params: { account: null, by: actor } } });
    return invoices.patch(inv.id, { qboPaymentId: String(payment.Id), statusReason: 'paid', reason: { code: 'paid', params: { account: account.name, by: actor } } });
  }
}

/** A QBO fault as data for the reason (the copy explains it). */
function faultOf(err: QboError): QboFault {
  return { kind: err.kind, code: err.code ?? null, detail: err.detail ?? null, message: err.message };
}
