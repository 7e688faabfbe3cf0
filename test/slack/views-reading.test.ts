import { afterEach, describe, expect, it, vi } from 'vitest';
import { validateBlocks, validateView } from '../../emulators/slack/index.ts';
import type { Invoice } from '../../src/invoices/service.ts';
import { fieldsToCheck } from '../../src/invoices/confidence.ts';
import { invoiceCard } from '../../src/slack/views/invoice-card.ts';
import { loadingModal, reviewModal, type ReviewValues } from '../../src/slack/views/invoice-review.ts';
import { reviewNotice } from '../../src/slack/views/review-notice.ts';
import { shortDate, type InvoiceInfo, type ReadingState } from '../../src/slack/views/invoice-common.ts';
import { ReadingCard, readingKind } from '../../src/slack/reading.ts';
import { invoice } from './invoice-fixture.ts';
import { textOf } from './intake-helpers.ts';

/** The Slack side of reading photos and scans: the "Reading…" card, its throttle, fields to check, files already booked. */

const info = (p: Partial<Invoice> = {}, extra: Partial<InvoiceInfo> = {}): InvoiceInfo => ({ inv: invoice(p), autoSync: true, ...extra });
const msgOk = (m: { blocks: any[] }) => expect(validateBlocks(m.blocks, 'message', '/blocks')).toEqual([]);
const actionIds = (m: { blocks: any[] }) =>
  m.blocks.filter((b: any) => b.type === 'actions').flatMap((b: any) => b.elements.map((e: any) => e.action_id));
const read = (confidence: Record<string, number>) => ({
  vendor: 'Azure Interior',
  invoiceNumber: 'INV-1',
  invoiceDate: '2023-03-20',
  total: 279.84,
  confidence,
});

describe('while a file is read', () => {
  it('the card says what is read and how far, with no buttons yet', () => {
    const photo = invoiceCard(
      info({ status: 'received', vendorName: null, amountCents: null, fileName: 'IMG_2041.jpg' }, { reading: { kind: 'photo' } }),
    );
    msgOk(photo);
    expect(textOf(photo)).toContain('Reading your photo…');
    expect(textOf(photo)).toContain('IMG_2041.jpg');
    expect(actionIds(photo)).toEqual([]);
    const scan = invoiceCard(info({ status: 'received' }, { reading: { kind: 'scan', page: 2, pages: 6 } }));
    expect(textOf(scan)).toContain('Reading your scan… page 2 of 6');
    // A one-page file shows no page count.
    expect(textOf(invoiceCard(info({ status: 'received' }, { reading: { kind: 'scan', page: 1, pages: 1 } })))).not.toContain('page 1 of 1');
  });
  it('a late tick after the file was read shows the result, not "Reading…"', () => {
    const c = invoiceCard(info({ status: 'extracted' }, { reading: { kind: 'photo', page: 1, pages: 1 } }));
    expect(textOf(c)).not.toContain('Reading your photo');
    expect(textOf(c)).toContain('Azure Interior');
  });
  it('the upload modal shows it too', () => {
    const v = loadingModal('scan.pdf', { kind: 'scan', page: 3, pages: 30 });
    expect(validateView(v, 'modal')).toEqual([]);
    expect(textOf({ blocks: v.blocks })).toContain('page 3 of 30');
  });
  it('what the card calls a file, by Slack type, filetype or name', () => {
    expect(readingKind({ mimeType: 'image/jpeg', filetype: 'jpg', fileName: 'IMG_1.jpg' })).toBe('photo');
    expect(readingKind({ mimeType: 'image/heic', filetype: 'heic', fileName: 'IMG_1.HEIC' })).toBe('photo');
    expect(readingKind({ mimeType: 'application/octet-stream', filetype: '', fileName: 'IMG_1.HEIC' })).toBe('photo');
    expect(readingKind({ mimeType: 'image/png', filetype: 'png', fileName: 'Screenshot.png' })).toBe('photo');
    expect(readingKind({ mimeType: 'image/tiff', filetype: 'tiff', fileName: 'scan.tif' })).toBe('scan');
    expect(readingKind({ mimeType: 'application/pdf', filetype: 'pdf', fileName: 'a.pdf' })).toBe('file');
  });
});

describe('the reading card is throttled (chat.update limits)', () => {
  afterEach(() => vi.useRealTimers());
  function card(kind: ReadingState['kind'], firstDelayMs = 0) {
    vi.useFakeTimers();
    const shown: ReadingState[] = [];
    const c = new ReadingCard((s) => shown.push(s), kind, { minIntervalMs: 4000, firstDelayMs, now: () => Date.now() });
    return { c, shown };
  }
  it('a photo: the card at once; page ticks at most every 4 s, the latest page wins; nothing after the file is read', () => {
    const { c, shown } = card('photo');
    c.start();
    expect(shown).toEqual([{ kind: 'photo' }]);
    for (let done = 1; done <= 4; done++) {
      c.progress({ page: done, pages: 6 });
      vi.advanceTimersByTime(500);
    }
    expect(shown).toHaveLength(1); // 2 s after the first card: nothing yet
    vi.advanceTimersByTime(2000);
    expect(shown.at(-1)).toEqual({ kind: 'photo', page: 5, pages: 6 }); // 4 pages done: reading the 5th
    expect(shown).toHaveLength(2);
    c.progress({ page: 6, pages: 6 });
    c.finish();
    vi.advanceTimersByTime(10_000);
    expect(shown).toHaveLength(2);
  });
  it('a PDF read from its text layer in a blink never gets a "Reading…" card', () => {
    const { c, shown } = card('file', 1500);
    c.start();
    vi.advanceTimersByTime(200);
    c.finish();
    vi.advanceTimersByTime(5000);
    expect(shown).toEqual([]);
  });
  it('a PDF that needs OCR is a scan: its first page tick shows the card at once', () => {
    const { c, shown } = card('file', 1500);
    c.start();
    c.progress({ page: 1, pages: 6 });
    expect(shown).toEqual([{ kind: 'scan', page: 2, pages: 6 }]);
    vi.advanceTimersByTime(5000);
    expect(shown).toHaveLength(1); // no timer left over
  });
});

describe('fields a person should check', () => {
  it('are those read with a confidence below 0.6, while they still hold what was read and nobody confirmed them', () => {
    const inv = invoice({ extracted: read({ vendor: 0.9, invoiceNumber: 0.4, invoiceDate: 0.95, total: 0.3 }) });
    expect(fieldsToCheck(inv)).toEqual(['invoiceNumber', 'total']);
    expect(fieldsToCheck({ ...inv, amountCents: 30000 })).toEqual(['invoiceNumber']); // a person changed the amount
    expect(fieldsToCheck({ ...inv, submittedBy: 'U2' })).toEqual([]);
    expect(fieldsToCheck(invoice({ extracted: read({ vendor: 1, invoiceNumber: 1, invoiceDate: 1, total: 1 }) }))).toEqual([]);
    expect(fieldsToCheck(invoice({ extracted: null }))).toEqual([]);
  });
  it('the card marks them and says what to check; a sure read is shown plainly', () => {
    const c = invoiceCard(info({ extracted: read({ vendor: 0.9, invoiceNumber: 0.9, invoiceDate: 0.9, total: 0.3 }) }));
    msgOk(c);
    expect(textOf(c)).toContain('$279.84 :warning:');
    expect(textOf(c)).toContain(":warning: Check the amount: I'm not sure I read it right.");
    expect(textOf(c)).not.toContain('Azure Interior :warning:');
    const sure = invoiceCard(info({ extracted: read({ vendor: 0.9, invoiceNumber: 0.9, invoiceDate: 0.9, total: 0.9 }) }));
    expect(textOf(sure)).not.toContain(':warning:');
    const two = invoiceCard(info({ extracted: read({ vendor: 0.2, invoiceNumber: 0.9, invoiceDate: 0.5, total: 0.9 }) }));
    expect(textOf(two)).toContain("Check the vendor and the date: I'm not sure I read them right.");
  });
  it('the review modal marks them on the field and at the top', () => {
    const inv = invoice({ extracted: read({ vendor: 0.9, invoiceNumber: 0.3, invoiceDate: 0.9, total: 0.3 }) });
    const check = fieldsToCheck(inv);
    const values: ReviewValues = {
      txnType: 'Bill',
      account: null,
      project: null,
      costCode: null,
      vendor: { id: 'V1', label: 'Azure Interior' },
      amountCents: inv.amountCents,
      invoiceNumber: inv.invoiceNumber,
      invoiceDate: inv.invoiceDate,
      dueDate: null,
      memo: null,
    };
    const v = reviewModal({ mode: 'review', invoiceId: 7, autoSync: true, values, notice: reviewNotice(inv, check), check });
    expect(validateView(v, 'modal')).toEqual([]);
    const hint = (label: string) => v.blocks.find((b: any) => b.label?.text === label)?.hint?.text ?? '';
    expect(hint('Amount')).toMatch(/^:warning: Check the amount/);
    expect(hint('Invoice number')).toMatch(/^:warning: Check the invoice number/);
    expect(hint('Invoice date')).toBe('');
    expect(textOf({ blocks: v.blocks.slice(0, 1) })).toContain('Check the invoice number and the amount');
  });
});

describe('a file already in QuickBooks', () => {
  const original = {
    id: 3,
    qboId: '151',
    qboDocNumber: '204871',
    txnType: 'Bill' as const,
    qboUrl: 'https://app.qbo.intuit.com/app/bill?txnId=151',
    uploadedBy: 'UFRANK',
    createdAt: Date.parse('2026-03-04T10:00:00.000Z'),
  };
  it('says so first, plainly, with a link and Book again, and no Review & sync', () => {
    const c = invoiceCard(
      info(
        { status: 'duplicate', duplicateOfId: 3, statusReason: 'Already in QuickBooks: the same file was booked as Bill 204871' },
        { duplicateOf: original },
      ),
    );
    msgOk(c);
    const first = textOf({ blocks: c.blocks.slice(0, 1) });
    expect(first).toContain('Already in QuickBooks as Bill 204871 (shared by <@UFRANK> on 4 Mar');
    expect(first).toContain('<https://app.qbo.intuit.com/app/bill?txnId=151|Open in QuickBooks>');
    expect(actionIds(c)).toEqual(['invoice_book_again', 'invoice_open']);
    expect(c.blocks.flatMap((b: any) => b.elements ?? []).some((e: any) => e.style === 'primary')).toBe(false);
  });
  it('found at submit, after a person reviewed it: Sync anyway instead', () => {
    const c = invoiceCard(info({ status: 'duplicate', submittedBy: 'U2', duplicateOfId: 3 }, { duplicateOf: original }));
    expect(actionIds(c)).toContain('invoice_sync_anyway');
    expect(actionIds(c)).not.toContain('invoice_book_again');
  });
  it('dates are short, with the year only when it is not this one', () => {
    expect(shortDate(Date.parse('2026-03-04T10:00:00.000Z'), new Date('2026-12-01T00:00:00Z'))).toBe('4 Mar');
    expect(shortDate(Date.parse('2025-11-30T23:00:00.000Z'), new Date('2026-12-01T00:00:00Z'))).toBe('30 Nov 2025');
    expect(shortDate(null)).toBeNull();
  });
});
