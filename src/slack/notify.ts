import { randomUUID } from 'node:crypto';
import type { Block, KnownBlock } from '@slack/types';
import { codingInfo } from './coding-info.ts';
import type { TransitionHook } from '../store/invoices.ts';
import { OutboxStore, type CardClaim, type OutboxMessage, type OutboxRow } from '../store/outbox.ts';
import type { Invoice, StatusChange } from '../invoices/service.ts';
import type { SlackDeps } from './deps.ts';
import { invoiceCard } from './views/invoice-card.ts';
import type { InvoiceInfo } from './views/invoice-common.ts';
import type { Message } from './views/invoice-dm.ts';
import { OutboxLoop, outboxIdle } from './outbox-loop.ts';
import { invoiceInfo, messagesFor } from './notify-messages.ts';
import { approvalMessages, approvalSection } from './approvals.ts';
import { approvalNoticeOf } from '../approvals/news.ts';

export {
  blockedCount,
  invoiceInfo,
  isWorkspaceCause,
  noticeKey,
  OUTAGE_NOTICE_PREFIX,
  recipients,
} from './notify-messages.ts';

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

/** Starts delivering the outbox and writes a card + notice row on every status change. Returns the stop. */
export function wireNotifications(deps: SlackDeps): () => Promise<void> {
  const n = notifier(deps);
  // Every status change goes through the async invoice store: its rows are written in the change's own
  // transaction (the hook), so the change and the news of it commit together.
  const unhook = deps.engine.store.invoices.onTransition(outboxTransitionHook());
  const wake = () => n.loop.kick(); // the hook's rows are committed: deliver them now
  deps.engine.store.invoices.events.on('status', wake);
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
    unhook();
    deps.engine.store.invoices.events.off('status', wake);
    await Promise.allSettled([...n.writing]);
    await n.loop.stop();
  };
}

/** The outbox rows a status change calls for: its card's update (channel invoices) and the notice of who to tell. */
export function rowsForChange(change: StatusChange): OutboxMessage[] {
  const inv = change.invoice;
  const rows: OutboxMessage[] = [];
  // A new invoice (received, not read yet) has no card to show: its first card comes with the read, or with the
  // reader's "Reading your photo…" (refreshCard), so its creation writes no card row to deliver as nothing.
  if (inv.source === 'channel' && inv.channelId && change.from !== null)
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

/**
 * Queues an update of the invoice's thread card (posted the first time, then updated in place). Channel invoices
 * only. A caller holding the invoice passes it (`known`): where it was shared never changes, so it is not read again.
 */
export async function refreshCard(
  deps: SlackDeps,
  invoiceId: number,
  extra: Partial<InvoiceInfo> = {},
  known?: Pick<Invoice, 'id' | 'teamId' | 'source' | 'channelId'>,
): Promise<void> {
  const inv = known?.id === invoiceId ? known : await deps.engine.invoices.byId(invoiceId);
  if (inv?.source !== 'channel' || !inv.channelId) return;
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
  const inv = await deps.engine.invoices.byId(p.invoiceId);
  if (inv?.source !== 'channel' || !inv.channelId) return;
  const ts = (await notifier(deps).store.cardTs(row.key)) ?? inv.cardTs;
  // Nothing to say until it is read, unless the reader is under way (a photo or a scan: "Reading your photo…").
  if (inv.status === 'received' && !ts && !extra.reading) return;
  if (inv.status !== 'received') extra = { ...extra, reading: null }; // a late progress tick shows the result
  const client = await deps.clientFor(inv.teamId);
  const card = invoiceCard(await cardInfo(deps, inv, extra));
  if (ts) {
    await client.chat.update({
      channel: inv.channelId,
      ts,
      text: card.text,
      blocks: card.blocks,
    });
    if (!inv.cardTs) await deps.engine.invoices.patch(inv.id, { cardTs: ts });
    return { ts };
  }
  const res = await client.chat.postMessage({
    channel: inv.channelId,
    ...(inv.messageTs ? { thread_ts: inv.messageTs } : {}),
    text: card.text,
    blocks: card.blocks,
    unfurl_links: false,
  });
  if (res.ts) await deps.engine.invoices.patch(inv.id, { cardTs: res.ts });
  return { ts: res.ts ?? null };
}

/** What the card shows: the names (invoiceInfo), the coding, the approval trail and whether the same file came before. */
async function cardInfo(deps: SlackDeps, inv: Invoice, extra: Partial<InvoiceInfo>): Promise<InvoiceInfo> {
  // Only the card says "this same file was shared before"; a booked invoice's card does not.
  const same = inv.status !== 'synced' && inv.fileSize > 0 ? await deps.engine.invoices.sameFile(inv.teamId, inv.sha256, inv.id) : null;
  return invoiceInfo(deps, inv, {
    ...(await codingInfo(deps, inv)),
    ...extra,
    approval: await approvalSection(deps, inv),
    sameFileAs: same ? { id: same.id, status: same.status } : null,
  });
}

/**
 * Start-up: channel invoices read (or further along) with no card yet get a card row, for databases from before the
 * outbox (its rows survive a crash by themselves, and an extra row of a card only re-renders it).
 */
export async function resumeCards(deps: SlackDeps): Promise<number> {
  const missing = await deps.engine.store.invoices.missingCards();
  for (const id of missing) void refreshCard(deps, id);
  if (missing.length) deps.log.info('posting cards a restart left unposted', { count: missing.length });
  return missing.length;
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

/** A notice row (a status change's, or an approval's) becomes the DMs it calls for (each once: keyed under the notice), in one transaction. */
async function expandNotice(deps: SlackDeps, row: OutboxRow): Promise<void> {
  const approval = approvalNoticeOf(row.payload);
  const out = approval ? await approvalMessages(deps, approval) : await messagesFor(deps, row.payload as unknown as Omit<StatusChange, 'reason'>);
  const rows = out.map(({ user, msg, tag }) => ({
    teamId: row.teamId,
    kind: 'dm' as const,
    key: `${row.key}:${tag}:${user}`,
    payload: { channel: user, text: msg.text, blocks: msg.blocks },
  }));
  await notifier(deps).store.expand(row, rows);
  notifier(deps).loop.kick();
}
