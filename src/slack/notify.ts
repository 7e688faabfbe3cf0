import { claimNotice, resolveNotice } from './admin-notices.ts';
import type { Invoice, StatusChange } from '../invoices/service.ts';
import { getSettings } from '../workspace/settings.ts';
import { getProfile } from '../workspace/profiles.ts';
import type { SlackDeps } from './deps.ts';
import { invoiceCard } from './views/invoice-card.ts';
import type { InvoiceInfo } from './views/invoice-common.ts';
import { blockedDm, duplicateDm, failedDm, needsInputDm, syncedDm, waitingDm, type Message } from './views/invoice-dm.ts';
import { adminNotice, fixKindFor } from './views/invoice-admin.ts';

/**
 * Tells people what happened to their invoices. Subscribes to the core's status changes and, per invoice in order:
 * posts/updates the thread card, DMs the uploader and the submitter on the outcomes that need them, and sends the
 * admins one fix-it DM per block cause (not per invoice). Slack failures are logged, never thrown back into the core.
 */
export function wireNotifications(deps: SlackDeps): () => void {
  const onStatus = (change: StatusChange) => {
    enqueue(deps, change.invoice.id, () => handleChange(deps, change));
  };
  // What Slack could not take right away (an outage, a rate limit past the client's retries) goes to the durable
  // queue and is retried with backoff, across restarts: nobody misses the news of a booked or refused invoice.
  deps.engine.worker.register(RETRY_DM, async (p) => {
    const client = await deps.clientFor(String(p.teamId));
    await client.chat.postMessage({ channel: String(p.user), text: String(p.text), blocks: p.blocks as any[], unfurl_links: false });
  });
  deps.engine.worker.register(RETRY_CARD, async (p) => {
    await syncCard(deps, Number(p.invoiceId), { throwOnFailure: true });
  });
  deps.engine.invoices.events.on('status', onStatus);
  return () => {
    deps.engine.invoices.events.off('status', onStatus);
  };
}

export const RETRY_DM = 'slack.dm';
export const RETRY_CARD = 'slack.card';

/** A needs_input reached from these says so on the card only (intake, or already waiting for input). */
const NO_NEEDS_INPUT_DM_FROM: readonly (string | null)[] = ['received', 'needs_input'];

/** Per-invoice serial queue: card updates land in the order the statuses changed. */
const chains = new Map<number, Promise<void>>();
function enqueue(deps: SlackDeps, invoiceId: number, work: () => Promise<void>): Promise<void> {
  const prev = chains.get(invoiceId) ?? Promise.resolve();
  // A failure here must never become an unhandled rejection (it would stop the process): log it and go on.
  const safe = () => work().catch((err) => deps.log.error('invoice notification failed', { invoiceId, error: err }));
  const next = prev.then(safe, safe);
  chains.set(invoiceId, next);
  void next.finally(() => {
    if (chains.get(invoiceId) === next) chains.delete(invoiceId);
  });
  return next;
}

/** Waits until every pending notification is out (tests, graceful paths). */
export async function notificationsIdle(): Promise<void> {
  while (chains.size) await Promise.allSettled([...chains.values()]);
}

/** Names the views need, resolved from the database. */
export async function invoiceInfo(deps: SlackDeps, inv: Invoice, extra: Partial<InvoiceInfo> = {}): Promise<InvoiceInfo> {
  const { db, lists, invoices } = deps.engine;
  const settings = getSettings(db, inv.teamId);
  const project = inv.projectProfileId != null ? getProfile(db, inv.teamId, inv.projectProfileId) : null;
  const costCode = inv.costCodeProfileId != null ? getProfile(db, inv.teamId, inv.costCodeProfileId) : null;
  const accountId = inv.purchaseAccountId ?? settings.defaultPurchaseAccountId;
  const account = accountId ? lists.get(inv.teamId, 'Account', accountId) : null;
  const dup = inv.duplicateOfId != null ? await invoices.byId(inv.duplicateOfId) : null;
  const same = inv.status !== 'synced' && inv.fileSize > 0 ? await invoices.sameFile(inv.teamId, inv.sha256, inv.id) : null;
  return {
    inv,
    projectName: project?.name ?? null,
    projectLinked: project ? !!project.qboId : undefined,
    costCodeName: costCode?.name ?? null,
    accountName: account?.fullName ?? null,
    autoSync: settings.autoSync,
    duplicateOf: dup,
    sameFileAs: same ? { id: same.id, status: same.status } : null,
    needsReconnect: inv.status === 'blocked' && deps.engine.connections.get(inv.teamId)?.status === 'needs_reconnect',
    ...extra,
  };
}

/** Posts the card in the file's thread the first time, then updates it in place. Channel invoices only. */
export function refreshCard(deps: SlackDeps, invoiceId: number, extra: Partial<InvoiceInfo> = {}): Promise<void> {
  return enqueue(deps, invoiceId, () => syncCard(deps, invoiceId, extra));
}

async function syncCard(deps: SlackDeps, invoiceId: number, extra: Partial<InvoiceInfo> & { throwOnFailure?: boolean } = {}): Promise<void> {
  const { throwOnFailure, ...extraInfo } = extra;
  extra = extraInfo;
  const inv = await deps.engine.invoices.byId(invoiceId);
  if (!inv || inv.source !== 'channel' || !inv.channelId) return;
  // Nothing to say until it is read, unless the reader is under way (a photo or a scan: "Reading your photo…").
  if (inv.status === 'received' && !inv.cardTs && !extra.reading) return;
  if (inv.status !== 'received') extra = { ...extra, reading: null }; // a late progress tick shows the result
  const client = await deps.clientFor(inv.teamId);
  const card = invoiceCard(await invoiceInfo(deps, inv, extra));
  try {
    if (inv.cardTs) {
      await client.chat.update({ channel: inv.channelId, ts: inv.cardTs, text: card.text, blocks: card.blocks });
    } else {
      const res = await client.chat.postMessage({
        channel: inv.channelId,
        ...(inv.messageTs ? { thread_ts: inv.messageTs } : {}),
        text: card.text,
        blocks: card.blocks,
        unfurl_links: false,
      });
      if (res.ts) await deps.engine.invoices.patch(inv.id, { cardTs: res.ts });
    }
  } catch (err) {
    if (throwOnFailure) throw err;
    // The card always shows the invoice's current state, so one queued re-render per invoice is enough.
    deps.log.warn('invoice card update failed; queued for retry', { invoiceId, error: err });
    await deps.engine.worker.enqueue(RETRY_CARD, { invoiceId }, { teamId: inv.teamId, dedupeKey: `card:${invoiceId}`, delayMs: 2000 });
  }
}

/**
 * Start-up: channel invoices read (or further along) whose card was never posted — the process died between the
 * status change and Slack's answer — get their card now, so nobody waits on a file that seems ignored.
 */
export async function resumeCards(deps: SlackDeps): Promise<number> {
  const missing = await deps.engine.invoices.missingCards();
  for (const id of missing) void refreshCard(deps, id);
  if (missing.length) deps.log.info('posting cards a restart left unposted', { count: missing.length });
  return missing.length;
}

/** The people who should hear about an invoice: who shared it and who submitted it. */
export function recipients(inv: Pick<Invoice, 'uploadedBy' | 'submittedBy'>): string[] {
  return [...new Set([inv.uploadedBy, inv.submittedBy].filter((u): u is string => !!u && /^[UW][A-Z0-9]+$/.test(u)))];
}

export async function dm(deps: SlackDeps, teamId: string, users: string[], msg: Message): Promise<void> {
  if (!users.length) return;
  const client = await deps.clientFor(teamId);
  for (const user of users) {
    try {
      await client.chat.postMessage({ channel: user, text: msg.text, blocks: msg.blocks, unfurl_links: false });
    } catch (err) {
      deps.log.warn('invoice DM failed; queued for retry', { teamId, user, error: err });
      await deps.engine.worker.enqueue(RETRY_DM, { teamId, user, text: msg.text, blocks: msg.blocks }, { teamId, delayMs: 2000 });
    }
  }
}

async function handleChange(deps: SlackDeps, change: StatusChange): Promise<void> {
  const inv = change.invoice;
  await syncCard(deps, inv.id);
  const info = await invoiceInfo(deps, inv);
  const to = recipients(inv);
  switch (change.to) {
    case 'synced': {
      // Mark paid only for those who may record a payment (admins, named payers).
      const client = to.length ? await deps.clientFor(inv.teamId) : null;
      for (const user of to) await dm(deps, inv.teamId, [user], syncedDm(info, { canPay: !!client && (await deps.admins.canPay(client, inv.teamId, user)) }));
      return;
    }
    case 'failed':
      return dm(deps, inv.teamId, to, failedDm(info));
    case 'duplicate':
      // Found at intake, a channel file's thread card says it at once; a DM would only repeat it.
      if (change.from === 'received' && inv.source === 'channel' && inv.channelId) return;
      return dm(deps, inv.teamId, to, duplicateDm(info));
    case 'blocked':
      await dm(deps, inv.teamId, inv.blockCause === 'not_connected' ? await oncePerOutage(deps, inv.teamId, to) : to, blockedDm(info));
      if (inv.blockCause) await noticeAdmins(deps, inv).catch((err) => deps.log.warn('admin notice failed', { invoiceId: inv.id, error: err }));
      return;
    case 'ready':
      // Queued ready → the worker takes it; only a wait because Auto-sync is off is news.
      if (!info.autoSync && change.actor !== 'system') return dm(deps, inv.teamId, to, waitingDm(info));
      return;
    case 'needs_input':
      // At intake the thread card says it; later (a sync that found something missing) the people are told.
      if (change.from && !NO_NEEDS_INPUT_DM_FROM.includes(change.from)) return dm(deps, inv.teamId, to, needsInputDm(info));
      return;
    default:
      return;
  }
}

/** Per-person notice of a QuickBooks outage (resolved when QuickBooks is connected again). */
export const OUTAGE_NOTICE_PREFIX = 'outage_dm:';

/**
 * Of the people an invoice blocked by a missing connection would tell, those not told yet in this outage: one
 * message per person per outage, not one per invoice. While the connection needs reconnecting the admins have the
 * reconnect notice (connection-notices), so they get nothing more.
 */
async function oncePerOutage(deps: SlackDeps, teamId: string, users: string[]): Promise<string[]> {
  const fresh = users.filter((u) => claimNotice(deps.engine.db, teamId, `${OUTAGE_NOTICE_PREFIX}${u}`));
  const conn = deps.engine.connections.get(teamId);
  if (!fresh.length || conn?.status !== 'needs_reconnect') return fresh;
  const admins = new Set(await deps.admins.list(await deps.clientFor(teamId), teamId));
  if (conn.connectedBy) admins.add(conn.connectedBy);
  return fresh.filter((u) => !admins.has(u));
}

/** Causes an admin fixes for the whole workspace (the others are the invoice's own: the submitter fixes them). */
export function isWorkspaceCause(cause: string): boolean {
  return cause === 'not_connected' || cause === 'no_purchase_account' || cause === 'no_expense_account' || cause.startsWith('unlinked:');
}

export const noticeKey = (cause: string) => `invoice_blocked:${cause}`;

export function blockedCount(deps: SlackDeps, teamId: string, cause: string, exceptId?: number): Promise<number> {
  return deps.engine.invoices.countBlocked(teamId, cause, exceptId);
}

/** The admins' fix-it DM, once per cause: again only after every invoice waiting on the previous one moved on. */
async function noticeAdmins(deps: SlackDeps, inv: Invoice): Promise<void> {
  const cause = inv.blockCause!;
  if (!isWorkspaceCause(cause)) return;
  const { engine } = deps;
  if (cause === 'not_connected' && engine.connections.get(inv.teamId)?.status === 'needs_reconnect') return; // the reconnect notice (connection-notices) covers a broken connection
  const key = noticeKey(cause);
  if ((await blockedCount(deps, inv.teamId, cause, inv.id)) === 0) resolveNotice(deps.engine.db, inv.teamId, key);
  if (!claimNotice(deps.engine.db, inv.teamId, key)) return;
  const profileId = cause.startsWith('unlinked:') ? Number(cause.split(':')[2]) : null;
  const profile = profileId != null ? getProfile(engine.db, inv.teamId, profileId) : null;
  const blocker = engine.sync.checkLocalPreconditions(inv);
  const [reason, fix] = blocker && blocker.cause === cause ? [blocker.reason, blocker.fix] : splitReason(inv.statusReason);
  const msg = adminNotice({
    cause,
    reason,
    fix,
    waiting: await blockedCount(deps, inv.teamId, cause),
    fixKind: fixKindFor(cause, profile ? { id: profile.id, kind: profile.kind, name: profile.name } : null),
  });
  const client = await deps.clientFor(inv.teamId);
  const admins = await deps.admins.list(client, inv.teamId);
  await dm(deps, inv.teamId, admins, msg);
}

function splitReason(s: string | null): [string, string] {
  const text = s ?? 'An invoice is blocked';
  const i = text.indexOf('. ');
  return i > 0 ? [text.slice(0, i), text.slice(i + 2)] : [text, ''];
}
