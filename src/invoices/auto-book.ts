/**
 * Auto-book (issue 14): with Auto-sync on and a pinned vendor rule marked auto-book that leaves nothing to choose, a
 * recognised invoice from that vendor is booked without the review modal, after an Undo window. The window is a
 * delayed job (dedupe key `autobook:<invoice id>`); Undo cancels the job while it is still queued, so nothing reaches
 * QuickBooks and the invoice stays in review. When the window ends the job applies the rule's coding and submits the
 * invoice exactly as a person's review would (preconditions, duplicates, approvals, then the sync queue).
 */
import type { JobStore } from '../store/jobs.ts';
import type { VendorRule, VendorRulesStore } from '../store/vendor-rules.ts';
import type { Logger } from '../log.ts';
import type { QboConnections } from '../qbo/connections.ts';
import type { QboLists } from '../qbo/lists.ts';
import type { Store } from '../store/index.ts';
import { fieldsToCheck } from './confidence.ts';
import { documentTypeOf, memoFor } from './coding.ts';
import { checkLocalPreconditions } from './preconditions.ts';
import type { Invoice, Invoices, Moved } from './service.ts';
import type { Worker } from './worker.ts';

export const AUTO_BOOK_JOB = 'invoice.auto_book';
export const AUTO_BOOK_ACTOR = 'auto-book';
export const autoBookKey = (invoiceId: number) => `autobook:${invoiceId}`;

/** A booking waiting for its Undo window to end. */
export interface PendingAutoBook {
  invoiceId: number;
  /** When the booking happens (epoch ms). */
  at: number;
  /** "Bill · Lumber & Materials · cost code Framing": what it will be booked as. */
  coding: string;
}

/** What the rule puts on the invoice (the project stays the channel's). */
interface RuleCoding {
  txnType: 'Bill' | 'Expense';
  purchaseAccountId: string;
  costCodeProfileId: number;
  memo: string | null;
}

export interface AutoBookDeps {
  store: Store;
  log: Logger;
  invoices: Invoices;
  jobs: JobStore;
  worker: Worker;
  vendorRules: VendorRulesStore;
  connections: QboConnections;
  lists: QboLists;
  undoMs: number;
  /** The sync engine's submit (ready, then queued when Auto-sync is on). */
  submit: (invoiceId: number, actor: string) => Promise<Moved>;
}

export class AutoBook {
  constructor(private readonly deps: AutoBookDeps) {
    deps.worker.register(AUTO_BOOK_JOB, async (payload) => {
      await this.book(Number(payload.invoiceId));
    });
  }

  /**
   * Right after a file is read: schedules the booking when nothing is left to choose. Null (and nothing scheduled)
   * otherwise: the invoice goes to review as usual.
   */
  async consider(inv: Invoice): Promise<PendingAutoBook | null> {
    const coding = await this.codingFor(inv);
    if (!coding) return null;
    const at = Date.now() + this.deps.undoMs;
    const words = await this.describe(inv.teamId, coding);
    await this.deps.worker.enqueue(
      AUTO_BOOK_JOB,
      { invoiceId: inv.id, at, coding: words },
      { teamId: inv.teamId, dedupeKey: autoBookKey(inv.id), delayMs: this.deps.undoMs },
    );
    this.deps.log.info('auto-book scheduled', {
      teamId: inv.teamId,
      invoiceId: inv.id,
      at: new Date(at).toISOString(),
    });
    return { invoiceId: inv.id, at, coding: words };
  }

  /** The booking still waiting for this invoice (queued, not started), if any. */
  async pending(invoiceId: number): Promise<PendingAutoBook | null> {
    const job = await this.deps.jobs.active(autoBookKey(invoiceId));
    if (job?.status !== 'queued') return null;
    const p = job.payload as { at?: unknown; coding?: unknown };
    return {
      invoiceId,
      at: typeof p.at === 'number' ? p.at : job.runAt,
      coding: typeof p.coding === 'string' ? p.coding : '',
    };
  }

  /** Undo: cancels the booking if it has not started. True when cancelled (nothing was sent to QuickBooks). */
  async undo(invoiceId: number, by: string): Promise<boolean> {
    const cancelled = await this.deps.jobs.cancelQueued(autoBookKey(invoiceId), `undone by ${by}`);
    if (cancelled) this.deps.log.info('auto-book undone', { invoiceId, by });
    return cancelled;
  }

  /** The window ended: the rule's coding on the invoice, then the normal submit. Anything changed meanwhile: nothing. */
  private async book(invoiceId: number): Promise<void> {
    const inv = await this.deps.invoices.byId(invoiceId);
    if (!inv) return;
    const coding = await this.codingFor(inv);
    if (!coding) {
      this.deps.log.info('auto-book skipped: the invoice or its rule changed during the window', {
        invoiceId,
        status: inv.status,
      });
      return;
    }
    await this.deps.invoices.confirm(inv.id, { ...fieldsOf(inv), ...coding }, AUTO_BOOK_ACTOR);
    await this.deps.submit(inv.id, AUTO_BOOK_ACTOR);
  }

  /** The coding the invoice would be booked with, or null when something is left to choose (or to check). */
  private async codingFor(inv: Invoice): Promise<RuleCoding | null> {
    const { invoices, vendorRules } = this.deps;
    if (inv.status !== 'extracted' || inv.submittedBy || !inv.vendorId || inv.amountCents == null || inv.amountCents <= 0) return null;
    if (documentTypeOf(inv.extracted) === 'credit_note' || fieldsToCheck(inv).length) return null;
    if (!(await this.deps.store.workspaces.getSettings(inv.teamId)).autoSync) return null;
    const rule = await vendorRules.get(inv.teamId, inv.vendorId);
    if (!ruleLeavesNothingToChoose(rule)) return null;
    const coding: RuleCoding = {
      txnType: rule.txnType,
      purchaseAccountId: rule.purchaseAccountId,
      costCodeProfileId: rule.costCodeProfileId,
      memo: memoFor(rule.memoPattern, inv.invoiceNumber) ?? inv.memo,
    };
    const account = await this.deps.lists.get(inv.teamId, 'Account', rule.purchaseAccountId);
    if (!account?.active) return null;
    if (await checkLocalPreconditions(this.deps, { ...inv, ...coding })) return null;
    if (!inv.allowDuplicate && (await invoices.findDuplicate(inv))) return null;
    return coding;
  }

  private async describe(teamId: string, c: RuleCoding): Promise<string> {
    const account = c.purchaseAccountId ? (await this.deps.lists.get(teamId, 'Account', c.purchaseAccountId))?.name : null;
    const costCode = c.costCodeProfileId != null ? (await this.deps.store.profiles.get(teamId, c.costCodeProfileId))?.name : null;
    return [c.txnType, account ? `from ${account}` : null, costCode ? `cost code ${costCode}` : null].filter(Boolean).join(' · ');
  }
}

/** Pinned, auto-book, and type, purchase account and cost code all set. */
function ruleLeavesNothingToChoose(
  rule: VendorRule | null,
): rule is VendorRule & { txnType: 'Bill' | 'Expense'; purchaseAccountId: string; costCodeProfileId: number } {
  return !!rule && rule.pinned && rule.autoBook && !!rule.txnType && !!rule.purchaseAccountId && rule.costCodeProfileId != null;
}

function fieldsOf(inv: Invoice) {
  return {
    txnType: inv.txnType,
    purchaseAccountId: inv.purchaseAccountId,
    projectProfileId: inv.projectProfileId,
    costCodeProfileId: inv.costCodeProfileId,
    vendorId: inv.vendorId,
    vendorName: inv.vendorName,
    amountCents: inv.amountCents,
    currency: inv.currency,
    invoiceNumber: inv.invoiceNumber,
    invoiceDate: inv.invoiceDate,
    dueDate: inv.dueDate,
    memo: inv.memo,
  };
}
