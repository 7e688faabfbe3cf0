/** Shared drawing kit for scripts/make-invoices.ts: the expected-record types, number formats and a page helper. */
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';

export interface Line {
  description: string;
  quantity?: number;
  unitPrice?: number;
  amount: number;
}
export interface Expected {
  vendor: string;
  invoiceNumber: string;
  invoiceDate: string;
  dueDate?: string;
  total: number;
  currency: string;
  amountDue?: number;
  lines?: Line[];
}

export interface Fonts {
  reg: PDFFont;
  bold: PDFFont;
  obl: PDFFont;
  mono: PDFFont;
}

export const usd = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
export const num = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const r2 = (n: number) => Math.round(n * 100) / 100;
const grey = rgb(0.35, 0.35, 0.35);

export class Sheet {
  page: PDFPage;
  constructor(
    readonly doc: PDFDocument,
    readonly f: Fonts,
  ) {
    this.page = doc.addPage([612, 792]);
  }
  newPage() {
    this.page = this.doc.addPage([612, 792]);
  }
  /** y measured from the top of the page. */
  t(s: string, x: number, y: number, size = 10, font: PDFFont = this.f.reg, color = rgb(0, 0, 0)) {
    this.page.drawText(s, { x, y: 792 - y, size, font, color });
  }
  r(s: string, xRight: number, y: number, size = 10, font: PDFFont = this.f.reg) {
    this.t(s, xRight - font.widthOfTextAtSize(s, size), y, size, font);
  }
  c(s: string, xCenter: number, y: number, size = 10, font: PDFFont = this.f.reg) {
    this.t(s, xCenter - font.widthOfTextAtSize(s, size) / 2, y, size, font);
  }
  hr(y: number, x1 = 40, x2 = 572, thickness = 0.7) {
    this.page.drawLine({ start: { x: x1, y: 792 - y }, end: { x: x2, y: 792 - y }, thickness, color: grey });
  }
  box(x: number, y: number, w: number, h: number, fill?: number) {
    this.page.drawRectangle({
      x,
      y: 792 - y - h,
      width: w,
      height: h,
      borderColor: grey,
      borderWidth: 0.7,
      color: fill === undefined ? undefined : rgb(fill, fill, fill),
    });
  }
}

export async function newDoc(title: string, author: string) {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setAuthor(author);
  doc.setProducer('scripts/make-invoices.ts (pdf-lib)');
  doc.setCreator('scripts/make-invoices.ts');
  doc.setCreationDate(new Date('2025-01-01T00:00:00Z'));
  doc.setModificationDate(new Date('2025-01-01T00:00:00Z'));
  const f: Fonts = {
    reg: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
    obl: await doc.embedFont(StandardFonts.HelveticaOblique),
    mono: await doc.embedFont(StandardFonts.Courier),
  };
  return { doc, s: new Sheet(doc, f), f };
}
