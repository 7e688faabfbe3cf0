import { createDeflate } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { pdfFromObjects } from '../../src/invoices/warmup.ts';

/**
 * Hostile files for the reliability tests and bench: small files whose reading costs far more than their size, and
 * files that are not what they claim. Each is generated here (nothing checked in), from public knowledge of the
 * formats (PDF object syntax, Factur-X embedding, XML entities); none is specific to a vendor.
 */

/** zlib of `unit` repeated up to `total` bytes, streamed: the inflated size never sits in memory here. */
export async function deflateRepeated(unit: string, total: number, head = '', tail = ''): Promise<Buffer> {
  const z = createDeflate({ level: 9 });
  const out: Buffer[] = [];
  z.on('data', (c: Buffer) => out.push(c));
  const done = new Promise<void>((resolve, reject) => z.once('end', resolve).once('error', reject));
  const chunk = Buffer.from(unit.repeat(Math.max(1, Math.floor((1 << 20) / unit.length))));
  z.write(head);
  for (let n = 0; n < total; n += chunk.length) if (!z.write(chunk)) await new Promise((r) => z.once('drain', r));
  z.end(tail);
  await done;
  return Buffer.concat(out);
}

const bin = (b: Buffer) => b.toString('latin1');
const FONT = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
const PAGE = (contents: string) =>
  `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${contents} /Resources << /Font << /F1 5 0 R >> >> >>`;
const TEXT = 'BT /F1 12 Tf 40 700 Td (Hostile Supplies Ltd  Invoice HB-1  Total Due 10.00) Tj ET';

/** A page whose content stream inflates to `mb` MB of text operators (a few KB on the wire). */
export async function pageFlateBomb(mb: number): Promise<Buffer> {
  const z = await deflateRepeated('BT /F1 1 Tf 10 10 Td (a) Tj ET\n', mb << 20, `${TEXT}\n`);
  return pdfFromObjects([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    PAGE('4 0 R'),
    `<< /Length ${z.length} /Filter /FlateDecode >>\nstream\n${bin(z)}\nendstream`,
    FONT,
  ]);
}

/** A Factur-X-style PDF whose embedded invoice XML is `xml` (already deflated). */
function withEmbeddedXml(z: Buffer): Buffer {
  return pdfFromObjects([
    '<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(factur-x.xml) 6 0 R] >> >> /AF [6 0 R] >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    PAGE('4 0 R'),
    `<< /Length ${TEXT.length} >>\nstream\n${TEXT}\nendstream`,
    FONT,
    '<< /Type /Filespec /F (factur-x.xml) /UF (factur-x.xml) /AFRelationship /Data /EF << /F 7 0 R >> >>',
    `<< /Type /EmbeddedFile /Subtype /text#2Fxml /Filter /FlateDecode /Length ${z.length} >>\nstream\n${bin(z)}\nendstream`,
  ]);
}

const CII_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?><rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"><rsm:ExchangedDocument>';
const CII_TAIL = '</rsm:ExchangedDocument></rsm:CrossIndustryInvoice>';

/** Embedded Factur-X XML that inflates to `mb` MB (issue 11.1: 409 KB → 400 MB). */
export async function xmlInflateBomb(mb: number): Promise<Buffer> {
  return withEmbeddedXml(await deflateRepeated('<ram:IncludedNote>aaaaaaaaaaaaaaaa</ram:IncludedNote>', mb << 20, CII_HEAD, CII_TAIL));
}

/** Embedded XML with nested entities ("billion laughs"): a few hundred bytes that expand to gigabytes. */
export async function entityBlowup(): Promise<Buffer> {
  let dtd = '<!ENTITY l0 "hahahahahahahahahaha">';
  for (let i = 1; i <= 9; i++) dtd += `<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`;
  const xml = `<?xml version="1.0"?><!DOCTYPE rsm:CrossIndustryInvoice [${dtd}]>${CII_HEAD}<ram:ID>&l9;</ram:ID>${CII_TAIL}`;
  return withEmbeddedXml(await deflateRepeated(' ', 1, xml));
}

/** A page dictionary nested `depth` arrays deep (recursive parsers blow their stack). */
export function deepNesting(depth: number): Buffer {
  return pdfFromObjects([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    PAGE(`4 0 R /Deep ${'['.repeat(depth)}${']'.repeat(depth)}`),
    `<< /Length ${TEXT.length} >>\nstream\n${TEXT}\nendstream`,
    FONT,
  ]);
}

/** `n` pages (10,000 in the issue), each with a little text. */
export function manyPages(n: number): Buffer {
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '', `<< /Length ${TEXT.length} >>\nstream\n${TEXT}\nendstream`, FONT];
  const kids: string[] = [];
  for (let i = 0; i < n; i++) {
    kids.push(`${objs.length + 1} 0 R`);
    objs.push('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>');
  }
  objs[1] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${n} >>`;
  return pdfFromObjects(objs);
}

/** A page tree whose Pages node lists itself among its kids (walkers that do not track visits never end). */
export function cyclicPageTree(): Buffer {
  return pdfFromObjects([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [2 0 R 3 0 R 6 0 R] /Count 3 >>',
    PAGE('4 0 R'),
    `<< /Length ${TEXT.length} >>\nstream\n${TEXT}\nendstream`,
    FONT,
    '<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 6 0 R] /Count 2 >>',
  ]);
}

/** A plain one-page PDF (for files that lie about their size or their address). */
export async function plainPdf(label: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([612, 792]).drawText(label, { x: 40, y: 700, size: 12, font });
  return Buffer.from(await doc.save());
}
