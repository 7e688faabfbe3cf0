import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { extractInvoice } from '../../src/invoices/extract/index.ts';

async function longInvoice(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  let total = 0;
  for (let p = 1; p <= pages; p++) {
    const page = doc.addPage([612, 792]);
    const t = (s: string, x: number, y: number, size = 10) => page.drawText(s, { x, y: 792 - y, size, font });
    if (p === 1) {
      t('Granite State Lumber Co.', 40, 50, 16);
      t('Invoice No: GSL-88120', 400, 50);
      t('Invoice Date: 06/02/2025', 400, 64);
      t('Due Date: 07/02/2025', 400, 78);
      t('Bill To:', 40, 100);
      t('Ridgeline Builders LLC', 40, 112);
    }
    t('Description', 40, 140);
    t('Amount', 520, 140);
    for (let i = 0; i < 30; i++) {
      const amount = 10 + i;
      total += amount;
      t(`Item ${p}-${i} 2x4x8 stud`, 40, 160 + i * 18);
      t(amount.toFixed(2), 520, 160 + i * 18);
    }
    t(`Page ${p} of ${pages}`, 280, 770, 8);
  }
  const last = doc.getPage(pages - 1);
  last.drawText('Total Due', { x: 400, y: 792 - 720, size: 11, font });
  last.drawText(`$${total.toLocaleString('en-US', { minimumFractionDigits: 2 })}`, {
    x: 500,
    y: 792 - 720,
    size: 11,
    font,
  });
  return Buffer.from(await doc.save());
}

describe('long invoices', () => {
  it('reads the header from the first pages and the total from the last', async () => {
    const r = await extractInvoice(await longInvoice(14));
    expect(r).toMatchObject({
      ok: true,
      pages: 14,
      vendor: 'Granite State Lumber Co.',
      invoiceNumber: 'GSL-88120',
      invoiceDate: '2025-06-02',
      dueDate: '2025-07-02',
      total: 14 * (30 * 10 + (29 * 30) / 2),
      currency: 'USD',
    });
  });
});
