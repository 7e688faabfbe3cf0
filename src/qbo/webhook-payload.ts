import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Intuit's webhook bodies, both formats: the legacy `{"eventNotifications":[{realmId, dataChangeEvent:{entities:
 * [{name, id, operation, lastUpdated}]}}]}` and the CloudEvents array Intuit now sends (`type` like
 * `qbo.bill.updated.v1`, `intuitaccountid` = realm, `intuitentityid`, `time`). Both become the same events.
 */

export type ChangeOperation = 'Create' | 'Update' | 'Delete' | 'Merge' | 'Void' | 'Emailed';

export interface WebhookEvent {
  realmId: string;
  entity: string;
  id: string;
  operation: ChangeOperation;
  /** epoch ms, when Intuit says */
  lastUpdated: number | null;
}

/** `intuit-signature` = base64(HMAC-SHA256(raw body, verifier token)), compared in constant time. */
export function signatureValid(raw: Buffer, header: string | undefined, verifierToken: string): boolean {
  if (!header) return false;
  const expected = createHmac('sha256', verifierToken).update(raw).digest();
  let given: Buffer;
  try {
    given = Buffer.from(header.trim(), 'base64');
  } catch {
    return false;
  }
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const ENTITY_CASE = new Map(
  ['Account', 'Bill', 'BillPayment', 'Class', 'Customer', 'Item', 'Purchase', 'Vendor', 'VendorCredit', 'Term', 'Department'].map((n) => [
    n.toLowerCase(),
    n,
  ]),
);
const OPERATIONS: Record<string, ChangeOperation> = {
  create: 'Create',
  created: 'Create',
  update: 'Update',
  updated: 'Update',
  delete: 'Delete',
  deleted: 'Delete',
  merge: 'Merge',
  merged: 'Merge',
  void: 'Void',
  voided: 'Void',
  emailed: 'Emailed',
};

const entityName = (s: unknown) => (typeof s === 'string' ? (ENTITY_CASE.get(s.toLowerCase()) ?? s) : null);
const time = (s: unknown) => {
  const t = typeof s === 'string' ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? null : t;
};

/** The events of a body; throws on a body that is neither format. */
export function parseWebhook(body: unknown): WebhookEvent[] {
  const out: WebhookEvent[] = [];
  if (Array.isArray(body)) {
    for (const e of body) {
      const m = typeof e?.type === 'string' ? /^qbo\.([a-z]+)\.([a-z]+)\.v\d+$/i.exec(e.type) : null;
      const operation = m ? OPERATIONS[m[2].toLowerCase()] : undefined;
      if (!m || !operation || !e.intuitaccountid || !e.intuitentityid) throw new Error('not a QuickBooks CloudEvent');
      out.push({ realmId: String(e.intuitaccountid), entity: entityName(m[1])!, id: String(e.intuitentityid), operation, lastUpdated: time(e.time) });
    }
    return out;
  }
  const notes = (body as { eventNotifications?: unknown })?.eventNotifications;
  if (!Array.isArray(notes)) throw new Error('neither eventNotifications nor CloudEvents');
  for (const n of notes) {
    for (const e of n?.dataChangeEvent?.entities ?? []) {
      const operation = OPERATIONS[String(e?.operation ?? '').toLowerCase()];
      if (!n.realmId || !e?.name || e.id == null || !operation) throw new Error('malformed eventNotifications entry');
      out.push({ realmId: String(n.realmId), entity: entityName(e.name)!, id: String(e.id), operation, lastUpdated: time(e.lastUpdated) });
    }
  }
  return out;
}
