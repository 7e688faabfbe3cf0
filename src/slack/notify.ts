import { randomUUID } from 'node:crypto';
import type { Block, KnownBlock } from '@slack/types';
import { and, eq, isNotNull, isNull, ne } from 'drizzle-orm';
import { codingInfo } from './coding-info.ts';
import { invoices as invoicesTable } from '../store/sqlite/schema.ts';
import type { TransitionHook } from '../store/invoices.ts';
import { OutboxStore, type CardClaim, type OutboxMessage, type OutboxRow } from '../store/outbox.ts';
import { claimNotice, resolveNotice } from './admin-notices.ts';
import type { Invoice, StatusChange } from '../invoices/service.ts';
import { getSettings } from '../workspace/settings.ts';
import { getProfile } from '../workspace/profiles.ts';
import type { SlackDeps } from './deps.ts';
import { invoiceCard } from './views/invoice-card.ts';
import type { InvoiceInfo } from './views/invoice-common.ts';
import {
  blockedDm,
  duplicateDm,
  failedDm,
  needsInputDm,
  syncedDm,
  waitingDm,
  type Message,
} from './views/invoice-dm.ts';
import { adminNotice, fixKindFor } from './views/invoice-admin.ts';
import { OutboxLoop, outboxIdle } from './outbox-loop.ts';

/**
 * Tells people what happened to their invoices, through the durable outbox (table `outbox`, src/store/outbox.ts):
 * every status change writes a `card` row (the thread card shows the new state) and a `notice` row (the DMs it
 * calls for), and the outbox loop delivers them — after a crash too, by the next process on the database. A card
 * is posted once: its ts is stored with the row before the card's next update is delivered. The uploader and the
 * submitter hear about the outcomes that need them; the admins get one fix-it DM per block cause (not per invoice).
 */
interface Notifier {
  store: OutboxStore;
  loop: OutboxLoop;
  /** Rows being written (a status change's rows are added after its event): an idle wait waits for them. */
  writing: Set<Promise<unknown>>;
}
const notifiers = new WeakMap<SlackDeps, Notifier>();
const writingAll = new Set<Promise<unknown>>();

function notifier(deps: SlackDeps): Notifier {
  let n = notifiers.get(deps);
  if (!n) {
    const store = new OutboxStore(deps.engine.conn);
    const w = deps.engine.config.worker;
    const loop = new OutboxLoop(store, (row) => deliver(deps, row), deps.log, {
      pollMs: Math.max(w.pollMs, 50),
      backoffBaseMs: Math.max(w.backoffBaseMs, 100),
    });
    n = { store, loop, writing: new Set() };
    notifiers.set(deps, n);
  }
  return n;
}

/**
 * The status change's outbox rows, written in its own transaction (InvoiceStore.onTransition): the change and the
 * news of it commit together, so a crash between the commit and Slack loses nothing.
 */
export function outboxTransitionHook(): TransitionHook {
  return async (t, change) => {
    await new OutboxStore(t).add(rowsForChange(change), t);
  };
}

/** Where the async invoice store is, once the engine has one (until then the core's status events are used). */
type HookableEngine = { store?: { invoices?: { onTransition(hook: TransitionHook): () => void } } };

/** Starts delivering the outbox and writes a card + notice row on every status change. Returns the stop. */
export function wireNotifications(deps: SlackDeps): () => Promise<void> {
  const n = notifier(deps);
  const invoiceStore = (deps.engine as HookableEngine).store?.invoices;
  const unhook = invoiceStore?.onTransition(outboxTransitionHook());
  // With the hook the rows are already committed with the change: the event (after the commit) only wakes the loop.
  const onStatus = (change: StatusChange) => (unhook ? n.loop.kick() : void add(deps, rowsForChange(change)));
  deps.engine.invoices.events.on('status', onStatus);
  // Retry jobs queued by versions before the outbox become outbox rows.
  deps.engine.worker.register('slack.dm', async (p) =>
    dm(deps, String(p.teamId), [String(p.user)], {
      text: String(p.text),
      blocks: (p.blocks ?? []) as Message['blocks'],
    }),
  );
  deps.engine.worker.register('slack.card', async (p) => refreshCard(deps, Number(p.invoiceId)));
  n.loop.start();
  return async () => {
    unhook?.();
    deps.engine.invoices.events.off('status', onStatus);
    await Promise.allSettled([...n.writing]);
    await n.loop.stop();
  };
}

/** The outbox rows a status change calls for: its card's update (channel invoices) and the notice of who to tell. */
export function rowsForChange(change: StatusChange): OutboxMessage[] {
  const inv = change.invoice;
  const rows: OutboxMessage[] = [];
  if (inv.source === 'channel' && inv.channelId)
    rows.push({
      teamId: inv.teamId,
      kind: 'card',
      key: cardKey(inv.id),
      payload: { invoiceId: inv.id },
    });
  if (NEWS.has(change.to)) {
    rows.push({
      teamId: inv.teamId,
      kind: 'notice',
      key: `status:${inv.id}:${randomUUID()}`,
      payload: {
        invoice: inv,
        from: change.from,
        to: change.to,
        actor: change.actor,
      },
    });
  }
  return rows;
}
const NEWS = new Set(['synced', 'failed', 'duplicate', 'blocked', 'ready', 'needs_input']);
const cardKey = (invoiceId: number) => `card:${invoiceId}`;

function add(deps: SlackDeps, rows: OutboxMessage[]): Promise<void> {
  const n = notifier(deps);
  const p = n.store
    .add(rows)
    .then(() => n.loop.kick())
    .catch((err) => deps.log.error('outbox write failed', { error: err }));
  n.writing.add(p);
  writingAll.add(p);
  void p.finally(() => {
    n.writing.delete(p);
    writingAll.delete(p);
  });
  return p;
}

/** Waits until every pending notification is out (tests, graceful paths): rows being written, then the outbox. */
export async function notificationsIdle(): Promise<void> {
  while (writingAll.size) await Promise.allSettled([...writingAll]);
  await outboxIdle();
}

/** Names the views need, resolved from the database. */
export function invoiceInfo(deps: SlackDeps, inv: Invoice, extra: Partial<InvoiceInfo> = {}): InvoiceInfo {
  const { db, lists, invoices } = deps.engine;
  const settings = getSettings(db, inv.teamId);
  const project = inv.projectProfileId != null ? getProfile(db, inv.teamId, inv.projectProfileId) : null;
  const costCode = inv.costCodeProfileId != null ? getProfile(db, inv.teamId, inv.costCodeProfileId) : null;
  const accountId = inv.purchaseAccountId ?? settings.defaultPurchaseAccountId;
  const account = accountId ? lists.get(inv.teamId, 'Account', accountId) : null;
  const dup = inv.duplicateOfId != null ? invoices.byId(inv.duplicateOfId) : null;
  const same = inv.status !== 'synced' && inv.fileSize > 0 ? invoices.sameFile(inv.teamId, inv.sha256, inv.id) : null;
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

/** Queues an update of the invoice's thread card (posted the first time, then updated in place). Channel invoices only. */
export function refreshCard(deps: SlackDeps, invoiceId: number, extra: Partial<InvoiceInfo> = {}): Promise<void> {
  const inv = deps.engine.invoices.byId(invoiceId);
  if (!inv || inv.source !== 'channel' || !inv.channelId) return Promise.resolve();
  return add(deps, [
    {
      teamId: inv.teamId,
      kind: 'card',
      key: cardKey(inv.id),
      payload: { invoiceId, extra },
    },
  ]);
}

/** Sends one outbox row to Slack; what it returns (a posted message's ts) is kept with the row. */
async function deliver(deps: SlackDeps, row: OutboxRow | CardClaim): Promise<{ ts?: string | null } | undefined> {
  if (row.kind === 'card') return deliverCard(deps, row);
  if (row.kind === 'notice') {
    await expandNotice(deps, row);
    return undefined;
  }
  const p = row.payload as {
    channel: string;
    text: string;
    blocks?: (KnownBlock | Block)[];
  };
  const client = await deps.clientFor(row.teamId);
  const res = await client.chat.postMessage({
    channel: p.channel,
    text: p.text,
    blocks: p.blocks,
    unfurl_links: false,
  });
  return { ts: res.ts ?? null };
}

/** Renders the card from the invoice's state now (a card always shows the latest) and posts or updates it. */
async function deliverCard(deps: SlackDeps, row: OutboxRow): Promise<{ ts?: string | null } | undefined> {
  const p = row.payload as { invoiceId: number; extra?: Partial<InvoiceInfo> };
  let extra: Partial<InvoiceInfo> = p.extra ?? {};
  const inv = deps.engine.invoices.byId(p.invoiceId);
  if (!inv || inv.source !== 'channel' || !inv.channelId) return;
  const ts = (await notifier(deps).store.cardTs(row.key)) ?? inv.cardTs;
  // Nothing to say until it is read, unless the reader is under way (a photo or a scan: "Reading your photo…").
  if (inv.status === 'received' && !ts && !extra.reading) return;
  if (inv.status !== 'received') extra = { ...extra, reading: null }; // a late progress tick shows the result
  const client = await deps.clientFor(inv.teamId);
  const card = invoiceCard(invoiceInfo(deps, inv, { ...(await codingInfo(deps, inv)), ...extra }));
  if (ts) {
    await client.chat.update({
      channel: inv.channelId,
      ts,
      text: card.text,
      blocks: card.blocks,
    });
    if (!inv.cardTs) deps.engine.invoices.patch(inv.id, { cardTs: ts });
    return { ts };
  }
  const res = await client.chat.postMessage({
    channel: inv.channelId,
    ...(inv.messageTs ? { thread_ts: inv.messageTs } : {}),
    text: card.text,
    blocks: card.blocks,
    unfurl_links: false,
  });
  if (res.ts) deps.engine.invoices.patch(inv.id, { cardTs: res.ts });
  return { ts: res.ts ?? null };
}

/**
 * Start-up: channel invoices read (or further along) with no card yet get a card row, for databases from before the
 * outbox (its rows survive a crash by themselves, and an extra row of a card only re-renders it).
 */
export function resumeCards(deps: SlackDeps): number {
  const missing = deps.engine.db
    .select({ id: invoicesTable.id })
    .from(invoicesTable)
    .where(
      and(
        eq(invoicesTable.source, 'channel'),
        isNull(invoicesTable.cardTs),
        isNotNull(invoicesTable.channelId),
        ne(invoicesTable.status, 'received'),
      ),
    )
    .all();
  for (const { id } of missing) void refreshCard(deps, id);
  if (missing.length)
    deps.log.info('posting cards a restart left unposted', {
      count: missing.length,
    });
  return missing.length;
}

/** The people who should hear about an invoice: who shared it and who submitted it. */
export function recipients(inv: Pick<Invoice, 'uploadedBy' | 'submittedBy'>): string[] {
  return [...new Set([inv.uploadedBy, inv.submittedBy].filter((u): u is string => !!u && /^[UW][A-Z0-9]+$/.test(u)))];
}

/**
 * Queues a DM to each user through the outbox (retried with backoff and Slack's Retry-After, across restarts).
 * With a `key`, each user gets it once per key, however often this is called.
 */
export function dm(deps: SlackDeps, teamId: string, users: string[], msg: Message, key?: string): Promise<void> {
  if (!users.length) return Promise.resolve();
  const base = key ?? `dm:${randomUUID()}`;
  return add(
    deps,
    users.map((user) => ({
      teamId,
      kind: 'dm' as const,
      key: `${base}:${user}`,
      payload: { channel: user, text: msg.text, blocks: msg.blocks },
    })),
  );
}

/** A notice row becomes the DMs it calls for (each once: keyed under the notice), in one transaction. */
async function expandNotice(deps: SlackDeps, row: OutboxRow): Promise<void> {
  const change = row.payload as unknown as Omit<StatusChange, 'reason'>;
  const out = await messagesFor(deps, change);
  const rows = out.map(({ user, msg, tag }) => ({
    teamId: row.teamId,
    kind: 'dm' as const,
    key: `${row.key}:${tag}:${user}`,
    payload: { channel: user, text: msg.text, blocks: msg.blocks },
  }));
  await notifier(deps).store.expand(row, rows);
  notifier(deps).loop.kick();
}

type Outgoing = { user: string; msg: Message; tag: 'p' | 'a' };
const to = (users: string[], msg: Message, tag: 'p' | 'a' = 'p'): Outgoing[] =>
  users.map((user) => ({ user, msg, tag }));

/** Who hears what about one status change (the invoice as the change left it). */
async function messagesFor(deps: SlackDeps, change: Omit<StatusChange, 'reason'>): Promise<Outgoing[]> {
  const inv = change.invoice;
  const info = invoiceInfo(deps, inv, await codingInfo(deps, inv));
  const people = recipients(inv);
  switch (change.to) {
    case 'synced': {
      // Mark paid only for those who may record a payment (admins, named payers).
      const client = people.length ? await deps.clientFor(inv.teamId) : null;
      const out: Outgoing[] = [];
      for (const user of people)
        out.push(
          ...to(
            [user],
            syncedDm(info, {
              canPay: !!client && (await deps.admins.canPay(client, inv.teamId, user)),
            }),
          ),
        );
      return out;
    }
    case 'failed':
      return to(people, failedDm(info));
    case 'duplicate':
      // Found at intake, a channel file's thread card says it at once; a DM would only repeat it.
      if (change.from === 'received' && inv.source === 'channel' && inv.channelId) return [];
      return to(people, duplicateDm(info));
    case 'blocked': {
      const out = to(
        inv.blockCause === 'not_connected' ? await oncePerOutage(deps, inv.teamId, people) : people,
        blockedDm(info),
      );
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
      return !info.autoSync && change.actor !== 'system' ? to(people, waitingDm(info)) : [];
    case 'needs_input':
      // At intake the thread card says it; later (a sync that found something missing) the people are told.
      return change.from && !['received', 'needs_input'].includes(change.from) ? to(people, needsInputDm(info)) : [];
    default:
      return [];
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
  return (
    cause === 'not_connected' ||
    cause === 'no_purchase_account' ||
    cause === 'no_expense_account' ||
    cause.startsWith('unlinked:')
  );
}

export const noticeKey = (cause: string) => `invoice_blocked:${cause}`;

export function blockedCount(deps: SlackDeps, teamId: string, cause: string, exceptId?: number): number {
  const conds = [
    eq(invoicesTable.teamId, teamId),
    eq(invoicesTable.status, 'blocked'),
    eq(invoicesTable.blockCause, cause),
  ];
  if (exceptId != null) conds.push(ne(invoicesTable.id, exceptId));
  return deps.engine.db
    .select({ id: invoicesTable.id })
    .from(invoicesTable)
    .where(and(...conds))
    .all().length;
}

/** The admins' fix-it DM, once per cause: again only after every invoice waiting on the previous one moved on. */
async function noticeAdmins(deps: SlackDeps, inv: Invoice): Promise<Outgoing[]> {
  const cause = inv.blockCause!;
  if (!isWorkspaceCause(cause)) return [];
  const { engine } = deps;
  if (cause === 'not_connected' && engine.connections.get(inv.teamId)?.status === 'needs_reconnect') return []; // the reconnect notice (connection-notices) covers a broken connection
  const key = noticeKey(cause);
  if (blockedCount(deps, inv.teamId, cause, inv.id) === 0) resolveNotice(deps.engine.db, inv.teamId, key);
  if (!claimNotice(deps.engine.db, inv.teamId, key)) return [];
  const profileId = cause.startsWith('unlinked:') ? Number(cause.split(':')[2]) : null;
  const profile = profileId != null ? getProfile(engine.db, inv.teamId, profileId) : null;
  const blocker = engine.sync.checkLocalPreconditions(inv);
  const [reason, fix] =
    blocker && blocker.cause === cause ? [blocker.reason, blocker.fix] : splitReason(inv.statusReason);
  const msg = adminNotice({
    cause,
    reason,
    fix,
    waiting: blockedCount(deps, inv.teamId, cause),
    fixKind: fixKindFor(cause, profile ? { id: profile.id, kind: profile.kind, name: profile.name } : null),
  });
  const client = await deps.clientFor(inv.teamId);
  const admins = await deps.admins.list(client, inv.teamId);
  return to(admins, msg, 'a');
}

function splitReason(s: string | null): [string, string] {
  const text = s ?? 'An invoice is blocked';
  const i = text.indexOf('. ');
  return i > 0 ? [text.slice(0, i), text.slice(i + 2)] : [text, ''];
}
