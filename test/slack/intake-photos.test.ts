import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startStack, waitFor, type Stack } from '../harness.ts';
import {
  T,
  byName,
  expectNothingRejected,
  isReadingCard,
  latest,
  onlyInvoice,
  openReview,
  settle,
  setUpWorkspace,
  share,
  textOf,
} from './intake-helpers.ts';
import { sniffType } from '../../src/invoices/attachment.ts';

/**
 * Photos and scans shared in Slack, end to end over HTTP (Slack fake + the real app + QBO emulator), read by the real
 * OCR. The photo fixtures are made by scripts/make-photos.ts (test/fixtures/photos/expected.json says what they show).
 */

const PHOTOS = join(import.meta.dirname, '../fixtures/photos');
const photo = (name: string) => readFileSync(join(PHOTOS, name));
const OCR_MS = 180_000; // OCR is seconds a page, and the test machine is shared

let stack: Stack;
// The reading budget is not what these tests are about: generous, so a loaded machine cannot cut a read short.
const ROOMY_BUDGET = { EXTRACT_MAX_SECONDS: '600', READ_TIMEOUT_MS: '600000' };
async function boot(env: Record<string, string> = {}) {
  stack = await startStack({ env: { SLACK_ADMIN_USER_IDS: 'UADMIN', ...ROOMY_BUDGET, ...env } });
  return setUpWorkspace(stack);
}
afterEach(async () => {
  await stack?.stop();
});

/** Our messages in a thread as first posted (chat.postMessage calls), and the card updates for a ts. */
const postsIn = (channel: string, ts: string) =>
  stack.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && c.args.thread_ts === ts);
const updatesOf = (channel: string, ts: string) => stack.slack.callsTo('chat.update').filter((c) => c.args.channel === channel && c.args.ts === ts);
/** A field as the card shows it (mrkdwn unescaped), e.g. "Big Sky Aerial & Lift, Inc. :warning:". */
const cardField = (m: any, label: string) =>
  (
    textOf({ blocks: m.blocks.filter((b: any) => b.block_id === 'invoice_fields') })
      .split('\n')
      .find((_l, i, a) => a[i - 1] === `*${label}*`) ?? ''
  ).replace(/&amp;/g, '&');

describe('a phone photo shared in a job channel', () => {
  it(
    '(JPEG, turned 90°): "Reading your photo…" at once, then the fields in the same card; reviewed, it is a Bill with the original photo attached',
    async () => {
      const ws = await boot();
      const bytes = photo('us-rental-bigsky.photo-rot90.jpg');
      const { card, message } = await share(stack, 'IMG_4410.jpg', { bytes, mimetype: 'image/jpeg', timeoutMs: OCR_MS });
      const posts = postsIn('CJOB1', message.ts);
      expect(posts).toHaveLength(1);
      expect(textOf(posts[0].args)).toContain('Reading your photo…');
      expect(updatesOf('CJOB1', card.ts).length).toBeGreaterThan(0); // the same message, updated in place
      expect(isReadingCard(card)).toBe(false);
      expect(cardField(card, 'Vendor')).toContain('Big Sky Aerial & Lift, Inc.');
      expect(textOf(card)).toContain('Review & sync');

      // The person fixes what the reader got wrong or missed, and books it.
      const vendor = await byName(stack.app.engine, 'Vendor', 'Big Sky Aerial & Lift, Inc.');
      const modal = await openReview(stack, card);
      expect(modal.blocks.find((b: any) => b.label?.text === 'Vendor').element.initial_option.text.text).toBe(vendor.name);
      const res = await stack.driver.submitView({
        teamId: T,
        userId: 'UFOREMAN',
        view: modal,
        values: { Amount: '4720.00', 'Invoice number': '00041977' },
      });
      expect(res.errors).toBeUndefined();
      await settle(stack);
      const inv = await onlyInvoice(stack);
      expect(inv.status).toBe('synced');
      const bill = stack.qbo.entities(ws.realmId, 'Bill')[0];
      expect(bill).toMatchObject({ TotalAmt: 4720, DocNumber: '00041977', VendorRef: { value: vendor.id } });
      const att = stack.qbo.entities(ws.realmId, 'Attachable')[0];
      expect(att).toMatchObject({
        FileName: 'IMG_4410.jpg',
        ContentType: 'image/jpeg',
        AttachableRef: [{ EntityRef: { type: 'Bill', value: bill.Id } }],
      });
      expect(Buffer.compare(att._bytes, bytes)).toBe(0); // the original photo, byte for byte
      expect(textOf(latest(stack, card))).toContain('In QuickBooks as Bill 00041977');
      expectNothingRejected(stack);
    },
    OCR_MS * 2,
  );

  it(
    '(HEIC, an iPhone original): read and booked; QuickBooks gets a JPEG of it (it refuses HEIC), the original stays with the invoice',
    async () => {
      const ws = await boot();
      const bytes = photo('us-supply-tricounty-mono.photo.heic');
      const { card } = await share(stack, 'IMG_0412.HEIC', { bytes, mimetype: 'image/heic', timeoutMs: OCR_MS });
      expect(cardField(card, 'Vendor')).toContain('Tri-County Rental & Supply Corp');
      expect(cardField(card, 'Number')).toContain('7731-0042');
      const res = await stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: await openReview(stack, card), values: { Amount: '238.87' } });
      expect(res.errors).toBeUndefined();
      await settle(stack);
      const inv = await onlyInvoice(stack);
      expect(inv).toMatchObject({ status: 'synced', mimeType: 'image/heic' });
      expect(Buffer.compare(await stack.app.engine.files.bytes(inv.id), bytes)).toBe(0);
      const att = stack.qbo.entities(ws.realmId, 'Attachable')[0];
      expect(att).toMatchObject({ FileName: 'IMG_0412.HEIC.jpg', ContentType: 'image/jpeg' });
      expect(sniffType(att._bytes)).toBe('image/jpeg');
      expect(att.Note).toContain('HEIC');
      expectNothingRejected(stack);
    },
    OCR_MS * 2,
  );

  it(
    '(a PNG screenshot): the card shows the fields read, none of them marked when the reader is sure',
    async () => {
      await boot();
      const { card } = await share(stack, 'Screenshot 2025-05-02.png', {
        bytes: photo('us-sub-progress-delgado.screenshot.png'),
        mimetype: 'image/png',
        timeoutMs: OCR_MS,
      });
      expect(cardField(card, 'Vendor')).toContain('Delgado Concrete & Masonry LLC');
      expect(cardField(card, 'Vendor')).not.toContain(':warning:');
      expect(cardField(card, 'Number')).toContain('2025-0317');
      expect(cardField(card, 'Total')).toContain('$34,580.00');
      expect(await onlyInvoice(stack)).toMatchObject({ status: 'extracted', mimeType: 'image/png', vendorName: 'Delgado Concrete & Masonry LLC' });
      // The OCR text is kept with the invoice, and never posted to Slack in full.
      const ocrText = String((await onlyInvoice(stack)).extracted?.ocrText ?? '');
      expect(ocrText).toContain('Delgado');
      expect(JSON.stringify(stack.slack.callsTo('chat.update').map((c) => c.args))).not.toContain(ocrText.slice(0, 200));
      expectNothingRejected(stack);
    },
    OCR_MS * 2,
  );
});

describe('a scanned PDF', () => {
  it(
    'shows "Reading your scan… page n of 2" while it is read, then the fields; booked as an Expense with the PDF attached',
    async () => {
      const ws = await boot();
      const bytes = photo('invoice2data-QualityHosting.scan.pdf');
      const { card, message } = await share(stack, 'scan0042.pdf', { bytes, mimetype: 'application/pdf', timeoutMs: OCR_MS });
      const first = postsIn('CJOB1', message.ts);
      expect(first).toHaveLength(1);
      const shown = [first[0], ...updatesOf('CJOB1', card.ts)].map((c) => textOf(c.args));
      expect(shown.some((t) => /Reading your scan… page [12] of 2/.test(t))).toBe(true);
      expect(cardField(card, 'Vendor')).toContain('QualityHosting AG');
      expect(cardField(card, 'Number')).toContain('30064443');

      const modal = await openReview(stack, card);
      const res = await stack.driver.submitView({
        teamId: T,
        userId: 'UFOREMAN',
        view: modal,
        values: { Type: 'Expense', 'Purchase account': { value: ws.visa.id, text: 'Visa Business (Credit Card)' }, Amount: '34.73' },
      });
      expect(res.errors).toBeUndefined();
      await settle(stack);
      const purchase = stack.qbo.entities(ws.realmId, 'Purchase')[0];
      expect(purchase).toMatchObject({ PaymentType: 'CreditCard', TotalAmt: 34.73, DocNumber: '30064443' });
      const att = stack.qbo.entities(ws.realmId, 'Attachable')[0];
      expect(att).toMatchObject({
        FileName: 'scan0042.pdf',
        ContentType: 'application/pdf',
        AttachableRef: [{ EntityRef: { type: 'Purchase', value: purchase.Id } }],
      });
      expect(Buffer.compare(att._bytes, bytes)).toBe(0);
      expectNothingRejected(stack);
    },
    OCR_MS * 2,
  );
});

describe('files the reader cannot use', () => {
  it(
    'a photo with no text (a wall): a clear message in the thread, the photo kept, the details entered by hand',
    async () => {
      const ws = await boot();
      const { wallPhoto } = await import('./photo-helpers.ts');
      const bytes = await wallPhoto();
      const { card } = await share(stack, 'IMG_0001.jpg', { bytes, mimetype: 'image/jpeg', timeoutMs: OCR_MS });
      expect(textOf(card)).toContain("couldn't read this file");
      expect(textOf(card)).toMatch(/couldn’t find any text in this image/);
      const inv = await onlyInvoice(stack);
      expect(inv).toMatchObject({ status: 'needs_input', extractionError: 'no_text' });
      expect(Buffer.compare(await stack.app.engine.files.bytes(inv.id), bytes)).toBe(0);
      const vendor = await byName(stack.app.engine, 'Vendor', 'Home Depot');
      await stack.driver.submitView({
        teamId: T,
        userId: 'UFOREMAN',
        view: await openReview(stack, card),
        values: { Vendor: { value: vendor.id, text: vendor.name }, Amount: '86.20' },
      });
      await settle(stack);
      expect(stack.qbo.entities(ws.realmId, 'Bill')[0]).toMatchObject({ TotalAmt: 86.2 });
      expect(stack.qbo.entities(ws.realmId, 'Attachable')[0]).toMatchObject({ FileName: 'IMG_0001.jpg', ContentType: 'image/jpeg' });
      expectNothingRejected(stack);
    },
    OCR_MS * 2,
  );
});

describe('two photos shared at once', () => {
  it(
    'are read side by side, within the pool size: both cards say "Reading your photo…" before either shows its fields',
    async () => {
      await boot({ EXTRACT_WORKERS: '2' });
      const { AZURE_LINES, invoiceImage } = await import('./photo-helpers.ts');
      const a = stack.slack.addFile(T, {
        name: 'IMG_1.jpg',
        mimetype: 'image/jpeg',
        bytes: await invoiceImage(AZURE_LINES, 'jpeg'),
        user: 'UFOREMAN',
      });
      const b = stack.slack.addFile(T, {
        name: 'IMG_2.png',
        mimetype: 'image/png',
        bytes: await invoiceImage(AZURE_LINES, 'png', { rotate: 180 }),
        user: 'UFOREMAN',
      });
      const msg = stack.slack.postUserMessage(T, { channel: 'CJOB1', user: 'UFOREMAN', files: [a, b] });
      const event = {
        type: 'message',
        subtype: 'file_share',
        files: [a, b],
        user: 'UFOREMAN',
        ts: msg.ts,
        channel: 'CJOB1',
        channel_type: 'channel',
        text: '',
      };
      // Both files are handed to the pool at once, and it never runs more worker threads than its size.
      await waitFor(() => stack.app.engine.extractor.stats.inflight === 0, 'the pool idle (warm-up done)', OCR_MS);
      let most = 0;
      let threads = 0;
      const sampler = setInterval(() => {
        const s = stack.app.engine.extractor.stats;
        most = Math.max(most, s.inflight);
        threads = Math.max(threads, s.threads);
      }, 10);
      expect((await stack.driver.event({ teamId: T, event, eventId: 'EvTwo' })).status).toBe(200);
      await waitFor(
        async () =>
          (await stack.app.engine.invoices.list(T)).length === 2 && (await stack.app.engine.invoices.list(T)).every((i) => i.status !== 'received'),
        'both read',
        OCR_MS,
      ).finally(() => clearInterval(sampler));
      expect(most).toBe(2);
      expect(threads).toBeLessThanOrEqual(2);
      await settle(stack);
      const calls = stack.slack.calls.filter((c) => (c.method === 'chat.postMessage' && c.args.thread_ts === msg.ts) || c.method === 'chat.update');
      const readingPosts = calls.filter((c) => c.method === 'chat.postMessage' && textOf(c.args).includes('Reading your photo…'));
      expect(readingPosts).toHaveLength(2);
      const firstResult = calls.findIndex((c) => !textOf(c.args).includes('Reading your'));
      expect(firstResult).toBeGreaterThan(calls.indexOf(readingPosts[1]));
      const cards = stack.slack.messages('CJOB1').filter((m) => m.thread_ts === msg.ts && m.author === 'U0BOTA');
      expect(cards).toHaveLength(2);
      for (const c of cards) expect(textOf(c)).toContain('Azure Interior');
      expectNothingRejected(stack);
    },
    OCR_MS * 2,
  );
});

describe('/qbo upload with a photo', () => {
  it(
    'the file input takes images; the modal says it is reading, then turns into the review with what was read',
    async () => {
      await boot();
      await stack.driver.command({ teamId: T, userId: 'UPM', command: '/qbo', text: 'upload', channelId: 'CJOB1' });
      const modal = await waitFor(() => stack.slack.openModalStack(T, 'UPM').find((v) => v.callback_id === 'review_upload'), 'upload modal');
      const file = stack.slack.addFile(T, {
        name: 'delgado.png',
        mimetype: 'image/png',
        bytes: photo('us-sub-progress-delgado.screenshot.png'),
        user: 'UPM',
      });
      const res = await stack.driver.submitView({ teamId: T, userId: 'UPM', view: modal, values: { 'Invoice file': { files: [file] } } });
      expect(res.body.response_action).toBe('update');
      expect(textOf({ blocks: res.body.view.blocks })).toContain('Reading');
      const review = await waitFor(
        () => stack.slack.openModalStack(T, 'UPM').find((v) => v.callback_id === 'review_submit'),
        'review modal after reading',
        OCR_MS,
      );
      const el = (l: string) => review.blocks.find((b: any) => b.label?.text === l).element;
      expect(el('Vendor').initial_option.text.text).toBe('Delgado Concrete & Masonry LLC');
      expect(el('Amount').initial_value).toBe('34580.00');
      const viewOf = (v: any) => (typeof v === 'string' ? JSON.parse(v) : v);
      const shown = stack.slack.callsTo('views.update').map((c) => textOf({ blocks: viewOf(c.args.view)?.blocks ?? [] }));
      expect(shown.some((t) => t.includes('Reading your photo…'))).toBe(true);
      expect(await onlyInvoice(stack)).toMatchObject({ source: 'upload', mimeType: 'image/png' });
      // A file Slack's input would not take (not a document or an image we read) is refused by the input itself.
      await stack.driver.command({ teamId: T, userId: 'UFOREMAN', command: '/qbo', text: 'upload', channelId: 'CJOB1' });
      const again = await waitFor(
        () => stack.slack.openModalStack(T, 'UFOREMAN').find((v) => v.callback_id === 'review_upload'),
        'second upload modal',
      );
      const doc = stack.slack.addFile(T, {
        name: 'notes.docx',
        mimetype: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        bytes: Buffer.from('PK'),
        user: 'UFOREMAN',
      });
      await expect(
        stack.driver.submitView({ teamId: T, userId: 'UFOREMAN', view: again, values: { 'Invoice file': { files: [doc] } } }),
      ).rejects.toThrow(/filetypes/);
      expectNothingRejected(stack);
    },
    OCR_MS * 2,
  );
});
