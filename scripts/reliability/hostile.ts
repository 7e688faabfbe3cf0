import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFRawStream, StandardFonts } from 'pdf-lib';

/**
 * Hostile files for the reliability tests and bench: small files whose reading costs far more than their size.
 * Each is generated (nothing checked in), from public knowledge of the formats; none is specific to a vendor.
 */

async function onePage(label: string) {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([612, 792]);
  page.drawText(label, { x: 40, y: 700, size: 12, font });
  return { doc, page };
}

/** A page whose content stream inflates to `mb` MB of text operators (a few KB on the wire). */
export async function pageFlateBomb(mb: number): Promise<Buffer> {
  const { doc, page } = await onePage('Hostile Supplies Ltd Invoice HB-1 Total 10.00');
  const op = 'BT /F1 1 Tf 10 10 Td (a) Tj ET\n';
  const raw = Buffer.from(op.repeat(Math.ceil((mb * 1024 * 1024) / op.length)));
  const z = deflateSync(raw, { level: 9 });
  const ref = doc.context.register(PDFRawStream.of(doc.context.obj({ Filter: 'FlateDecode', Length: z.length }), z));
  const existing = page.node.Contents();
  page.node.set(PDFName.of('Contents'), doc.context.obj(existing ? [ref, existing] : [ref]));
  return Buffer.from(await doc.save());
}
