import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackDeps } from '../../deps.ts';
import { downloadSlackFile, fileInfo, tooLargeMessage } from '../../files.ts';
import { findBySlackFile, intakeInvoice, type IntakeFile, type IntakeResult } from '../../../invoices/intake.ts';

/**
 * Intake from channels: `file_shared` and `message` (subtype `file_share`) both announce one upload, and Slack
 * retries deliveries. Bolt acks events before listeners run; the work (files.info, download, extraction) follows.
 * One invoice per Slack file: an in-process guard for the two events racing, and the core's unique file id for the rest.
 */

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
  botToken?: string;
}

/** files.info → safe download → intake. Null when another delivery of the same file is already doing it. */
export function intakeSlackFile(deps: SlackDeps, client: WebClient, p: SlackFileIntake): Promise<IntakeResult | null> {
  const work = intakeSlackFileNow(deps, client, p);
  running.add(work);
  return work.finally(() => running.delete(work));
}

async function intakeSlackFileNow(deps: SlackDeps, client: WebClient, p: SlackFileIntake): Promise<IntakeResult | null> {
  const { engine, config, log } = deps;
  const existing = findBySlackFile(engine.db, p.teamId, p.fileId);
  if (existing) return { invoice: existing, created: false, extraction: null, sameFileAs: null };
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
    let file: IntakeFile;
    if (info.size > max) {
      file = { ok: false, code: 'too_large', message: tooLargeMessage(info.size, max) };
    } else if (!info.urlPrivateDownload) {
      file = { ok: false, code: 'no_url', message: 'Slack gave me no way to download this file. Share it again, or enter the details by hand.' };
    } else {
      const token = p.botToken ?? client.token ?? config.slack.botToken;
      if (!token) throw new Error('no bot token to download with');
      const dl = await downloadSlackFile(info.urlPrivateDownload, { botToken: token, allowedHosts: config.slack.fileHosts, maxBytes: max });
      file = dl.ok ? { ok: true, bytes: dl.bytes } : { ok: false, code: dl.reason, message: dl.message };
      if (!dl.ok) log.warn('slack file download refused', { teamId: p.teamId, fileId: p.fileId, reason: dl.reason });
    }
    const channelId = p.channelId ?? null;
    return await intakeInvoice(
      { db: engine.db, invoices: engine.invoices, lists: engine.lists, log },
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
      { maxBytes: max },
    );
  } finally {
    inflight.delete(key);
  }
}

export function register(app: App, deps: SlackDeps) {
  app.event('file_shared', async ({ event, body, client, context }) => {
    const e = event as any;
    if (!e.file_id || !e.channel_id) return;
    if (context.botUserId && e.user_id === context.botUserId) return;
    await run(deps, client, {
      teamId: (body as any).team_id ?? context.teamId,
      fileId: e.file_id,
      source: 'channel',
      channelId: e.channel_id,
      userId: e.user_id,
      botToken: context.botToken,
    });
  });

  app.event('message', async ({ event, body, client, context }) => {
    const e = event as any;
    if (e.subtype !== 'file_share' || !Array.isArray(e.files) || !e.channel) return;
    if (e.bot_id || (context.botUserId && e.user === context.botUserId)) return;
    for (const f of e.files) {
      if (!f?.id) continue;
      await run(deps, client, {
        teamId: (body as any).team_id ?? context.teamId,
        fileId: f.id,
        source: 'channel',
        channelId: e.channel,
        userId: e.user,
        messageTs: e.thread_ts ?? e.ts,
        botToken: context.botToken,
      });
    }
  });
}

async function run(deps: SlackDeps, client: WebClient, p: SlackFileIntake) {
  try {
    await intakeSlackFile(deps, client, p);
  } catch (err) {
    deps.log.error('invoice intake failed', { teamId: p.teamId, fileId: p.fileId, error: err });
    // Nothing could be stored (Slack would not describe the file): say so in the thread rather than stay silent.
    if (p.channelId && p.messageTs && !findBySlackFile(deps.engine.db, p.teamId, p.fileId)) {
      await client.chat
        .postMessage({ channel: p.channelId, thread_ts: p.messageTs, text: ':warning: I couldn’t fetch this file from Slack, so it isn’t booked. Share it again, or use `/qbo upload`.' })
        .catch(() => undefined);
    }
  }
}
