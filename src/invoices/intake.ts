import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { invoices as invoicesTable } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import type { ListItem, QboLists } from '../qbo/lists.ts';
import { channelProject } from '../workspace/profiles.ts';
import { extractInvoice, type Extraction, type Unreadable } from './extract/index.ts';
import { invoiceColumns, type Invoice, type Invoices, type NewInvoice } from './service.ts';

/**
 * Intake, Slack-free: a file (bytes + where it came from) → a stored invoice (file and sha256 kept whatever happens)
 * with its fields read and prefilled → `extracted`, or `needs_input` with the reason in plain words. Idempotent per
 * Slack file id: Slack sends two events per upload and retries them; only the first call does the work.
 */

export interface IntakeDeps {
  db: Db;
  invoices: Invoices;
  lists: QboLists;
  log: Logger;
}

/** Where a file came from: everything the stored invoice records, but the bytes (which may not have arrived). */
export type IntakeMeta = Omit<NewInvoice, 'bytes'>;

/** What the transport got: the bytes, or why there are none (too large, sign-in page, …) in plain words. */
export type IntakeFile = { ok: true; bytes: Buffer } | { ok: false; code: string; message: string };

export interface IntakeResult {
  invoice: Invoice;
  created: boolean;
  extraction: Extraction | Unreadable | null;
  /** An earlier invoice with the very same file (any status), for a heads-up. */
  sameFileAs: Invoice | null;
}

export function findBySlackFile(db: Db, teamId: string, slackFileId: string): Invoice | null {
  return db.select(invoiceColumns).from(invoicesTable).where(and(eq(invoicesTable.teamId, teamId), eq(invoicesTable.slackFileId, slackFileId))).get() ?? null;
}

export async function intakeInvoice(deps: IntakeDeps, meta: IntakeMeta, file: IntakeFile, opts: { maxBytes?: number } = {}): Promise<IntakeResult> {
  const { invoices, db } = deps;
  const bytes = file.ok ? file.bytes : Buffer.alloc(0);
  const { invoice, created } = invoices.create({ ...meta, bytes });
  if (!created) return { invoice, created, extraction: null, sameFileAs: null };

  if (!file.ok) {
    const project = meta.channelId ? channelProject(db, meta.teamId, meta.channelId) : null;
    const base: Partial<Invoice> = { projectProfileId: project?.id ?? null };
    // No bytes to keep: give the record a hash of its own so it can never look like another file.
    invoices.patch(invoice.id, { sha256: `none:${invoice.id}:${meta.slackFileId ?? ''}` });
    const inv = invoices.transition(invoice.id, 'needs_input', {
      actor: 'system',
      reason: file.message,
      patch: { ...base, extractionError: file.code },
    });
    return { invoice: inv, created, extraction: null, sameFileAs: null };
  }

  const extraction = await readInto(deps, invoice, bytes, opts);
  return { ...extraction, created, sameFileAs: invoices.sameFile(meta.teamId, invoice.sha256, invoice.id) };
}

/**
 * Reads a stored invoice's file and moves it from `received` to `extracted` (fields prefilled) or `needs_input`.
 * Used at intake, and at start-up for invoices a crash left in `received`.
 */
export async function readInto(
  deps: IntakeDeps,
  invoice: Invoice,
  bytes: Buffer,
  opts: { maxBytes?: number } = {},
): Promise<{ invoice: Invoice; extraction: Extraction | Unreadable }> {
  const { invoices, db } = deps;
  const project = invoice.channelId ? channelProject(db, invoice.teamId, invoice.channelId) : null;
  const base: Partial<Invoice> = { projectProfileId: project?.id ?? null };
  let extraction: Extraction | Unreadable;
  try {
    extraction = await extractInvoice(bytes, { maxBytes: opts.maxBytes });
  } catch (err) {
    deps.log.warn('extraction crashed', { invoiceId: invoice.id, error: err });
    extraction = { ok: false, reason: 'corrupt', message: 'I couldn’t open this file.' };
  }

  if (!extraction.ok) {
    const inv = invoices.transition(invoice.id, 'needs_input', {
      actor: 'system',
      reason: `${extraction.message} Enter the details in Review & sync.`,
      patch: { ...base, extractionError: extraction.reason },
    });
    return { invoice: inv, extraction };
  }

  const { lines: _lines, ...summary } = extraction;
  const vendorNames = [extraction.vendor, ...(extraction.vendorAlternatives ?? [])].filter((n): n is string => !!n);
  const candidates = vendorNames.length ? deps.lists.vendorCandidates(invoice.teamId, vendorCandidateWords(vendorNames)) : [];
  const vendor = candidates.length ? matchVendorAny(candidates, vendorNames) : null;
  const cents = extraction.total != null ? toCents(extraction.total) : null;
  const fields: Partial<Invoice> = {
    ...base,
    extracted: { ...summary, lineCount: extraction.lines.length } as Record<string, unknown>,
    extractionError: null,
    vendorId: vendor?.id ?? null,
    vendorName: vendor?.name ?? extraction.vendor ?? null,
    amountCents: cents != null && cents > 0 ? cents : null,
    currency: extraction.currency ?? null,
    invoiceNumber: extraction.invoiceNumber ?? null,
    invoiceDate: extraction.invoiceDate ?? null,
    dueDate: extraction.dueDate ?? null,
  };
  const missing: string[] = [];
  if (cents == null) missing.push('I couldn’t find the total: enter the amount.');
  else if (cents <= 0) missing.push('The total on this file is not above zero (a credit note?): enter the amount to book, or leave it.');
  if (!extraction.vendor) missing.push('I couldn’t find the vendor: choose it.');
  const inv = missing.length
    ? invoices.transition(invoice.id, 'needs_input', { actor: 'system', reason: missing.join(' '), patch: fields })
    : invoices.transition(invoice.id, 'extracted', { actor: 'system', reason: `read from the file (${extraction.source})`, patch: fields });
  return { invoice: inv, extraction };
}

/**
 * Invoices a crash left in `received` (stored before `startedAt`, never read): read them now, so each gets its card
 * and nothing waits unseen. Newer ones belong to intakes running in this process.
 */
export async function resumeReceived(deps: IntakeDeps, startedAt: Date, opts: { maxBytes?: number } = {}): Promise<number> {
  const stuck = deps.db
    .select(invoiceColumns)
    .from(invoicesTable)
    .where(and(eq(invoicesTable.status, 'received'), lt(invoicesTable.createdAt, startedAt.toISOString())))
    .all();
  for (const inv of stuck) {
    deps.log.info('reading an invoice left unread by a restart', { invoiceId: inv.id, teamId: inv.teamId });
    await readInto(deps, inv, deps.invoices.fileBytes(inv.id), opts); // one file in memory at a time
  }
  return stuck.length;
}

/** Decimal amount → integer cents without floating-point drift (279.84 → 27984). */
export function toCents(n: number): number {
  return Math.round(Number((n * 100).toFixed(4)));
}

const SUFFIXES = new Set(['inc', 'incorporated', 'llc', 'ltd', 'limited', 'gmbh', 'ag', 'bv', 'co', 'corp', 'corporation', 'company', 'sa', 'sas', 'sarl', 'plc', 'nv', 'kg', 'se', 'the', 'and', 'mbh']);

export function normalizeName(s: string): string[] {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\b([a-z])\.(?=[a-z]\.)/g, '$1') // b.v. → bv.
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(/\s+/)
    .filter((w) => w && !SUFFIXES.has(w));
}

/**
 * The words a vendor matching one of `names` must have (see matchVendor): their own words, and for a name written
 * as one word ("oyorooms" from a web address) each start of it, which may be the first word of "OYO Rooms".
 */
export function vendorCandidateWords(names: string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    const words = normalizeName(name);
    out.push(...words);
    const compact = words.join('');
    for (let i = 2; i < Math.min(compact.length, 30); i++) out.push(compact.slice(0, i));
  }
  return out;
}

/**
 * The QBO vendor a name read from an invoice means: the same words (ignoring case, punctuation and legal suffixes
 * like Inc./GmbH/B.V.), else one name's words all inside the other's. Active vendors only; null when unsure.
 */
export function matchVendor(vendors: ListItem[], name: string): ListItem | null {
  const want = normalizeName(name);
  if (!want.length) return null;
  const key = want.join(' ');
  const active = vendors.filter((v) => v.active);
  // Same words, or the same letters once spaces go ("oyorooms" from a web address is "OYO Rooms").
  const compact = key.replace(/ /g, '');
  const exact = active.filter((v) => {
    const have = normalizeName(v.name);
    return have.join(' ') === key || (compact.length >= 4 && have.join('') === compact);
  });
  if (exact.length === 1) return exact[0];
  if (exact.length > 1) return null;
  const wantSet = new Set(want);
  let best: { v: ListItem; score: number } | null = null;
  let tie = false;
  for (const v of active) {
    const have = normalizeName(v.name);
    if (!have.length) continue;
    const haveSet = new Set(have);
    const inner = have.every((w) => wantSet.has(w)) ? have : want.every((w) => haveSet.has(w)) ? want : null;
    if (!inner || inner.join('').length < 4) continue;
    const score = inner.length / Math.max(have.length, want.length);
    if (score < 0.5) continue;
    if (!best || score > best.score) {
      best = { v, score };
      tie = false;
    } else if (score === best.score) tie = true;
  }
  return best && !tie ? best.v : null;
}

/**
 * The QBO vendor for the first of `names` (the name read as the seller, then the other names the document gives
 * it: a brand, a web or e-mail domain) that matches one.
 */
export function matchVendorAny(vendors: ListItem[], names: string[]): ListItem | null {
  for (const name of names) {
    const hit = matchVendor(vendors, name);
    if (hit) return hit;
  }
  return null;
}
