import { setImmediate as nextTurn } from 'node:timers/promises';
import { teamIdOf } from '../payload.ts';
import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackDeps } from '../../deps.ts';
import { downloadSlackFile, fileInfo, tooLargeMessage } from '../../files.ts';
import { dm, refreshCard } from '../../notify.ts';
import { ownCompanyNames } from '../../own-names.ts';
import { PDF_CARD_DELAY_MS, ReadingCard, readingKind } from '../../reading.ts';
import type { ReadingState } from '../../views/invoice-common.ts';
import { esc } from '../../views/common.ts';
import { findBySlackFile, intakeInvoice, readLeftUnread, type IntakeFile, type IntakeResult } from '../../../invoices/intake.ts';
import { intakeJobKey } from '../../../invoices/recovery-leases.ts';
import { offerAutoBook } from '../actions/undo-auto-book.ts';

/**
 * Intake from channels: `file_shared` and `message` (subtype `file_share`) both announce one upload, and Slack
 * retries deliveries. Bolt acks events before listeners run; the work (files.info, download, extraction) follows.
 * One invoice per Slack file: a durable intake job per file (recorded before the download, so a crash loses nothing),
 * an in-process guard, and the core's unique file id. When Slack cannot hand the file over (an outage: files.info or
 * the download throws), the job retries with backoff, and if Slack never answers the person is told in the file's
 * thread (or by DM).
 */

export const RETRY_INTAKE = 'slack.intake';

const inflight = new Map<string, { ts: string | null }>();
const running = new Set<Promise<unknown>>();

/** Resolves when no file intake is under way (graceful shutdown waits for it before closing the database). */
export async function intakeIdle(): Promise<void> {
  while (running.size) await Promise.allSettled([...running]);
}

export interface SlackFileIntake {
  teamId: string;
  fileId: string;
  source: 'channel' | 'upload';
  channelId?: string | null;
  userId?: string | null;
  /** The ts of the message that shared it (the thread to answer in). */
  messageTs?: string | null;
  /** The file's name when the event carried it (for messages when Slack won't describe the file). */
  fileName?: string | null;
  botToken?: string;
  /** Told what the reader is doing (throttled), for a modal that waits on it; channel files get their thread card. */
  onReading?: (state: ReadingState) => unknown;
}

/** Intake that threw before anything was stored; `threadTs` is the share's ts when any delivery knew it. */
export class SlackIntakeFailed extends Error {
  constructor(
    readonly threadTs: string | null,
    options: { cause: unknown },
  ) {
    super(`slack file intake failed: ${options.cause instanceof Error ? options.cause.message : String(options.cause)}`, options);
    this.name = 'SlackIntakeFailed';
  }
}

/** files.info → safe download → intake. Null when another delivery of the same file is already doing it. */
export function intakeSlackFile(deps: SlackDeps, client: WebClient, p: SlackFileIntake): Promise<IntakeResult | null> {
  const work = intakeSlackFileNow(deps, client, p);
  running.add(work);
  return work.finally(() => running.delete(work));
}

async function intakeSlackFileNow(deps: SlackDeps, client: WebClient, p: SlackFileIntake): Promise<IntakeResult | null> {
  const { engine, config, log } = deps;
  const existing = await findBySlackFile(engine.invoices, p.teamId, p.fileId);
  if (existing?.status === 'received') {
    // This intake job was taken over from an instance that died while it read the file: read it here.
    const intake = {
      profiles: engine.store.profiles,
      invoices: engine.invoices,
      files: engine.files,
      lists: engine.lists,
      log,
      extractor: engine.extractor,
    };
    await readLeftUnread(intake, existing.id, {
      maxBytes: config.slack.maxFileBytes,
      timeoutMs: config.intake.readTimeoutMs,
      maxAttempts: config.intake.readMaxAttempts,
    });
  }
  if (existing) return { invoice: (await engine.invoices.byId(existing.id)) ?? existing, created: false, extraction: null, sameFileAs: null };
  const key = `${p.teamId}:${p.fileId}`;
  const running = inflight.get(key);
  if (running) {
    running.ts ??= p.messageTs ?? null;
    return null;
  }
  const entry = { ts: p.messageTs ?? null };
  inflight.set(key, entry);
  try {
    const info = await fileInfo(client, p.fileId);
    const max = config.slack.maxFileBytes;
    const file = await downloadIntakeFile(deps, client, p, info);
    const channelId = p.channelId ?? null;
    const kind = readingKind({ mimeType: info.mimetype, filetype: info.filetype, fileName: info.name });
    let reading: ReadingCard | null = null;
    const ownNames = await ownCompanyNames(deps, client, p.teamId);
    const res = await intakeInvoice(
      { profiles: engine.store.profiles, invoices: engine.invoices, files: engine.files, lists: engine.lists, log, extractor: engine.extractor },
      {
        teamId: p.teamId,
        source: p.source,
        fileName: info.name,
        mimeType: info.mimetype,
        slackFileId: p.fileId,
        channelId,
        messageTs: entry.ts ?? (channelId ? info.shareTs(channelId) : null),
        uploadedBy: p.userId ?? info.user,
      },
      file,
      {
        maxBytes: max,
        timeoutMs: config.intake.readTimeoutMs,
        maxAttempts: config.intake.readMaxAttempts,
        ownCompanyNames: ownNames,
        onStored: (inv) => {
          const show = p.onReading ?? (inv.source === 'channel' ? (state: ReadingState) => refreshCard(deps, inv.id, { reading: state }) : null);
          if (!show) return;
          reading = new ReadingCard(show, kind, { firstDelayMs: kind === 'file' ? PDF_CARD_DELAY_MS : 0 });
          reading.start();
        },
        onProgress: (pr) => reading?.progress(pr),
      },
    ).finally(() => reading?.finish());
    await offerAutoBook(deps, res);
    return res;
  } catch (err) {
    throw new SlackIntakeFailed(entry.ts, { cause: err });
  } finally {
    inflight.delete(key);
  }
}

/** The shared file's bytes (size-checked, downloaded with the bot token from an allowed host), or why there are none. */
async function downloadIntakeFile(
  deps: SlackDeps,
  client: WebClient,
  p: SlackFileIntake,
  info: Awaited<ReturnType<typeof fileInfo>>,
): Promise<IntakeFile> {
  const { config, log } = deps;
  const max = config.slack.maxFileBytes;
  let file: IntakeFile;
  if (info.size > max) {
    file = { ok: false, code: 'too_large', message: tooLargeMessage(info.size, max) };
  } else if (!info.urlPrivateDownload) {
    file = { ok: false, code: 'no_url', message: 'Slack gave me no way to download this file. Share it again, or enter the details by hand.' };
  } else {
    const token = p.botToken ?? client.token ?? config.slack.botToken;
    if (!token) throw new Error('no bot token to download with');
    const dl = await downloadSlackFile(info.urlPrivateDownload, {
      botToken: token,
      allowedHosts: config.slack.fileHosts,
      maxBytes: max,
      timeoutMs: config.intake.downloadTimeoutMs,
    });
    file = dl.ok ? { ok: true, bytes: dl.bytes } : { ok: false, code: dl.reason, message: dl.message };
    if (!dl.ok) log.warn('slack file download refused', { teamId: p.teamId, fileId: p.fileId, reason: dl.reason });
  }
  return file;
}

export function register(app: App, deps: SlackDeps) {
  deps.engine.worker.register(RETRY_INTAKE, async (payload, ctx) => {
    const p = fromPayload(payload);
    await attemptIntake(deps, await deps.clientFor(p.teamId), p, ctx.final);
  });

  app.event('file_shared', async ({ event, body, client, context }) => {
    if (!event.file_id || !event.channel_id) return;
    if (context.botUserId && event.user_id === context.botUserId) return;
    await run(deps, client, {
      teamId: teamIdOf(body, context)!,
      fileId: event.file_id,
      source: 'channel',
      channelId: event.channel_id,
      userId: event.user_id,
      botToken: context.botToken,
    });
  });

  app.event('message', async ({ event, body, client, context }) => {
    if (event.subtype !== 'file_share' || !Array.isArray(event.files) || !event.channel) return;
    // A bot's share (the file_share subtype's type has no bot_id, but Slack sends one for bots).
    if ((event as { bot_id?: string }).bot_id || (context.botUserId && event.user === context.botUserId)) return;
    const e = event;
    // Several photos in one message are read side by side (the reader's pool bounds how many at once).
    const files = e.files!.filter((f) => f?.id);
    await Promise.all(
      files.map((f) =>
        run(deps, client, {
          teamId: teamIdOf(body, context)!,
          fileId: f.id,
          source: 'channel',
          channelId: e.channel,
          userId: e.user,
          messageTs: e.thread_ts ?? e.ts,
          fileName: typeof f.name === 'string' ? f.name : null,
          botToken: context.botToken,
        }),
      ),
    );
  });
}

/**
 * One delivery of a shared file. The file (team, channel, file id, user, thread) is recorded as a durable intake job
 * before anything is downloaded, and this delivery runs its first attempt: if the process dies mid-download, the
 * next start takes the job back and finishes it; if Slack will not hand the file over, the job retries with backoff.
 * The job's key makes the two events of one upload (and Slack's redeliveries) one intake; a later delivery adds
 * what it knew (the thread) to the job. Intake jobs hold no workspace slot: those are for QuickBooks calls.
 */
async function run(deps: SlackDeps, client: WebClient, p: SlackFileIntake) {
  // Bolt has acked the event already; requests that arrived meanwhile get a turn before this delivery's work starts.
  await nextTurn();
  if (await findBySlackFile(deps.engine.invoices, p.teamId, p.fileId)) return;
  const key = `${p.teamId}:${p.fileId}`;
  const dedupeKey = intakeJobKey(p.teamId, p.fileId);
  const payload = {
    teamId: p.teamId,
    fileId: p.fileId,
    source: p.source,
    channelId: p.channelId ?? null,
    userId: p.userId ?? null,
    messageTs: p.messageTs ?? null,
    fileName: p.fileName ?? null,
  };
  const ran = await deps.engine.worker.runNow(RETRY_INTAKE, payload, { dedupeKey }, (stored, ctx) =>
    attemptIntake(deps, client, { ...fromPayload(stored), botToken: p.botToken }, ctx.final),
  );
  if (ran) return;
  // Another delivery (or a queued retry) has this file: hand it the thread and the name this one knew.
  const running = inflight.get(key);
  if (running) running.ts ??= p.messageTs ?? null;
  await deps.engine.worker.amendPayload(dedupeKey, { messageTs: p.messageTs ?? null, fileName: p.fileName ?? null });
}

function fromPayload(payload: Record<string, unknown>): SlackFileIntake {
  const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
  return {
    teamId: String(payload.teamId),
    fileId: String(payload.fileId),
    source: payload.source === 'upload' ? 'upload' : 'channel',
    channelId: str(payload.channelId),
    userId: str(payload.userId),
    messageTs: str(payload.messageTs),
    fileName: str(payload.fileName),
  };
}

/** One attempt at a channel file's intake; on the last one the person hears that the file was not taken. */
async function attemptIntake(deps: SlackDeps, client: WebClient, p: SlackFileIntake, final: boolean): Promise<void> {
  const { invoices } = deps.engine;
  if (await findBySlackFile(invoices, p.teamId, p.fileId)) return;
  try {
    const res = await intakeSlackFile(deps, client, p);
    if (res === null && !(await findBySlackFile(invoices, p.teamId, p.fileId)))
      throw new Error('another delivery of this file is still being fetched');
  } catch (err) {
    if (await findBySlackFile(invoices, p.teamId, p.fileId)) return;
    deps.log.warn('invoice intake failed', { teamId: p.teamId, fileId: p.fileId, final, error: err });
    if (final) {
      const threadTs = (err instanceof SlackIntakeFailed ? err.threadTs : null) ?? p.messageTs ?? null;
      await tellNotFetched(deps, p, threadTs);
    }
    throw err;
  }
}

export function notFetchedText(fileName: string | null): string {
  const name = fileName ? `*${esc(fileName)}*` : 'this file';
  return `:warning: I couldn't fetch ${name} from Slack — share it again, or use \`/qbo upload\`.`;
}

/** In the file's thread when we know it; otherwise (or if Slack refuses that) a DM to the person who shared it. */
async function tellNotFetched(deps: SlackDeps, p: SlackFileIntake, threadTs: string | null) {
  const text = notFetchedText(p.fileName ?? null);
  if (p.channelId && threadTs) {
    try {
      const client = await deps.clientFor(p.teamId);
      await client.chat.postMessage({ channel: p.channelId, thread_ts: threadTs, text });
      return;
    } catch (err) {
      deps.log.warn('could not post the not-fetched note in the thread', { teamId: p.teamId, fileId: p.fileId, error: err });
    }
  }
  if (p.userId) await dm(deps, p.teamId, [p.userId], { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
}
