/**
 * Why an invoice is where it is, as data: `{ code, params }`, stored on the invoice (`reason`) by the core and put
 * into words only by the Slack layer (src/slack/copy/reasons.ts). The core never writes Slack copy and nothing
 * matches sentences. Invoices from before this column keep their `status_reason` sentence (`legacy`).
 */

/** What a QuickBooks fault was, enough for the copy to explain it (QboError's kind, code and detail). */
export interface QboFault {
  kind: string;
  code?: string | null;
  detail?: string | null;
  message: string;
}

export type Reason =
  | { code: 'autosync_off' }
  | { code: 'queued' }
  | { code: 'created' }
  | { code: 'attach_pending' }
  | { code: 'attach_failed'; params: { message: string } }
  | { code: 'paid'; params: { account: string | null; by: string | null; on?: string | null } }
  | { code: 'payment_removed' }
  | { code: 'deleted_in_qbo' }
  | { code: 'voided_in_qbo' }
  | { code: 'not_connected' }
  | { code: 'connection_broken' }
  | { code: 'connection_lost' }
  | { code: 'no_purchase_account' }
  | { code: 'bad_purchase_account'; params: { problem: string } }
  | { code: 'no_expense_account' }
  | { code: 'missing_profile'; params: { kind: 'project' | 'cost_code' } }
  | { code: 'unlinked_project'; params: { name: string } }
  | { code: 'unlinked_cost_code'; params: { name: string } }
  | { code: 'qbo_error'; params: QboFault & { retrying?: boolean; pending?: boolean } }
  | { code: 'sync_error'; params: { pending?: boolean } }
  | { code: 'company_changed' }
  | {
      code: 'already_booked';
      params: {
        sameFile: boolean;
        invoiceNumber: string | null;
        txnType: string | null;
        docNumber: string | null;
        atIntake?: boolean;
      };
    }
  | { code: 'maybe_duplicate'; params: { sameFile: boolean; invoiceNumber: string | null } }
  | { code: 'approval_setup'; params: { problem: string } }
  /** Approvals (issue 16): waiting on the rule's approvers; a step approved; sent back by an approver. */
  | { code: 'awaiting_approval'; params: { rule: string } }
  | { code: 'approval_step'; params: { by: string; step: number; of: number; override: boolean; next: string | null } }
  | { code: 'approval_rejected'; params: { by: string; reason: string; override: boolean } }
  | { code: 'line_blocked'; params: { reason: string; fix: string } }
  | { code: 'legacy'; params: { text: string } };

export type ReasonCode = Reason['code'];

/** The stored reason of an invoice: the structured one, else an old row's sentence, else none. */
export function reasonOf(inv: { reason?: Reason | null; statusReason?: string | null }): Reason | null {
  if (inv.reason) return inv.reason;
  return inv.statusReason ? { code: 'legacy', params: { text: inv.statusReason } } : null;
}

/** The reason a block cause (`blockCause`) stands for, when the cause alone says it. */
export function isReason<C extends ReasonCode>(r: Reason | null | undefined, code: C): r is Extract<Reason, { code: C }> {
  return r?.code === code;
}

/** A QBO fault (a QboError) as data for the reason (the copy explains it). */
export function faultOf(err: { kind: string; code?: string | null; detail?: string | null; message: string }): QboFault {
  return { kind: err.kind, code: err.code ?? null, detail: err.detail ?? null, message: err.message };
}
