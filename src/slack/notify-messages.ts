import { noticeKey } from '../app/blockers.ts';
import { OUTAGE_NOTICE_PREFIX } from '../app/connect.ts';
import { codingInfo } from './coding-info.ts';
import type { Invoice, StatusChange } from '../invoices/service.ts';
import type { SlackDeps } from './deps.ts';
import type { InvoiceInfo } from './views/invoice-common.ts';
import { blockedDm, duplicateDm, failedDm, needsInputDm, syncedDm, waitingDm, type Message } from './views/invoice-dm.ts';
import { adminNotice, fixKindFor } from './views/invoice-admin.ts';
import { reasonOf } from '../invoices/reasons.ts';
import { reasonWords } from './copy/reasons.ts';

/**
 * Who hears what about an invoice's status change (the outbox's `notice` rows become these DMs): the uploader and
 * the submitter on the outcomes that need them, the admins one fix-it DM per block cause (not per invoice).
 */
/** Names the views need, resolved from the database. */
export async function invoiceInfo(deps: SlackDeps, inv: Invoice, extra: Partial<InvoiceInfo> = {}): Promise<InvoiceInfo> {
  const { store, lists, invoices } = deps.engine;
  const settings = await deps.engine.store.workspaces.getSettings(inv.teamId);
  const project = inv.projectProfileId != null ? await store.profiles.get(inv.teamId, inv.projectProfileId) : null;
  const costCode = inv.costCodeProfileId != null ? await store.profiles.get(inv.teamId, inv.costCodeProfileId) : null;
  const accountId = inv.purchaseAccountId ?? settings.defaultPurchaseAccountId;
  const account = accountId ? await lists.get(inv.teamId, 'Account', accountId) : null;
  const dup = inv.duplicateOfId != null ? await invoices.byId(inv.duplicateOfId) : null;
  return {
    inv,
    projectName: project?.name ?? null,
    projectLinked: project ? !!project.qboId : undefined,
    costCodeName: costCode?.name ?? null,
    accountName: account?.fullName ?? null,
    autoSync: settings.autoSync,
    duplicateOf: dup,
    needsReconnect: inv.status === 'blocked' && (await deps.engine.connections.get(inv.teamId))?.status === 'needs_reconnect',
    ...extra,
  };
}

/** What a DM says of an invoice: its names and its coding (read once per notice). */
const dmInfo = async (deps: SlackDeps, inv: Invoice): Promise<InvoiceInfo> => invoiceInfo(deps, inv, await codingInfo(deps, inv));

/** The people who should hear about an invoice: who shared it and who submitted it. */
export function recipients(inv: Pick<Invoice, 'uploadedBy' | 'submittedBy'>): string[] {
  return [...new Set([inv.uploadedBy, inv.submittedBy].filter((u): u is string => !!u && /^[UW][A-Z0-9]+$/.test(u)))];
}

export type Outgoing = { user: string; msg: Message; tag: 'p' | 'a' };
const to = (users: string[], msg: Message, tag: 'p' | 'a' = 'p'): Outgoing[] => users.map((user) => ({ user, msg, tag }));

/** Who hears what about one status change (the invoice as the change left it). */
export async function messagesFor(deps: SlackDeps, change: Omit<StatusChange, 'reason'>): Promise<Outgoing[]> {
  const inv = change.invoice;
  const people = recipients(inv);
  // The names are read only for a DM that goes out (most intake-time notices tell nobody: the card says it).
  if (!people.length && change.to !== 'blocked') return [];
  const info = () => dmInfo(deps, inv);
  switch (change.to) {
    case 'synced': {
      // Mark paid only for those who may record a payment (admins, named payers).
      const client = people.length ? await deps.clientFor(inv.teamId) : null;
      const out: Outgoing[] = [];
      const names = await info();
      for (const user of people)
        out.push(
          ...to(
            [user],
            syncedDm(names, {
              canPay: !!client && (await deps.admins.canPay(client, inv.teamId, user)),
            }),
          ),
        );
      return out;
    }
    case 'failed':
      return to(people, failedDm(await info()));
    case 'duplicate':
      // Found at intake, a channel file's thread card says it at once; a DM would only repeat it.
      if (change.from === 'received' && inv.source === 'channel' && inv.channelId) return [];
      return to(people, duplicateDm(await info()));
    case 'blocked': {
      const told = inv.blockCause === 'not_connected' ? await oncePerOutage(deps, inv.teamId, people) : people;
      const out = told.length ? to(told, blockedDm(await info())) : [];
      if (inv.blockCause)
        out.push(
          ...(await noticeAdmins(deps, inv).catch((err): Outgoing[] => {
            deps.log.warn('admin notice failed', { invoiceId: inv.id, error: err });
            return [];
          })),
        );
      return out;
    }
    case 'ready':
      // Queued ready → the worker takes it; only a wait because Auto-sync is off is news.
      if (change.actor === 'system' || (await deps.engine.store.workspaces.getSettings(inv.teamId)).autoSync) return [];
      return to(people, waitingDm(await info()));
    case 'needs_input':
      // At intake the thread card says it; later (a sync that found something missing) the people are told.
      // A rejection has its own DM (src/slack/approvals.ts), with the approver's reason.
      return change.from && !['received', 'needs_input', 'awaiting_approval'].includes(change.from) ? to(people, needsInputDm(await info())) : [];
    default:
      return [];
  }
}

/** Per-person notice of a QuickBooks outage (resolved when QuickBooks is connected again: src/app/connect.ts). */
export { OUTAGE_NOTICE_PREFIX };

/**
 * Of the people an invoice blocked by a missing connection would tell, those not told yet in this outage: one
 * message per person per outage, not one per invoice. While the connection needs reconnecting the admins have the
 * reconnect notice (connection-notices), so they get nothing more.
 */
async function oncePerOutage(deps: SlackDeps, teamId: string, users: string[]): Promise<string[]> {
  const fresh: string[] = [];
  for (const u of users) if (await deps.engine.store.notices.claim(teamId, `${OUTAGE_NOTICE_PREFIX}${u}`)) fresh.push(u);
  const conn = await deps.engine.connections.get(teamId);
  if (!fresh.length || conn?.status !== 'needs_reconnect') return fresh;
  const admins = new Set(await deps.admins.list(await deps.clientFor(teamId), teamId));
  if (conn.connectedBy) admins.add(conn.connectedBy);
  return fresh.filter((u) => !admins.has(u));
}

/** Causes an admin fixes for the whole workspace (the others are the invoice's own: the submitter fixes them). */
export function isWorkspaceCause(cause: string): boolean {
  return cause === 'not_connected' || cause === 'no_purchase_account' || cause === 'no_expense_account' || cause.startsWith('unlinked:');
}

export { noticeKey };

export function blockedCount(deps: SlackDeps, teamId: string, cause: string, exceptId?: number): Promise<number> {
  return deps.engine.store.invoices.countBlocked(teamId, cause, exceptId);
}

/** The admins' fix-it DM, once per cause: again only after every invoice waiting on the previous one moved on. */
async function noticeAdmins(deps: SlackDeps, inv: Invoice): Promise<Outgoing[]> {
  const cause = inv.blockCause!;
  if (!isWorkspaceCause(cause)) return [];
  const { engine } = deps;
  if (cause === 'not_connected' && (await engine.connections.get(inv.teamId))?.status === 'needs_reconnect') return []; // the reconnect notice (connection-notices) covers a broken connection
  const key = noticeKey(cause);
  if ((await blockedCount(deps, inv.teamId, cause, inv.id)) === 0) await deps.engine.store.notices.resolve(inv.teamId, key);
  if (!(await deps.engine.store.notices.claim(inv.teamId, key))) return [];
  const profileId = cause.startsWith('unlinked:') ? Number(cause.split(':')[2]) : null;
  const profile = profileId != null ? await engine.store.profiles.get(inv.teamId, profileId) : null;
  const blocker = await engine.sync.checkLocalPreconditions(inv);
  const why = blocker && blocker.cause === cause ? blocker.reason : reasonOf(inv);
  const { reason, fix } = why ? reasonWords(why) : { reason: 'An invoice is blocked', fix: '' };
  const msg = adminNotice({
    cause,
    reason,
    fix,
    waiting: await blockedCount(deps, inv.teamId, cause),
    fixKind: fixKindFor(cause, profile ? { id: profile.id, kind: profile.kind, name: profile.name } : null),
  });
  const client = await deps.clientFor(inv.teamId);
  const admins = await deps.admins.list(client, inv.teamId);
  return to(admins, msg, 'a');
}
