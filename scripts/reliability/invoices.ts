import { PDFDocument, StandardFonts } from 'pdf-lib';

/** Plain one-page supplier invoices with a unique number, for runs that book many distinct invoices. */

export interface PlainInvoice {
  vendor: string;
  number: string;
  date: string; // YYYY-MM-DD
  due: string;
  amount: number;
}

const us = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;

export async function invoicePdf(inv: PlainInvoice): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage([612, 792]);
  const t = (s: string, x: number, y: number, size = 10, f = font) => page.drawText(s, { x, y: 792 - y, size, font: f });
  t(inv.vendor, 40, 50, 16, bold);
  t('1200 Industrial Way, Denver, CO 80216', 40, 68);
  t('INVOICE', 420, 50, 16, bold);
  t(`Invoice No: ${inv.number}`, 400, 74);
  t(`Invoice Date: ${us(inv.date)}`, 400, 88);
  t(`Due Date: ${us(inv.due)}`, 400, 102);
  t('Bill To:', 40, 120);
  t('Keystone Builders LLC', 40, 132);
  t('Description', 40, 170);
  t('Amount', 500, 170);
  const money = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  t('Equipment rental and delivery', 40, 190);
  t(money(inv.amount), 500, 190);
  t('Total Due', 400, 240, 11, bold);
  t(`$${money(inv.amount)}`, 490, 240, 11, bold);
  return Buffer.from(await doc.save());
}

/** The i-th invoice of a run: vendors the seeded QBO company knows, amounts and numbers that never repeat. */
export function nthInvoice(run: string, i: number): PlainInvoice {
  const vendors = ['United Rentals', 'Sunbelt Rentals', 'Ferguson Enterprises', 'Fastenal', 'Grainger', 'Home Depot'];
  const day = String(1 + (i % 27)).padStart(2, '0');
  return {
    vendor: vendors[i % vendors.length],
    number: `${run}-${1000 + i}`,
    date: `2026-10-${day}`,
    due: `2026-11-${day}`,
    amount: 100 + i * 7.25,
  };
}
