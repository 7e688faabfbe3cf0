import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { attachmentOf, sniffType } from '../../src/invoices/attachment.ts';
import { handmadePdf } from '../slack/intake-helpers.ts';

/** What goes to QuickBooks as the attachment: the original file, unless QuickBooks refuses its format. */

const picture = (format: 'jpeg' | 'png' | 'webp' | 'tiff') =>
  sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .toFormat(format)
    .toBuffer();

describe('the attachment sent to QuickBooks', () => {
  it('a JPEG, PNG, TIFF or PDF is the original bytes, typed by what they are (Slack may say octet-stream)', async () => {
    for (const [format, type] of [
      ['jpeg', 'image/jpeg'],
      ['png', 'image/png'],
      ['tiff', 'image/tiff'],
    ] as const) {
      const bytes = await picture(format);
      const a = await attachmentOf({ bytes, fileName: `photo.${format}`, mimeType: 'application/octet-stream' });
      expect(a).toMatchObject({ fileName: `photo.${format}`, contentType: type });
      expect(Buffer.compare(a.bytes, bytes)).toBe(0);
      expect(a.convertedFrom).toBeUndefined();
    }
    const pdf = handmadePdf({ text: 'Invoice 1' });
    expect(await attachmentOf({ bytes: pdf, fileName: 'a.pdf', mimeType: 'application/pdf' })).toMatchObject({
      bytes: pdf,
      contentType: 'application/pdf',
    });
  });
  it('a WebP (QuickBooks refuses it) goes as a JPEG copy named after the original', async () => {
    const bytes = await picture('webp');
    const a = await attachmentOf({ bytes, fileName: 'receipt.webp', mimeType: 'image/webp' });
    expect(a).toMatchObject({ fileName: 'receipt.webp.jpg', contentType: 'image/jpeg', convertedFrom: 'image/webp' });
    expect(sniffType(a.bytes)).toBe('image/jpeg');
    expect((await sharp(a.bytes).metadata()).width).toBe(40);
  });
  it('a HEIC photo (an iPhone original) goes as a JPEG of the whole picture, decoded off the main thread', async () => {
    const bytes = readFileSync(join(import.meta.dirname, '../fixtures/photos/us-supply-tricounty-mono.photo.heic'));
    expect(sniffType(bytes)).toBe('image/heic');
    const a = await attachmentOf({ bytes, fileName: 'IMG_0412.HEIC', mimeType: 'image/heic' });
    expect(a).toMatchObject({ fileName: 'IMG_0412.HEIC.jpg', contentType: 'image/jpeg', convertedFrom: 'image/heic' });
    const meta = await sharp(a.bytes).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.width).toBeGreaterThan(1000); // the photo itself, not a thumbnail
  });
  it('tells the formats apart by their first bytes', async () => {
    expect(sniffType(await picture('webp'))).toBe('image/webp');
    expect(sniffType(Buffer.from('\0\0\0\x18ftypheic\0\0\0\0', 'latin1'))).toBe('image/heic');
    expect(sniffType(Buffer.from('hello'))).toBeNull();
  });
});
