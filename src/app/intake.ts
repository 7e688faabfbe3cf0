import type { AutoBook } from '../invoices/auto-book.ts';
import {
  intakeInvoice,
  readUnread,
  type IntakeDeps,
  type IntakeFile,
  type IntakeResult,
  type ReadOptions,
  type ReadProgress,
} from '../invoices/intake.ts';
import { intakeJobKey } from '../invoices/recovery-leases.ts';
import type { Invoice } from '../invoices/service.ts';
import type { Worker } from '../invoices/worker.ts';
import type { Logger } from '../log.ts';

/**
 * Intake of a shared file, as a use case. Slack announces one upload twice (`file_shared`, and a `message` of
 * subtype `file_share` that knows the thread) and retries deliveries; the upload modal hands over a file too.
 * The steps, in order:
 *   1. deliver(): one delivery of a channel share is recorded as a durable intake job (one per file: the job's
 *      dedupe key) before anything is downloaded, and this delivery runs its first attempt. A crash mid-download
 *      leaves the job to the next start; a later delivery only adds what it knew (the thread) to the job.
 *   2. fetch: what Slack says about the file, then its bytes (the port: files.info, the download with the bot token).
 *   3. read: the invoice stored (file and hash kept whatever happens) and read into fields, the thread card saying
 *      "Reading…" meanwhile (src/invoices/intake.ts does the storing and reading).
 *   4. offer auto-book: a freshly read invoice a pinned vendor rule can book gets its booking scheduled.
 * An attempt that fails (Slack cannot hand the file over) is retried by the job with backoff; the last one tells the
 * person, in the file's thread or by DM. The invoice is looked up once per delivery (and once per queued retry),
 * and what was found is passed along, never read again for the same decision.
 * Everything Slack-specific comes in through IntakePort, which src/slack/intake.ts implements.
 */

/** The durable intake job's kind. Stored in `jobs` rows, so it keeps the name it had when this lived in slack/. */
export const INTAKE_JOB = 'slack.intake';

/** One file handed over: where it was shared and by whom, as far as this delivery knows. */
export interface FileShare {
  teamId: string;
  fileId: string;
  source: 'channel' | 'upload';
  channelId?: string | null;
  userId?: string | null;
  /** The ts of the message that shared it (the thread to answer in): the `message` event knows it, `file_shared` not. */
  messageTs?: string | null;
  /** The file's name when the delivery carried it (for the note when Slack will not describe the file). */
  fileName?: string | null;
}

/** What Slack says about a shared file (files.info), as plain data. */
export interface SharedFile {
  name: string;
  mimeType: string;
  filetype: string;
  size: number;
  /** Who uploaded it, per Slack. */
  user: string | null;
  downloadUrl: string | null;
  /** The ts of the message that shared it in the share's channel, when Slack says. */
  shareTs: string | null;
}

/** Progress shown while a stored file is read (a thread card, or the upload modal), throttled by whoever shows it. */
export interface ReadingDisplay {
  progress(p: ReadProgress): void;
  finish(): void;
}

/** The Slack side of intake, for one workspace (bound to its bot token). */
export interface IntakePort {
  /** files.info. Throws when Slack cannot say (an outage): the attempt is retried. */
  describe(share: FileShare): Promise<SharedFile>;
  /** The bytes, or why there are none in plain words (too large, a sign-in page…). Throws on an outage. */
  download(share: FileShare, file: SharedFile): Promise<IntakeFile>;
  /** The workspace's own company names (the buyer on the invoice, never its vendor). */
  ownCompanyNames(teamId: string): Promise<string[]>;
  /** Starts showing that a just-stored invoice is being read; null when nobody is shown (an upload with no modal). */
  showReading(invoice: Invoice, file: SharedFile): ReadingDisplay | null;
  /** The invoice's card shows something new (a scheduled auto-booking). */
  cardChanged(invoiceId: number): Promise<void>;
  /** The last attempt failed: the person hears the file was not taken (`threadTs`: the thread, when known). */
  tellNotFetched(share: FileShare, threadTs: string | null): Promise<void>;
}

export interface FileIntakeDeps {
  intake: IntakeDeps;
  worker: Pick<Worker, 'register' | 'runNow' | 'amendPayload'>;
  autoBook: Pick<AutoBook, 'consider'>;
  /** The reading limits (config.intake, the file size limit). */
  read: ReadOptions;
  log: Logger;
  /** The port for an attempt outside any delivery (a queued retry, a job taken over from a dead instance). */
  portFor(teamId: string): Promise<IntakePort>;
}

/** What one attempt found before it started: the invoice of this Slack file, or null when there is none yet. */
interface Known {
  found: Invoice | null;
}

/** A fetch in this process; later deliveries of the same file leave the thread they knew here. */
interface Fetching {
  ts: string | null;
}

/** An intake that threw before it finished; `threadTs` is the share's ts when any delivery knew it. */
export class IntakeFailed extends Error {
  constructor(
    readonly threadTs: string | null,
    options: { cause: unknown },
  ) {
    super(`file intake failed: ${options.cause instanceof Error ? options.cause.message : String(options.cause)}`, options);
    this.name = 'IntakeFailed';
  }
}

export class FileIntake {
  /**
   * Files being fetched or read in this process (team:file). The durable job's dedupe key is the guard across
   * instances and across Slack's deliveries; this map keeps what the job cannot do:
   *  - the `message` event usually arrives while the `file_shared` delivery is downloading: the thread it knew
   *    reaches the running attempt here (the job's payload is amended too, but only a later attempt reads it), and
   *    it needs no look-up of its own nor a try at the job;
   *  - the upload modal has no job: a second submit of the same file must not download and read it twice (nor
   *    take the just-stored, still `received` invoice for one a crash left unread).
   */
  private readonly fetching = new Map<string, Fetching>();
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly deps: FileIntakeDeps) {
    deps.worker.register(INTAKE_JOB, async (payload, ctx) => {
      const share = shareOf(payload);
      await this.attempt(await deps.portFor(share.teamId), share, ctx.final);
    });
  }

  /** Resolves when no intake is under way here (graceful shutdown waits for it before closing the database). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /** Step 1: one delivery of a channel share. Its job records the file, and runs here unless another delivery has it. */
  async deliver(port: IntakePort, share: FileShare): Promise<void> {
    const dedupeKey = intakeJobKey(share.teamId, share.fileId);
    // The other event of the upload, while its job's attempt fetches the file here: nothing to look up.
    if (!this.fetching.has(fileKey(share))) {
      const found = await this.deps.intake.invoices.bySlackFile(share.teamId, share.fileId);
      if (found) return; // an earlier delivery took the file
      const ran = await this.deps.worker.runNow(INTAKE_JOB, payloadOf(share), { dedupeKey }, (stored, ctx) =>
        this.firstAttempt(port, shareOf(stored), share, ctx.final),
      );
      if (ran) return;
    }
    // Another delivery (or a queued retry) has this file: hand it the thread and the name this one knew.
    const other = this.fetching.get(fileKey(share));
    if (other) other.ts ??= share.messageTs ?? null;
    await this.deps.worker.amendPayload(dedupeKey, { messageTs: share.messageTs ?? null, fileName: share.fileName ?? null });
  }

  /**
   * The attempt a delivery runs: of the job it just recorded, or of a queued retry it took over (whose payload may
   * not know the thread this delivery knows: the later retries are told too). This delivery's look-up, just now, is
   * the attempt's.
   */
  private async firstAttempt(port: IntakePort, stored: FileShare, delivery: FileShare, final: boolean): Promise<void> {
    const share = withKnown(stored, delivery);
    if (share.messageTs !== stored.messageTs || share.fileName !== stored.fileName)
      await this.deps.worker.amendPayload(intakeJobKey(share.teamId, share.fileId), { messageTs: share.messageTs, fileName: share.fileName });
    await this.attempt(port, share, final, { found: null });
  }

  /** One attempt of the intake job; on the last one the person hears that the file was not taken. */
  private async attempt(port: IntakePort, share: FileShare, final: boolean, known?: Known): Promise<void> {
    try {
      const res = await this.intake(port, share, known);
      if (res === null) throw new Error('another delivery of this file is still being fetched');
    } catch (err) {
      // Stored after all (by this attempt before it failed, or by another instance): nothing to retry or tell.
      if (await this.deps.intake.invoices.bySlackFile(share.teamId, share.fileId)) return;
      this.deps.log.warn('invoice intake failed', { teamId: share.teamId, fileId: share.fileId, final, error: err });
      if (final) await port.tellNotFetched(share, (err instanceof IntakeFailed ? err.threadTs : null) ?? share.messageTs ?? null);
      throw err;
    }
  }

  /**
   * Steps 2–4 for one file: fetch → read → auto-book. Null when another call in this process is doing it (it learns
   * this one's thread). An invoice a dead instance left `received` is read here. The upload modal calls this directly.
   */
  intake(port: IntakePort, share: FileShare, known?: Known): Promise<IntakeResult | null> {
    const work = this.intakeNow(port, share, known);
    this.running.add(work);
    return work.finally(() => this.running.delete(work));
  }

  private async intakeNow(port: IntakePort, share: FileShare, known?: Known): Promise<IntakeResult | null> {
    const key = fileKey(share);
    const other = this.fetching.get(key);
    if (other) {
      other.ts ??= share.messageTs ?? null;
      return null;
    }
    const entry: Fetching = { ts: share.messageTs ?? null };
    this.fetching.set(key, entry);
    try {
      const found = known ? known.found : await this.deps.intake.invoices.bySlackFile(share.teamId, share.fileId);
      if (found) return { invoice: await readUnread(this.deps.intake, found, this.deps.read), created: false, extraction: null };
      const file = await port.describe(share);
      const bytes = await port.download(share, file);
      const res = await this.read(port, share, entry, file, bytes);
      await this.offerAutoBook(port, res);
      return res;
    } catch (err) {
      throw new IntakeFailed(entry.ts, { cause: err });
    } finally {
      this.fetching.delete(key);
    }
  }

  /** Step 3: the invoice stored and its file read, the reading shown meanwhile. */
  private async read(port: IntakePort, share: FileShare, entry: Fetching, file: SharedFile, bytes: IntakeFile): Promise<IntakeResult> {
    const ownCompanyNames = await port.ownCompanyNames(share.teamId);
    const shown: { display: ReadingDisplay | null } = { display: null };
    const meta = {
      teamId: share.teamId,
      source: share.source,
      fileName: file.name,
      mimeType: file.mimeType,
      slackFileId: share.fileId,
      channelId: share.channelId ?? null,
      // As late as possible: a `message` delivered during the download has left its thread in `entry`.
      messageTs: entry.ts ?? file.shareTs,
      uploadedBy: share.userId ?? file.user,
    };
    try {
      return await intakeInvoice(this.deps.intake, meta, bytes, {
        ...this.deps.read,
        ownCompanyNames,
        onStored: (inv) => {
          shown.display = port.showReading(inv, file);
        },
        onProgress: (p) => shown.display?.progress(p),
      });
    } finally {
      shown.display?.finish();
    }
  }

  /** Step 4: a freshly read invoice a pinned vendor rule leaves nothing to choose for gets its booking scheduled. */
  private async offerAutoBook(port: IntakePort, res: IntakeResult): Promise<void> {
    if (!res.created || res.invoice.status !== 'extracted') return;
    try {
      if (await this.deps.autoBook.consider(res.invoice)) await port.cardChanged(res.invoice.id);
    } catch (err) {
      this.deps.log.warn('auto-book not scheduled', { invoiceId: res.invoice.id, error: err });
    }
  }
}

const fileKey = (s: FileShare) => `${s.teamId}:${s.fileId}`;

function payloadOf(s: FileShare): Record<string, unknown> {
  return {
    teamId: s.teamId,
    fileId: s.fileId,
    source: s.source,
    channelId: s.channelId ?? null,
    userId: s.userId ?? null,
    messageTs: s.messageTs ?? null,
    fileName: s.fileName ?? null,
  };
}

function shareOf(payload: Record<string, unknown>): FileShare {
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

/** The job's payload, with what this delivery knew where the stored payload (a queued retry's) knew nothing. */
function withKnown(stored: FileShare, delivery: FileShare): FileShare {
  return { ...stored, messageTs: stored.messageTs ?? delivery.messageTs ?? null, fileName: stored.fileName ?? delivery.fileName ?? null };
}
