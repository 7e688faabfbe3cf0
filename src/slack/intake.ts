import type { WebClient } from '@slack/web-api';
import { FileIntake, type FileShare, type IntakePort, type SharedFile } from '../app/intake.ts';
import type { Engine } from '../engine.ts';
import { intakeDepsOf, type IntakeFile, type IntakeResult } from '../invoices/intake.ts';
import type { SlackDeps } from './deps.ts';
import { downloadSlackFile, fileInfo, tooLargeMessage } from './files.ts';
import { dm, refreshCard } from './notify.ts';
import { ownCompanyNames } from './own-names.ts';
import { PDF_CARD_DELAY_MS, ReadingCard, readingKind } from './reading.ts';
import { esc } from './views/common.ts';
import type { ReadingState } from './views/invoice-common.ts';

/**
 * Intake's Slack side: the port src/app/intake.ts works through (files.info, the download with the bot token, the
 * thread card while a file is read, the "couldn't fetch" note), and the one FileIntake of each app (its in-process
 * state and its job handler belong to the engine it runs on).
 */

/** A file to take in, with the Slack specifics of the delivery: the bot token, and a modal waiting on the reader. */
export interface SlackFileIntake extends FileShare {
  botToken?: string;
  /** Told what the reader is doing (throttled), for a modal that waits on it; channel files get their thread card. */
  onReading?: (state: ReadingState) => unknown;
}

const intakes = new WeakMap<Engine, FileIntake>();

/** The app's intake use case (made once per engine: it registers the intake job's handler). */
export function fileIntake(deps: SlackDeps): FileIntake {
  let intake = intakes.get(deps.engine);
  if (!intake) {
    const { engine, config, log } = deps;
    intake = new FileIntake({
      intake: intakeDepsOf(engine),
      worker: engine.worker,
      autoBook: engine.autoBook,
      read: { maxBytes: config.slack.maxFileBytes, timeoutMs: config.intake.readTimeoutMs, maxAttempts: config.intake.readMaxAttempts },
      log,
      portFor: async (teamId) => slackIntakePort(deps, await deps.clientFor(teamId)),
    });
    intakes.set(engine, intake);
  }
  return intake;
}

/** files.info → safe download → intake (the upload modal). Null when another call here is already taking the file. */
export function intakeSlackFile(deps: SlackDeps, client: WebClient, p: SlackFileIntake): Promise<IntakeResult | null> {
  const { botToken, onReading, ...share } = p;
  return fileIntake(deps).intake(slackIntakePort(deps, client, { botToken, onReading }), share);
}

/** Resolves when no file intake is under way (graceful shutdown waits for it before closing the database). */
export async function intakeIdle(deps: SlackDeps): Promise<void> {
  await intakes.get(deps.engine)?.idle();
}

/** The port for one workspace: `client` is the delivery's (or the workspace's) bot client. */
export function slackIntakePort(
  deps: SlackDeps,
  client: WebClient,
  o: { botToken?: string; onReading?: (state: ReadingState) => unknown } = {},
): IntakePort {
  return {
    async describe(share) {
      const info = await fileInfo(client, share.fileId);
      const { name, mimetype: mimeType, filetype, size, user, urlPrivateDownload: downloadUrl } = info;
      return { name, mimeType, filetype, size, user, downloadUrl, shareTs: share.channelId ? info.shareTs(share.channelId) : null };
    },
    download: (share, file) => downloadShared(deps, o.botToken ?? client.token, share, file),
    ownCompanyNames: (teamId) => ownCompanyNames(deps, client, teamId),
    showReading(inv, file) {
      const show = o.onReading ?? (inv.source === 'channel' ? (state: ReadingState) => refreshCard(deps, inv.id, { reading: state }, inv) : null);
      if (!show) return null;
      const kind = readingKind({ mimeType: file.mimeType, filetype: file.filetype, fileName: file.name });
      const card = new ReadingCard(show, kind, { firstDelayMs: kind === 'file' ? PDF_CARD_DELAY_MS : 0 });
      card.start();
      return card;
    },
    cardChanged: (invoiceId) => refreshCard(deps, invoiceId),
    tellNotFetched: (share, threadTs) => tellNotFetched(deps, share, threadTs),
  };
}

/** The shared file's bytes (size-checked, downloaded with the bot token from an allowed host), or why there are none. */
async function downloadShared(deps: SlackDeps, botToken: string | undefined, share: FileShare, file: SharedFile): Promise<IntakeFile> {
  const { config, log } = deps;
  const max = config.slack.maxFileBytes;
  if (file.size > max) return { ok: false, code: 'too_large', message: tooLargeMessage(file.size, max) };
  if (!file.downloadUrl)
    return { ok: false, code: 'no_url', message: 'Slack gave me no way to download this file. Share it again, or enter the details by hand.' };
  const token = botToken ?? config.slack.botToken;
  if (!token) throw new Error('no bot token to download with');
  const dl = await downloadSlackFile(file.downloadUrl, {
    botToken: token,
    allowedHosts: config.slack.fileHosts,
    maxBytes: max,
    timeoutMs: config.intake.downloadTimeoutMs,
  });
  if (dl.ok) return { ok: true, bytes: dl.bytes };
  log.warn('slack file download refused', { teamId: share.teamId, fileId: share.fileId, reason: dl.reason });
  return { ok: false, code: dl.reason, message: dl.message };
}

export function notFetchedText(fileName: string | null): string {
  const name = fileName ? `*${esc(fileName)}*` : 'this file';
  return `:warning: I couldn't fetch ${name} from Slack — share it again, or use \`/qbo upload\`.`;
}

/** In the file's thread when we know it; otherwise (or if Slack refuses that) a DM to the person who shared it. */
async function tellNotFetched(deps: SlackDeps, share: FileShare, threadTs: string | null): Promise<void> {
  const text = notFetchedText(share.fileName ?? null);
  if (share.channelId && threadTs) {
    try {
      const client = await deps.clientFor(share.teamId);
      await client.chat.postMessage({ channel: share.channelId, thread_ts: threadTs, text });
      return;
    } catch (err) {
      deps.log.warn('could not post the not-fetched note in the thread', { teamId: share.teamId, fileId: share.fileId, error: err });
    }
  }
  if (share.userId) await dm(deps, share.teamId, [share.userId], { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
}
