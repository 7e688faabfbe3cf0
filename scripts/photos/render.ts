/**
 * Renders invoice PDF pages to PNG with pdf-parse 2.4's getScreenshot (pdf.js + @napi-rs/canvas), and finds the page
 * that prints the total (page 1 and that page are what a person photographs or scans).
 */
import { PDFParse } from 'pdf-parse';

export async function renderPages(pdf: Buffer, pages: number[], dpi: number): Promise<Buffer[]> {
  const parser = new PDFParse({ data: new Uint8Array(pdf), verbosity: 0 });
  try {
    const shot = await parser.getScreenshot({
      partial: pages,
      scale: dpi / 72,
      imageDataUrl: false,
      imageBuffer: true,
    });
    const byNum = new Map(shot.pages.map((p) => [p.pageNumber, Buffer.from(p.data)]));
    return pages.map((n) => {
      const b = byNum.get(n);
      if (!b) throw new Error(`page ${n} not rendered`);
      return b;
    });
  } finally {
    await parser.destroy();
  }
}

/** The ways a total is printed (1234.56, 1,234.56, 1.234,56, 1234,56, 1 234,56). */
export function totalForms(total: number): string[] {
  const abs = Math.abs(total);
  const fixed = abs.toFixed(2);
  const [int, dec] = fixed.split('.');
  const group = (sep: string) => int.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  return [...new Set([fixed, `${group(',')}.${dec}`, `${group('.')},${dec}`, `${int},${dec}`, `${group(' ')},${dec}`, `${group('\u202f')},${dec}`])];
}

/** Page count, and the pages to shoot: page 1, and the first page printing the total when page 1 does not. */
export async function pagesToShoot(pdf: Buffer, total: number | undefined): Promise<{ pageCount: number; pages: number[] }> {
  const parser = new PDFParse({ data: new Uint8Array(pdf), verbosity: 0 });
  try {
    const text = await parser.getText();
    const forms = total === undefined ? [] : totalForms(total);
    const hits = text.pages.filter((p) => forms.some((f) => p.text.includes(f))).map((p) => p.num);
    const first = hits.length ? hits[0] : 1;
    return { pageCount: text.total, pages: first === 1 ? [1] : [1, first] };
  } finally {
    await parser.destroy();
  }
}
