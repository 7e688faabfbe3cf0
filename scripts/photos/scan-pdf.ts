/**
 * "Scanned PDFs": PDFs with no text layer, only page images (JPEG), as a scanner or a scanning app writes them.
 * `longScan` builds the 20- and 30-page scans the budget test and the ack benchmark need at run time, from the
 * committed degraded images, so no multi-megabyte file is committed.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';

export interface ScanPage {
  jpeg: Buffer;
  width: number;
  height: number;
  /** Pixels per inch the page was scanned at (sets the PDF page size). */
  dpi: number;
}

export async function scanPdf(pages: ScanPage[], title = 'Scan'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  // Fixed metadata: pdf-lib would otherwise stamp the current time and the bytes would change on every run.
  const epoch = new Date('2024-01-01T00:00:00Z');
  doc.setTitle(title);
  doc.setProducer('scanner');
  doc.setCreator('scanner');
  doc.setCreationDate(epoch);
  doc.setModificationDate(epoch);
  for (const p of pages) {
    const img = await doc.embedJpg(p.jpeg);
    const w = (p.width / p.dpi) * 72;
    const h = (p.height / p.dpi) * 72;
    const page = doc.addPage([w, h]);
    page.drawImage(img, { x: 0, y: 0, width: w, height: h });
  }
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

export const photosDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/photos');

/** Reads JPEG width/height from its SOF marker (no decoder needed). */
export function jpegSize(b: Buffer): { width: number; height: number } {
  let i = 2;
  while (i < b.length) {
    if (b[i] !== 0xff) throw new Error('not a JPEG');
    const marker = b[i + 1];
    const len = b.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    }
    i += 2 + len;
  }
  throw new Error('no JPEG frame header');
}

/** The page images (JPEG bytes) embedded in a scanned PDF, in page order. */
export async function scanPages(pdf: Buffer): Promise<Buffer[]> {
  const doc = await PDFDocument.load(pdf);
  const out: Buffer[] = [];
  for (const page of doc.getPages()) {
    const xobjects = page.node.Resources()?.lookup(PDFName.of('XObject'), PDFDict);
    for (const [, ref] of xobjects?.entries() ?? []) {
      const obj = doc.context.lookup(ref);
      if (obj instanceof PDFRawStream && obj.dict.get(PDFName.of('Filter')) === PDFName.of('DCTDecode')) out.push(Buffer.from(obj.contents));
    }
  }
  return out;
}

/**
 * A scan of `pages` pages with no text layer, as a supplier's scanner sends a batch: the page images of the committed
 * upright scanned PDFs, one per page, cycling when there are fewer than `pages`. Deterministic; well under a second.
 */
export async function longScan(pages: number, dir = photosDir): Promise<Buffer> {
  const expected = JSON.parse(await readFile(path.join(dir, 'expected.json'), 'utf8')) as Record<
    string,
    { degraded?: { kind?: string; perPage?: { turn?: number }[] } }
  >;
  const names = (await readdir(dir))
    .filter((f) => f.endsWith('.pdf') && expected[f]?.degraded?.kind === 'scan' && expected[f].degraded?.perPage?.every((p) => !p.turn))
    .sort();
  const imgs: ScanPage[] = [];
  for (const f of names) for (const jpeg of await scanPages(await readFile(path.join(dir, f)))) imgs.push({ jpeg, ...jpegSize(jpeg), dpi: 200 });
  if (!imgs.length) throw new Error(`no upright scanned PDFs in ${dir}`);
  return scanPdf(
    Array.from({ length: pages }, (_, i) => imgs[i % imgs.length]),
    `Scan of ${pages} pages`,
  );
}
