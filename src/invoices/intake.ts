import type { Engine } from '../engine.ts';
import type { InvoiceFileStore } from '../store/invoice-files.ts';
import type { Logger } from '../log.ts';
import type { QboLists } from '../qbo/lists.ts';
import type { ProfileStore } from '../store/profiles.ts';
import type { Extraction, Unreadable } from './extract/index.ts';
import type { ExtractPool } from './extract/pool.ts';
import type { Invoice, Invoices, NewInvoice } from './service.ts';
import { bookedTotal } from './coding.ts';
import { matchVendorAny, toCents, vendorCandidateWords } from './vendor-match.ts';

export { matchVendor, matchVendorAny, normalizeName, toCents, vendorCandidateWords } from './vendor-match.ts';

/**
 * Intake, Slack-free: a file (bytes + where it came from) → a stored invoice (file and sha256 kept whatever happens)
 * with its fields read and prefilled → `extracted`, or `needs_input` with the reason in plain words. Idempotent per
 * Slack file id: Slack sends two events per upload and retries them; only the first call does the work.
 */

export interface IntakeDeps {
  profiles: Pick<ProfileStore, 'channelProject'>;
  invoices: Invoices;
  files: InvoiceFileStore;
  lists: QboLists;
  log: Logger;
  /** The engine's worker-thread reader; without one (unit tests) files are read in-process. */
  extractor?: Pick<ExtractPool, 'read'>;
}

/** The core's intake deps, from the engine. */
export function intakeDepsOf(engine: Pick<Engine, 'store' | 'invoices' | 'files' | 'lists' | 'log' | 'extractor'>): IntakeDeps {
  const { store, invoices, files, lists, log, extractor } = engine;
  return { profiles: store.profiles, invoices, files, lists, log, extractor };
}

/** Where a file came from: everything the stored invoice records, but the bytes (which may not have arrived). */
export type IntakeMeta = Omit<NewInvoice, 'bytes'>;

/** What the transport got: the bytes, or why there are none (too large, sign-in page, …) in plain words. */
export type IntakeFile = { ok: true; bytes: Buffer } | { ok: false; code: string; message: string };

/** How far the reader is through a file (OCR reads a page at a time): `page` pages of `pages` are done. */
export interface ReadProgress {
  page: number;
  pages: number;
}

/** Limits on reading one stored file (from config.intake), and what the reader is told and tells back. */
export interface ReadOptions {
  maxBytes?: number;
  /** Total time one read may take before the app gives up on it. */
  timeoutMs?: number;
  /** Reads started across restarts before a file is set aside as unsafe. */
  maxAttempts?: number;
  /** Called as the reader moves through the pages (OCR); may be called often: the caller throttles. */
  onProgress?: (p: ReadProgress) => void;
  /** The workspace's own company names (Slack team, QBO company): the buyer, never a vendor candidate. */
  ownCompanyNames?: string[];
}

export interface IntakeOptions extends ReadOptions {
  /** Called once the invoice is stored, before its file is read (a thread card can say "Reading…" at once). */
  onStored?: (invoice: Invoice) => void | Promise<void>;
}

/** The stored OCR text is capped: it helps the next reader, but a 30-page scan must not bloat the row. */
export const MAX_STORED_OCR_CHARS = 100_000;
/** Lines read from a file kept with the invoice (the review modal groups past 20 anyway). */
export const MAX_STORED_LINES = 500;

/** A reading given up by the app: over its time budget, unsafe (the extractor's verdict), or it crashed the process. */
export interface GivenUp {
  ok: false;
  reason: 'too_long' | 'unsafe';
  message: string;
}

/** Reasons that mean the file itself is hostile or too costly: the person hears it plainly, nothing retries it. */
const UNSAFE_REASONS = new Set(['unsafe', 'too_long']);
export const UNSAFE_MESSAGE = 'This file could not be read safely, so I stopped reading it.';

/** The stored invoice; `created` when this call stored it (false: an earlier delivery of the same Slack file had). */
export interface IntakeResult {
  invoice: Invoice;
  created: boolean;
  extraction: Extraction | Unreadable | GivenUp | null;
}

/**
 * A file that is already in QuickBooks says so at once: the invoice goes straight to `duplicate`, linked to the
 * booked one, with the fields `read` from it (or, for the same bytes, the booked invoice's); an admin may still book it again.
 */
async function markBooked(deps: IntakeDeps, inv: Invoice, of: Invoice, read: Partial<Invoice> | null): Promise<Invoice> {
  // The same bytes need no reading: their fields are the booked invoice's.
  const copied: Partial<Invoice> = read ?? {
    extracted: of.extracted,
    vendorId: of.vendorId,
    vendorName: of.vendorName,
    amountCents: of.amountCents,
    currency: of.currency,
    invoiceNumber: of.invoiceNumber,
    invoiceDate: of.invoiceDate,
    dueDate: of.dueDate,
  };
  const moved = await deps.invoices.transition(inv.id, 'duplicate', {
    actor: 'system',
    reason: 'already_booked',
    patch: {
      ...copied,
      duplicateOfId: of.id,
      qboUrl: of.qboUrl ?? null,
      reason: {
        code: 'already_booked',
        params: {
          sameFile: of.sha256 === inv.sha256,
          invoiceNumber: read?.invoiceNumber ?? inv.invoiceNumber,
          txnType: of.txnType ?? null,
          docNumber: of.qboDocNumber ?? null,
          atIntake: true,
        },
      },
    },
  });
  return moved.invoice;
}

export async function intakeInvoice(deps: IntakeDeps, meta: IntakeMeta, file: IntakeFile, opts: IntakeOptions = {}): Promise<IntakeResult> {
  const { invoices, profiles } = deps;
  const bytes = file.ok ? file.bytes : Buffer.alloc(0);
  const { invoice, created } = await invoices.create({ ...meta, bytes });
  if (!created) return { invoice, created, extraction: null };

  if (!file.ok) {
    const project = meta.channelId ? await profiles.channelProject(meta.teamId, meta.channelId) : null;
    const base: Partial<Invoice> = { projectProfileId: project?.id ?? null };
    // No bytes to keep: give the record a hash of its own so it can never look like another file.
    await invoices.patch(invoice.id, { sha256: `none:${invoice.id}:${meta.slackFileId ?? ''}` });
    const moved = await invoices.transition(invoice.id, 'needs_input', {
      actor: 'system',
      reason: file.message,
      patch: { ...base, extractionError: file.code },
    });
    return { invoice: moved.invoice, created, extraction: null };
  }

  const booked = await invoices.bookedSameFile(meta.teamId, invoice.sha256, invoice.id);
  if (booked) {
    const project = meta.channelId ? await profiles.channelProject(meta.teamId, meta.channelId) : null;
    if (project) await invoices.patch(invoice.id, { projectProfileId: project.id });
    return { invoice: await markBooked(deps, invoice, booked, null), created, extraction: null };
  }
  const { onStored, ...readOpts } = opts;
  if (onStored) {
    try {
      await onStored(invoice);
    } catch (err) {
      deps.log.warn('intake onStored hook failed', { invoiceId: invoice.id, error: err });
    }
  }
  // No booked invoice has these bytes (just checked): the read's duplicate check needs only the vendor + number.
  const extraction = await readInto(deps, invoice, bytes, readOpts, { sameFileChecked: true });
  return { ...extraction, created };
}

/** Reads of this stored file started so far (kept in `extracted` until the fields replace it). */
export function readAttempts(invoice: Invoice): number {
  const n = (invoice.extracted as { readAttempts?: unknown } | null)?.readAttempts;
  return typeof n === 'number' ? n : 0;
}

/**
 * The extractor's answer, or `too_long` when it has not answered within the time budget (counted from when a
 * reading worker starts on the file: waiting behind other files is not this file's fault).
 */
async function extractWithin(deps: IntakeDeps, bytes: Buffer, opts: ReadOptions): Promise<Extraction | Unreadable | GivenUp> {
  let timer: NodeJS.Timeout | undefined;
  const stop = new AbortController();
  let startClock = () => {};
  const late = new Promise<GivenUp>((resolve) => {
    startClock = () => {
      timer ??= setTimeout(() => {
        stop.abort();
        resolve({ ok: false, reason: 'too_long', message: UNSAFE_MESSAGE });
      }, opts.timeoutMs ?? 90_000);
    };
  });
  const o = { maxBytes: opts.maxBytes, onProgress: opts.onProgress, ownCompanyNames: opts.ownCompanyNames };
  try {
    const read = deps.extractor
      ? deps.extractor.read(bytes, { ...o, signal: stop.signal, onStart: startClock })
      : import('./extract/index.ts').then((m) => m.extractInvoice(bytes, o)); // no pool: read here (tests, scripts)
    if (!deps.extractor) startClock();
    return await Promise.race([read, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads a stored invoice's file and moves it from `received` to `extracted` (fields prefilled) or `needs_input`.
 * Used at intake, and at start-up for invoices a crash left in `received`. The read is counted durably before it
 * starts, so a file whose reading kills the process is not read again and again (see resumeReceived).
 * `sameFileChecked`: the caller has just looked for a booked invoice with these bytes (intake), so the duplicate
 * check after the read looks only for the same vendor + number.
 */
export async function readInto(
  deps: IntakeDeps,
  invoice: Invoice,
  bytes: Buffer,
  opts: ReadOptions = {},
  checked: { sameFileChecked?: boolean } = {},
): Promise<{ invoice: Invoice; extraction: Extraction | Unreadable | GivenUp }> {
  const { invoices, profiles } = deps;
  const project = invoice.channelId ? await profiles.channelProject(invoice.teamId, invoice.channelId) : null;
  const base: Partial<Invoice> = { projectProfileId: project?.id ?? null };
  await invoices.patch(invoice.id, { extracted: { ...(invoice.extracted ?? {}), readAttempts: readAttempts(invoice) + 1 } });
  let extraction: Extraction | Unreadable | GivenUp;
  try {
    extraction = await extractWithin(deps, bytes, opts);
  } catch (err) {
    deps.log.warn('extraction crashed', { invoiceId: invoice.id, error: err });
    extraction = { ok: false, reason: 'corrupt', message: 'I couldn’t open this file.' };
  }

  // Past the budget, what was read so far is kept (the person finishes it); otherwise an unreadable file has no fields.
  if (!extraction.ok && !('partial' in extraction && extraction.partial)) {
    if (UNSAFE_REASONS.has(extraction.reason)) deps.log.warn('file could not be read safely', { invoiceId: invoice.id, reason: extraction.reason });
    const message = extraction.reason === 'unsafe' ? UNSAFE_MESSAGE : extraction.message;
    const moved = await invoices.transition(invoice.id, 'needs_input', {
      actor: 'system',
      reason: `${message} Enter the details in Review & sync.`,
      patch: { ...base, extractionError: extraction.reason },
    });
    return { invoice: moved.invoice, extraction };
  }
  const read: Extraction = extraction.ok ? extraction : extraction.partial!;

  const fields: Partial<Invoice> = {
    ...base,
    ...(await readFields(deps, invoice.teamId, read)),
    extractionError: extraction.ok ? null : extraction.reason,
  };
  const total = bookedTotal(read.total, read.documentType);
  const cents = fields.amountCents ?? (total != null ? toCents(total) : null);
  const missing: string[] = extraction.ok ? [] : [extraction.message];
  if (cents == null) missing.push('I couldn’t find the total: enter the amount.');
  else if (cents <= 0) missing.push('The total on this file is not above zero (a credit note?): enter the amount to book, or leave it.');
  if (!read.vendor) missing.push('I couldn’t find the vendor: choose it.');
  if (missing.length)
    return {
      invoice: (await invoices.transition(invoice.id, 'needs_input', { actor: 'system', reason: missing.join(' '), patch: fields })).invoice,
      extraction,
    };
  // Another file, but the same vendor and number as a booked invoice: said at once (no "please review" first).
  const target = { ...invoice, ...fields };
  const booked = await (checked.sameFileChecked ? invoices.bookedSameNumber(target) : invoices.findDuplicate(target));
  if (booked?.qboId) return { invoice: await markBooked(deps, invoice, booked, fields), extraction };
  const moved = await invoices.transition(invoice.id, 'extracted', { actor: 'system', reason: `read from the file (${read.source})`, patch: fields });
  return { invoice: moved.invoice, extraction };
}

/** What a read gives the invoice: the fields, the vendor matched in the QBO list, and the read itself (OCR text capped). */
async function readFields(deps: IntakeDeps, teamId: string, read: Extraction): Promise<Partial<Invoice>> {
  const { lines, ocrText, ...summary } = read;
  const vendorNames = [read.vendor, ...(read.vendorAlternatives ?? [])].filter((n): n is string => !!n);
  const candidates = vendorNames.length ? await deps.lists.vendorCandidates(teamId, vendorCandidateWords(vendorNames)) : [];
  const vendor = candidates.length ? matchVendorAny(candidates, vendorNames) : null;
  const total = bookedTotal(read.total, read.documentType);
  const cents = total != null ? toCents(total) : null;
  return {
    extracted: {
      ...summary,
      lineCount: lines.length,
      // The lines as read, for *Split* in the review modal (a credit note's are booked as positive amounts).
      lines: lines.slice(0, MAX_STORED_LINES).map((l) => ({ description: l.description, amount: bookedTotal(l.amount, read.documentType) })),
      ...(typeof ocrText === 'string' && ocrText ? { ocrText: ocrText.slice(0, MAX_STORED_OCR_CHARS) } : {}),
    } as Record<string, unknown>,
    vendorId: vendor?.id ?? null,
    vendorName: vendor?.name ?? read.vendor ?? null,
    amountCents: cents != null && cents > 0 ? cents : null,
    currency: read.currency ?? null,
    invoiceNumber: read.invoiceNumber ?? null,
    invoiceDate: read.invoiceDate ?? null,
    dueDate: read.dueDate ?? null,
  };
}

/**
 * Reads an invoice a crash left `received` (start-up recovery, or the intake job taken over from a dead instance),
 * unless it was read meanwhile; one read `maxAttempts` times already is set aside instead.
 */
export async function readLeftUnread(deps: IntakeDeps, invoiceId: number, opts: ReadOptions = {}): Promise<void> {
  const inv = await deps.invoices.byId(invoiceId);
  if (inv) await readUnread(deps, inv, opts);
}

/** readLeftUnread for an invoice the caller has just read from the store: the invoice as it is afterwards. */
export async function readUnread(deps: IntakeDeps, inv: Invoice, opts: ReadOptions = {}): Promise<Invoice> {
  if (inv.status !== 'received') return inv;
  if (readAttempts(inv) >= (opts.maxAttempts ?? 2)) {
    deps.log.warn('not reading again a file whose reading never finished', { invoiceId: inv.id, teamId: inv.teamId, attempts: readAttempts(inv) });
    const moved = await deps.invoices.transition(inv.id, 'needs_input', {
      actor: 'system',
      from: ['received'],
      reason: `${UNSAFE_MESSAGE} Reading it stopped the app, so I won't try again. Enter the details in Review & sync.`,
      patch: { extractionError: 'unsafe' },
    });
    return moved.invoice;
  }
  deps.log.info('reading an invoice left unread by a restart', { invoiceId: inv.id, teamId: inv.teamId });
  return (await readInto(deps, inv, await deps.files.bytes(inv.id), opts)).invoice; // one file in memory at a time
}

/**
 * Invoices a crash left in `received` (stored before `startedAt`, never read): read them now, so each gets its card
 * and nothing waits unseen. Newer ones belong to intakes running in this process. A file already read
 * `maxAttempts` times without an answer took the process down while it was read: it is set aside (`needs_input`,
 * "could not be read safely") and never read automatically again. One file's failure never stops the others.
 */

/** Runs one recovery read, or skips it (another instance is reading that file, or has this recovery). */
export type ResumeGuard = (invoice: Invoice, read: () => Promise<void>) => Promise<void>;

export async function resumeReceived(
  deps: IntakeDeps,
  startedAt: Date,
  opts: ReadOptions = {},
  guard: ResumeGuard = (_, read) => read(),
): Promise<number> {
  const stuck = await deps.invoices.receivedBefore(startedAt);
  for (const inv of stuck) {
    try {
      await guard(inv, () => readLeftUnread(deps, inv.id, opts));
    } catch (err) {
      deps.log.error('reading an invoice left unread failed', { invoiceId: inv.id, error: err });
    }
  }
  return stuck.length;
}
