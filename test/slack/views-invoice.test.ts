import { describe, expect, it } from 'vitest';
import { validateBlocks, validateView } from '../../emulators/slack/index.ts';
import type { Invoice } from '../../src/invoices/service.ts';
import { invoice } from './invoice-fixture.ts';
import { invoiceCard } from '../../src/slack/views/invoice-card.ts';
import { reviewModal, messageModal, loadingModal, LABEL, type ReviewValues } from '../../src/slack/views/invoice-review.ts';
import { blockedDm, duplicateDm, failedDm, needsInputDm, paidDm, syncedDm, waitingDm } from '../../src/slack/views/invoice-dm.ts';
import { adminNotice, adminNoticeResolved, fixKindFor } from '../../src/slack/views/invoice-admin.ts';
import { invoiceHomeBlocks } from '../../src/slack/views/home-invoices.ts';
import type { InvoiceInfo } from '../../src/slack/views/invoice-common.ts';
import { matchVendor, matchVendorAny, normalizeName, toCents } from '../../src/invoices/intake.ts';
import { extractInvoice } from '../../src/invoices/extract/index.ts';
import { fixture } from './intake-helpers.ts';
import { isRealDate, parseAmountCents } from '../../src/slack/listeners/views/invoices.ts';
import type { ListItem } from '../../src/qbo/lists.ts';
import { textOf } from './intake-helpers.ts';

/** The invoice views are pure functions: checked here against Slack's Block Kit limits, without a server. */

const info = (p: Partial<Invoice> = {}, extra: Partial<InvoiceInfo> = {}): InvoiceInfo => ({
  inv: invoice(p),
  projectName: 'Oak Street',
  autoSync: true,
  accountName: 'Operating Checking',
  ...extra,
});
const msgOk = (m: { blocks: any[] }) => expect(validateBlocks(m.blocks, 'message', '/blocks')).toEqual([]);
const buttons = (m: { blocks: any[] }) =>
  m.blocks.flatMap((b: any) => [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])]).filter((e: any) => e.type === 'button');

describe('thread card', () => {
  it('shows what was read and Review & sync', () => {
    const c = invoiceCard(info());
    msgOk(c);
    expect(textOf(c)).toMatch(/Azure Interior[\s\S]*INV-1[\s\S]*2023-03-20[\s\S]*\$279\.84/);
    expect(buttons(c).map((b: any) => b.action_id)).toEqual(['invoice_review']);
  });
  it('says when the file could not be read', () => {
    const c = invoiceCard(
      info({ status: 'needs_input', extractionError: 'not_pdf', amountCents: null, vendorName: null, statusReason: "This file isn't a PDF." }),
    );
    msgOk(c);
    expect(textOf(c)).toContain("couldn't read this file — enter the details");
    expect(textOf(c)).toContain("isn't a PDF");
  });
  it('each status has its buttons', () => {
    const ids = (p: Partial<Invoice>) => buttons(invoiceCard(info(p))).map((b: any) => b.action_id);
    expect(ids({ status: 'failed', statusReason: 'x' })).toEqual(['invoice_review', 'invoice_retry']);
    expect(ids({ status: 'duplicate', qboUrl: 'https://q/app/bill?txnId=1' })).toEqual(['invoice_review', 'invoice_sync_anyway', 'invoice_open']);
    // Mark paid never on the card: the whole channel sees it, and only admins and payers may pay (DM, App Home).
    expect(ids({ status: 'synced', qboId: '9', qboUrl: 'https://q/app/bill?txnId=9' })).toEqual(['invoice_open']);
    expect(ids({ status: 'synced', qboId: '9', qboUrl: 'https://q', qboPaymentId: '3' })).toEqual(['invoice_open']);
    expect(ids({ status: 'synced', txnType: 'Expense', qboId: '9', qboUrl: 'https://q' })).toEqual(['invoice_open']);
    for (const status of ['received', 'ready', 'syncing', 'blocked'] as const) msgOk(invoiceCard(info({ status, statusReason: 'why' })));
  });
  it('escapes what came from the file', () => {
    const c = invoiceCard(info({ vendorName: '<!channel> & Co' }));
    expect(JSON.stringify(c.blocks)).not.toContain('<!channel>');
  });
});

describe('review modal', () => {
  const values: ReviewValues = {
    txnType: 'Expense',
    account: { id: '41', label: 'Visa Business (Credit Card)' },
    project: { id: '1', label: 'Oak Street' },
    costCode: null,
    vendor: { id: '5', label: 'Azure Interior' },
    amountCents: 27984,
    invoiceNumber: 'INV-1',
    invoiceDate: '2023-03-20',
    dueDate: '2023-04-04',
    memo: null,
  };
  it('has the labelled inputs, preselected, within Slack limits', () => {
    const v = reviewModal({ mode: 'review', invoiceId: 7, channelId: 'C1', autoSync: true, values, fileName: 'a.pdf' });
    expect(validateView(v, 'modal')).toEqual([]);
    expect(v.blocks.filter((b: any) => b.type === 'input').map((b: any) => b.label.text)).toEqual([
      LABEL.type,
      LABEL.account,
      LABEL.project,
      LABEL.costCode,
      LABEL.vendor,
      LABEL.amount,
      LABEL.number,
      LABEL.date,
      LABEL.due,
      LABEL.memo,
    ]);
    const el = (l: string) => v.blocks.find((b: any) => b.label?.text === l).element;
    expect(el('Type').initial_option.value).toBe('Expense');
    expect(el('Purchase account').initial_option.value).toBe('41');
    expect(el('Amount').initial_value).toBe('279.84');
    expect(JSON.parse(v.private_metadata)).toEqual({ i: 7, c: 'C1', m: 'review' });
    expect(v.submit.text).toBe('Sync to QuickBooks');
  });
  it('the upload variant adds a file input (PDFs, photos, scans) and makes vendor and amount optional', () => {
    const v = reviewModal({ mode: 'upload', autoSync: false, values: { ...values, vendor: null, amountCents: null } });
    expect(validateView(v, 'modal')).toEqual([]);
    const file = v.blocks.find((b: any) => b.label?.text === 'Invoice file');
    expect(file.element).toMatchObject({ type: 'file_input', max_files: 1 });
    expect(file.element.filetypes).toEqual(expect.arrayContaining(['pdf', 'jpg', 'jpeg', 'png', 'webp', 'tiff', 'heic']));
    expect(v.blocks.find((b: any) => b.label?.text === 'Amount').optional).toBe(true);
    expect(v.callback_id).toBe('review_upload');
  });
  it('message modals are valid', () => {
    expect(validateView(messageModal('Not synced yet', 'x'), 'modal')).toEqual([]);
    expect(validateView(loadingModal('a.pdf'), 'modal')).toEqual([]);
  });
});

describe('DMs', () => {
  it('success: type, number, amount, vendor, project, link', () => {
    const m = syncedDm(info({ status: 'synced', qboId: '151', qboDocNumber: 'INV-1', qboUrl: 'https://app.qbo.intuit.com/app/bill?txnId=151' }));
    msgOk(m);
    const t = textOf(m);
    for (const s of ['Bill', 'INV-1', '$279.84', 'Azure Interior', 'Oak Street']) expect(t).toContain(s);
    expect(buttons(m)[0].url).toBe('https://app.qbo.intuit.com/app/bill?txnId=151');
  });
  it('failure: the reason, what to do, Retry', () => {
    const m = failedDm(info({ status: 'failed', statusReason: 'QuickBooks could not be reached or had an outage. Press Retry in a few minutes.' }));
    msgOk(m);
    expect(textOf(m)).toContain('outage');
    expect(buttons(m).map((b: any) => b.action_id)).toEqual(['invoice_retry', 'invoice_review']);
  });
  it('the others are valid', () => {
    for (const m of [
      blockedDm(info({ status: 'blocked', statusReason: 'No purchase account is chosen. Pick one.' })),
      duplicateDm(
        info(
          { status: 'duplicate', statusReason: 'Already in QuickBooks' },
          { duplicateOf: { id: 1, qboUrl: 'https://q/1', qboDocNumber: 'X', txnType: 'Bill' } },
        ),
      ),
      waitingDm(info({ status: 'ready' }, { autoSync: false })),
      needsInputDm(info({ status: 'needs_input', statusReason: 'A vendor is required' })),
      paidDm(info({ status: 'synced', qboId: '1', qboPaymentId: '2', qboUrl: 'https://q' }), 'U9'),
    ])
      msgOk(m);
  });
});

describe('admin fix-it DM', () => {
  it('a picker per cause, and the resolved version', () => {
    const link = adminNotice({
      cause: 'unlinked:project:3',
      reason: 'The project "Oak" is not linked',
      fix: 'Link it',
      waiting: 2,
      fixKind: fixKindFor('unlinked:project:3', { id: 3, kind: 'project', name: 'Oak' }),
    });
    msgOk(link);
    expect(textOf(link)).toContain('2 invoices are waiting');
    expect(link.blocks.find((b: any) => b.accessory?.type === 'external_select').block_id).toBe('invoice_fix_link:3');
    for (const cause of ['no_purchase_account', 'no_expense_account', 'not_connected']) {
      msgOk(adminNotice({ cause, reason: 'r', fix: 'f', waiting: 1, fixKind: fixKindFor(cause) }));
    }
    msgOk(adminNoticeResolved({ reason: 'r', done: 'linked Oak', by: 'U1', resent: 2, stillWaiting: 0 }));
  });
});

describe('App Home section', () => {
  it('lists recent invoices with status; failures have Retry', () => {
    const blocks = invoiceHomeBlocks([
      invoice({ id: 1, status: 'failed', statusReason: 'QuickBooks refused it' }),
      invoice({ id: 2, status: 'synced', qboId: '5', qboDocNumber: 'INV-1', qboUrl: 'https://q/5' }),
      invoice({ id: 3, status: 'blocked', statusReason: 'not linked' }),
    ]);
    expect(validateView({ type: 'home', blocks }, 'home')).toEqual([]);
    const retry = blocks.find((b: any) => b.accessory?.action_id === 'invoice_retry');
    expect(retry.accessory.value).toBe('1');
    expect(textOf({ blocks })).toContain('Bill INV-1');
    expect(invoiceHomeBlocks([])).toHaveLength(2);
    expect(validateView({ type: 'home', blocks: invoiceHomeBlocks(Array.from({ length: 40 }, (_, i) => invoice({ id: i + 1 }))) }, 'home')).toEqual(
      [],
    );
  });
});

describe('parsing and matching', () => {
  it('amounts to cents, exactly', () => {
    expect(parseAmountCents('279.84')).toBe(27984);
    expect(parseAmountCents('$1,234.5')).toBe(123450);
    expect(parseAmountCents('0.1')).toBe(10);
    expect(parseAmountCents('12.345')).toBeNull();
    expect(parseAmountCents('-5')).toBeNull();
    expect(parseAmountCents('1e3')).toBeNull();
    expect(toCents(279.84)).toBe(27984);
    expect(toCents(0.29)).toBe(29);
    expect(toCents(1.005)).toBe(101);
  });
  it('real dates only', () => {
    expect(isRealDate('2024-02-29')).toBe(true);
    expect(isRealDate('2023-02-29')).toBe(false);
    expect(isRealDate('2023-13-01')).toBe(false);
  });
  it('vendor names from invoices match QBO vendors', () => {
    const v = (id: string, name: string, active = true): ListItem => ({
      entity: 'Vendor',
      id,
      name,
      fullName: name,
      type: null,
      subType: null,
      parentId: null,
      active,
    });
    const vendors = [
      v('1', 'Amazon Web Services'),
      v('2', 'Coolblue B.V.'),
      v('3', 'ABC Supply Co.'),
      v('4', 'Mile High Lumber (closed)', false),
      v('5', 'Home Depot'),
    ];
    expect(matchVendor(vendors, 'Amazon Web Services, Inc.')?.id).toBe('1');
    expect(matchVendor(vendors, 'COOLBLUE BV')?.id).toBe('2');
    expect(matchVendor(vendors, 'abc supply company')?.id).toBe('3');
    expect(matchVendor(vendors, 'Mile High Lumber')).toBeNull(); // inactive
    expect(matchVendor(vendors, 'The Home Depot Inc.')?.id).toBe('5');
    expect(matchVendor(vendors, 'Amazon')).toBeNull(); // too loose
    expect(matchVendor(vendors, 'Lowe’s')).toBeNull();
    expect(normalizeName('Coolblue B.V.')).toEqual(['coolblue']);
  });
  it("finds the company's vendor by the other names the invoice gives the seller (brand, web or e-mail domain)", async () => {
    const v = (id: string, name: string): ListItem => ({
      entity: 'Vendor',
      id,
      name,
      fullName: name,
      type: null,
      subType: null,
      parentId: null,
      active: true,
    });
    // The books call the seller by its brand; the invoice is issued by the legal entity behind it.
    const books = [v('1', 'Flipkart'), v('2', 'OYO Rooms'), v('3', 'Home Depot')];
    // Other books keep the legal name instead (as the seller's tax invoice prints it).
    const legalBooks = [v('7', 'WS Retail Services Pvt Ltd'), v('8', 'Oravel Stays Private Limited'), v('3', 'Home Depot')];
    for (const [file, id, legalId] of [
      ['invoice2data-FlipkartInvoice.pdf', '1', '7'],
      ['invoice2data-oyo.pdf', '2', '8'],
    ] as const) {
      const x = await extractInvoice(fixture(file));
      if (!x.ok) throw new Error(`${file} unreadable`);
      const names = [x.vendor!, ...(x.vendorAlternatives ?? [])];
      expect(matchVendorAny(books, names)?.id).toBe(id);
      expect(matchVendorAny(legalBooks, names)?.id).toBe(legalId);
    }
    // A name the books do not know stays unmatched rather than guessed.
    expect(matchVendorAny(books, ['Oravel Stays Pvt. Ltd.', 'oravel'])).toBeNull();
  });
});
