import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, PDFHexString, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { extractInvoice, isPdf } from '../../src/invoices/extract/index.ts';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/invoices');

async function encryptedPdf(): Promise<Buffer> {
  // A Standard security handler whose user password is not empty: pdf.js asks for a password.
  const doc = await PDFDocument.create();
  doc.addPage().drawText('Invoice 123 Total $5.00', {
    x: 50,
    y: 700,
    size: 12,
    font: await doc.embedFont(StandardFonts.Helvetica),
  });
  const enc = doc.context.obj({
    Filter: 'Standard',
    V: 1,
    R: 2,
    Length: 40,
    P: -44,
    O: PDFHexString.of('11'.repeat(32)),
    U: PDFHexString.of('22'.repeat(32)),
  });
  doc.context.trailerInfo.Encrypt = doc.context.register(enc);
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of('ab'.repeat(16)), PDFHexString.of('ab'.repeat(16))]);
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

async function scannedPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage().drawRectangle({ x: 40, y: 40, width: 300, height: 200 });
  return Buffer.from(await doc.save());
}

describe('unreadable input', () => {
  it('recognises PDFs by their magic bytes', () => {
    expect(isPdf(Buffer.from('%PDF-1.7\n'))).toBe(true);
    expect(isPdf(Buffer.from('\n\n%PDF-1.4'))).toBe(true);
    expect(isPdf(Buffer.from('PK\u0003\u0004'))).toBe(false);
    expect(isPdf(Buffer.alloc(0))).toBe(false);
  });

  it.each([
    ['not a PDF', () => Buffer.from('Hello, this is a text file'), 'not_pdf'],
    ['empty', () => Buffer.alloc(0), 'not_pdf'],
    ['PNG', () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'not_pdf'],
    ['truncated/corrupt', () => Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog'), 'corrupt'],
    ['encrypted', encryptedPdf, 'encrypted'],
    ['image-only (no text layer)', scannedPdf, 'no_text'],
  ] as const)('%s → %s, with a message for the user', async (_, make, reason) => {
    const r = await extractInvoice(await make());
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(r.message.length).toBeGreaterThan(20);
    }
  });

  it('refuses files over the size limit', async () => {
    const r = await extractInvoice(readFileSync(path.join(fixtures, 'invoice2data-oyo.pdf')), { maxBytes: 1000 });
    expect(r).toMatchObject({ ok: false, reason: 'too_large' });
  });

  it('never throws on odd input', async () => {
    for (const bad of [undefined, null, 'string', 42, {}] as unknown[]) {
      await expect(extractInvoice(bad as Buffer)).resolves.toMatchObject({ ok: false });
    }
  });

  it('leaves the caller’s bytes intact (they are attached to the QBO transaction)', async () => {
    const bytes = readFileSync(path.join(fixtures, 'ferd-EN16931_Einfach.pdf'));
    const copy = Buffer.from(bytes);
    const r1 = await extractInvoice(bytes);
    const r2 = await extractInvoice(bytes, { textOnly: true });
    expect(r1.ok && r2.ok).toBe(true);
    expect(bytes.length).toBe(copy.length);
    expect(bytes.equals(copy)).toBe(true);
    // A Uint8Array view over a shared buffer survives too.
    const view = new Uint8Array(copy.buffer.slice(0), copy.byteOffset, copy.length);
    await extractInvoice(Buffer.from(view.buffer, view.byteOffset, view.length));
    expect(view.byteLength).toBe(copy.length);
  });
});
