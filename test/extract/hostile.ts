/**
 * Hostile PDFs, made small here: deflate of a repeated buffer is ~1000× smaller than what it
 * inflates to.
 */
import { once } from 'node:events';
import { createDeflate } from 'node:zlib';
import { onePageObjects, pdfFromObjects } from '../../src/invoices/warmup.ts';

/** zlib data inflating to `head` followed by `mb` MiB of `fill`. */
export async function deflateBomb(mb: number, head = '', fill = ' '): Promise<Buffer> {
  const z = createDeflate({ level: 9 });
  const out: Buffer[] = [];
  z.on('data', (c: Buffer) => out.push(c));
  const ended = once(z, 'end');
  z.write(head);
  const chunk = Buffer.alloc(1 << 20, fill);
  for (let i = 0; i < mb; i++) if (!z.write(chunk)) await once(z, 'drain');
  z.end();
  await ended;
  return Buffer.concat(out);
}

const FLATE = (data: Buffer, extra = '') =>
  `<< ${extra}/Filter /FlateDecode /Length ${data.length} >>\nstream\n${data.toString('latin1')}\nendstream`;

/** A one-page invoice PDF with a Factur-X attachment whose XML inflates to `mb` MiB (of `fill`). */
export async function xmlBombPdf(mb: number, fill = ' '): Promise<Buffer> {
  const xml = await deflateBomb(
    mb,
    '<?xml version="1.0" encoding="UTF-8"?>\n<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">',
    fill,
  );
  const objs = onePageObjects('BT /F1 12 Tf 72 720 Td (Rechnung 4711 Gesamtbetrag 119,00 EUR) Tj ET');
  objs[0] = '<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(factur-x.xml) 6 0 R] >> >> /AF [6 0 R] >>';
  objs.push('<< /Type /Filespec /F (factur-x.xml) /UF (factur-x.xml) /AFRelationship /Data /EF << /F 7 0 R /UF 7 0 R >> >>');
  objs.push(FLATE(xml, '/Type /EmbeddedFile /Subtype /text#2Fxml '));
  return pdfFromObjects(objs);
}

/** A one-page PDF whose content stream inflates to `mb` MiB (`fill` repeated after the start of a line of text). */
export async function pageBombPdf(mb: number, fill = ' '): Promise<Buffer> {
  const content = await deflateBomb(mb, 'BT /F1 12 Tf 72 720 Td (Invoice 1 Total 1.00) Tj\n', fill);
  const objs = onePageObjects('');
  objs[3] = FLATE(content);
  return pdfFromObjects(objs);
}
