import type { ApprovalStore } from '../store/approvals.ts';
import type { Store } from '../store/index.ts';
import { type OutboxMessage, OutboxStore } from '../store/outbox.ts';
import type { ApprovalNotice, ApprovalTx } from './service.ts';

/**
 * Approval notices as outbox rows (`notice`, one key per step and kind, so a repeat writes nothing), and the
 * transaction the approval use case runs in: the approval store, the invoice store and the outbox on one Conn.
 * The Slack side expands a notice into its DMs when it delivers it (src/slack/approvals.ts).
 */

export function approvalNoticeRows(notices: ApprovalNotice[]): OutboxMessage[] {
  return notices.map((n) => ({
    teamId: n.teamId,
    kind: 'notice' as const,
    key: `approval-${n.kind}:${n.stepId}`,
    payload: { approval: n },
  }));
}

/** The payload's approval notice, when the outbox row is one. */
export function approvalNoticeOf(payload: Record<string, unknown>): ApprovalNotice | null {
  const n = payload.approval as ApprovalNotice | undefined;
  return n && typeof n === 'object' && typeof n.stepId === 'number' ? n : null;
}

export function approvalTx(store: Store, approvals: ApprovalStore) {
  return <T>(fn: (t: ApprovalTx) => Promise<T>): Promise<T> =>
    store.tx((s) =>
      fn({
        store: approvals.in(s.conn),
        invoices: s.invoices,
        tell: (notices) => new OutboxStore(s.conn).add(approvalNoticeRows(notices), s.conn),
      }),
    );
}
