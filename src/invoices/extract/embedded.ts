/**
 * Fast path to Factur-X / ZUGFeRD / XRechnung XML: embedded-file streams are always top-level
 * objects, so they can be found in the raw bytes and inflated without having pdf.js decode every
 * attachment (some invoices carry multi-megabyte PDFs and images next to their XML).
 * Anything unusual (encryption, other filters) yields nothing and the caller falls back to pdf.js.
 * Inflating is capped (MAX_XML_BYTES): an attachment that expands past it throws BombError.
 */
import { inflateCapped, MAX_XML_BYTES } from './guard.ts';

export function rawEmbeddedXml(bytes: Uint8Array): Uint8Array[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.indexOf('/EmbeddedFile') < 0 || buf.indexOf('/Encrypt') >= 0) return [];
  const out: Uint8Array[] = [];
  for (let at = buf.indexOf('/EmbeddedFile'); at >= 0; at = buf.indexOf('/EmbeddedFile', at + 13)) {
    // "/Type /EmbeddedFile" (not "/EmbeddedFiles", the name tree).
    if (buf[at + 13] === 0x73 /* s */) continue;
    const winStart = Math.max(0, at - 2000);
    const win = buf.subarray(winStart, Math.min(buf.length, at + 2000)).toString('latin1');
    const rel = at - winStart;
    if (!/\/Type\s*$/.test(win.slice(Math.max(0, rel - 12), rel))) continue;
    const objStart = win.lastIndexOf(' obj', rel);
    const streamRel = win.indexOf('stream', rel);
    if (objStart < 0 || streamRel < 0) continue;
    const dict = win.slice(objStart, streamRel);
    const subtype = /\/Subtype\s*\/([^\s/>]+)/.exec(dict)?.[1]?.replace(/#2F/gi, '/').toLowerCase();
    if (subtype && !subtype.includes('xml')) continue;
    const filter = /\/Filter\s*(?:\[\s*)?\/(\w+)/.exec(dict)?.[1];
    if (filter && filter !== 'FlateDecode') continue;
    let dataStart = winStart + streamRel + 'stream'.length;
    if (buf[dataStart] === 0x0d) dataStart++;
    if (buf[dataStart] === 0x0a) dataStart++;
    const lenMatch = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
    let dataEnd = lenMatch ? dataStart + Number(lenMatch[1]) : -1;
    if (dataEnd < dataStart || dataEnd > buf.length) dataEnd = buf.indexOf('endstream', dataStart);
    if (dataEnd < 0) continue;
    const raw = buf.subarray(dataStart, dataEnd);
    // Z_SYNC_FLUSH tolerates a truncated end; null: not inflatable here, left to pdf.js.
    const data = filter ? inflateCapped(raw, MAX_XML_BYTES) : raw;
    if (!data) continue;
    const head = data
      .subarray(0, 200)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart();
    if (head.startsWith('<')) out.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return out;
}

/**
 * Removes the content of base64 "…BinaryObject" elements (XRechnung / UBL carry whole PDFs inline)
 * before decoding and parsing: irrelevant to the fields and the bulk of the bytes.
 */
export function stripBinaryObjects(xml: Uint8Array): Buffer {
  const buf = Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength);
  if (buf.indexOf('BinaryObject') < 0) return buf;
  const parts: Buffer[] = [];
  let pos = 0;
  for (let i = buf.indexOf('BinaryObject', pos); i >= 0; i = buf.indexOf('BinaryObject', pos)) {
    const gt = buf.indexOf('>', i);
    if (gt < 0) break;
    const lt0 = buf.lastIndexOf('<', i);
    if (buf[gt - 1] === 0x2f /* / */ || buf[lt0 + 1] === 0x2f) {
      parts.push(buf.subarray(pos, gt + 1));
      pos = gt + 1;
      continue;
    }
    const lt = buf.indexOf('<', gt);
    if (lt < 0) break;
    parts.push(buf.subarray(pos, gt + 1));
    pos = lt;
  }
  parts.push(buf.subarray(pos));
  return Buffer.concat(parts);
}
