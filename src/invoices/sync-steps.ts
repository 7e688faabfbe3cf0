import type { ApprovalService } from '../approvals/service.ts';
import type { Logger } from '../log.ts';
import { QboError } from '../qbo/errors.ts';
import type { QboLists } from '../qbo/lists.ts';
import type { MappingInput } from '../qbo/mapping.ts';
import type { Store } from '../store/index.ts';
import { attachFile } from './attach.ts';
import type { LineBlocker } from './coding.ts';
import type { Blocker } from './preconditions.ts';
import type { AccountCheck } from './purchase-account.ts';
import type { Reason } from './reasons.ts';
import type { Invoice, Moved } from './service.ts';
import { ATTACH_JOB } from './sync.ts';
import type { Worker } from './worker.ts';

/** Steps of a sync (src/invoices/sync.ts) that need no engine state. */

type AttachDeps = Parameters<typeof attachFile>[0];
type Settings = Awaited<ReturnType<Store['workspaces']['getSettings']>>;

/** A split line's blocker (coding.ts words its own) as a reason. */
export const lineBlocker = (b: LineBlocker): Blocker => ({
  cause: b.cause,
  reason: { code: 'line_blocked', params: { reason: b.reason, fix: b.fix } },
});

/** The transition options that store a reason: its code for the history, the reason itself on the invoice. */
export const because = (r: Reason, patch: Partial<Invoice> = {}) => ({ reason: r.code, patch: { ...patch, reason: r } });

export type SyncOutcome =
  | { status: 'synced'; invoice: Invoice }
  | { status: 'blocked'; invoice: Invoice; blocker: Blocker }
  | { status: 'duplicate'; invoice: Invoice; of: Invoice | null }
  | { status: 'failed'; invoice: Invoice }
  | { status: 'needs_input'; invoice: Invoice }
  | { status: 'skipped'; invoice: Invoice }
  /** Another move got there first (a second submit, a retry racing a sync): nothing was changed by this one. */
  | { status: 'lost'; invoice: Invoice };

/** A sync outcome from a status move: what was asked for when it applied, `lost` when another move got there first. */
export function outcome<O extends Omit<Exclude<SyncOutcome, { status: 'lost' }>, 'invoice'>>(moved: Moved, o: O): SyncOutcome {
  return (moved.applied ? { ...o, invoice: moved.invoice } : { status: 'lost', invoice: moved.invoice }) as SyncOutcome;
}

/** Attaches the file now, or queues the attachment when QuickBooks is away; `note` says what the person should know. */
export async function attachOrQueue(
  deps: AttachDeps & { worker: Worker; log: Logger },
  inv: Invoice,
): Promise<{ invoice: Invoice; note: Reason | null }> {
  // No bytes when the file was too large to keep: the transaction stands without an attachment.
  if (inv.qboAttachableId || inv.fileSize <= 0) return { invoice: inv, note: null };
  try {
    return { invoice: await attachFile(deps, inv), note: null };
  } catch (err) {
    if (err instanceof QboError && (err.retryable || err.kind === 'not_connected')) {
      const delayMs = err.kind === 'throttled' ? deps.qbo.throttleWaitMs(err) : undefined;
      await deps.worker.enqueue(ATTACH_JOB, { invoiceId: inv.id }, { teamId: inv.teamId, dedupeKey: `attach:${inv.id}`, delayMs });
      return { invoice: inv, note: { code: 'attach_pending' } };
    }
    deps.log.warn('attachment refused', { invoiceId: inv.id, error: err });
    return { invoice: inv, note: { code: 'attach_failed', params: { message: err instanceof Error ? err.message : String(err) } } };
  }
}

/** What QuickBooks is asked to book for this invoice (src/qbo/mapping.ts), from its fields and the workspace defaults. */
export async function mappingInputFor(
  deps: { store: Store; lists: QboLists; approvals?: Pick<ApprovalService, 'privateNote'> },
  inv: Invoice,
  settings: Settings,
  what: {
    amountCents: number;
    vendorId: string;
    lines: MappingInput['lines'];
    purchaseAccountId: string;
    account: Extract<AccountCheck, { ok: true }>;
  },
): Promise<MappingInput> {
  const { amountCents, vendorId, purchaseAccountId, account } = what;
  const project = inv.projectProfileId != null ? await deps.store.profiles.get(inv.teamId, inv.projectProfileId) : null;
  const costCode = inv.costCodeProfileId != null ? await deps.store.profiles.get(inv.teamId, inv.costCodeProfileId) : null;
  const defaultExpense = settings.defaultExpenseAccountId ? await deps.lists.get(inv.teamId, 'Account', settings.defaultExpenseAccountId) : null;
  const input: MappingInput = {
    type: inv.txnType ?? settings.defaultType,
    amountCents,
    vendor: { id: vendorId, name: inv.vendorName ?? undefined },
    purchaseAccount: { id: purchaseAccountId, name: account.name, type: account.type },
    project: project?.qboId ? { customerId: project.qboId, name: project.qboName ?? undefined } : null,
    costCode: costCode?.qboId
      ? { entity: costCode.qboEntity === 'Item' ? 'Item' : 'Account', id: costCode.qboId, name: costCode.qboName ?? undefined }
      : null,
    defaultExpenseAccount: settings.defaultExpenseAccountId ? { id: settings.defaultExpenseAccountId, name: defaultExpense?.name } : null,
    invoiceNumber: inv.invoiceNumber,
    invoiceDate: inv.invoiceDate,
    dueDate: inv.dueDate,
    memo: inv.memo,
    approvalNote: (await deps.approvals?.privateNote(inv)) ?? null,
    lines: what.lines,
  };
  return input;
}
