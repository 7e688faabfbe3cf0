/**
 * Limits on what untrusted bytes may expand to. A PDF's Flate streams are inflated here, with an
 * output cap, before pdf.js sees the file: a stream that inflates past its cap (a "zip bomb" page or
 * attachment) makes the file `unsafe` in milliseconds instead of minutes of parsing and gigabytes of
 * memory. Image streams may be as large as their declared pixels; anything else has a fixed cap.
 */
import { constants, inflateSync } from 'node:zlib';

export class BombError extends Error {
  override name = 'BombError';
}

/** Embedded XML invoices (with inline attachments) stay far below this. */
export const MAX_XML_BYTES = 32 * 1024 * 1024;
/** A page content stream, font or other non-image stream. */
const MAX_STREAM_BYTES = 64 * 1024 * 1024;
/** All Flate streams of one file together. */
const MAX_TOTAL_BYTES = 768 * 1024 * 1024;

/** zlib's answer when `maxOutputLength` is reached. */
export function isOutputLimit(err: unknown): boolean {
  return err instanceof RangeError || (err as { code?: string } | null)?.code === 'ERR_BUFFER_TOO_LARGE';
}

/** Inflates with an output cap; throws BombError past it, returns null when the data is not Flate. */
export function inflateCapped(raw: Uint8Array, max: number): Buffer | null {
  try {
    return inflateSync(raw, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: max });
  } catch (err) {
    if (isOutputLimit(err)) throw new BombError(`stream inflates past ${max} bytes`);
    return null;
  }
}

function num(dict: string, key: string): number | null {
  const m = new RegExp(`/${key}\\s+(\\d+)(?!\\s+\\d+\\s+R)`).exec(dict);
  return m ? Number(m[1]) : null;
}

/** The cap for one stream: declared image size (+ slack for PNG predictors), else MAX_STREAM_BYTES. */
function capFor(dict: string): number {
  if (/\/Subtype\s*\/Image/.test(dict)) {
    const w = num(dict, 'Width') ?? 0;
    const h = num(dict, 'Height') ?? 0;
    const bpc = num(dict, 'BitsPerComponent') ?? 8;
    const declared = Math.ceil((w * bpc * 4) / 8 + 1) * h;
    return Math.max(MAX_STREAM_BYTES, Math.min(declared * 1.1, 1024 * 1024 * 1024));
  }
  return MAX_STREAM_BYTES;
}

/** Throws BombError when a Flate stream of the PDF inflates past its cap, or all of them past the total. */
export function checkFlateStreams(bytes: Uint8Array): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.indexOf('/FlateDecode') < 0 || buf.indexOf('/Encrypt') >= 0) return;
  let total = 0;
  for (let at = buf.indexOf('stream', 0); at >= 0; at = buf.indexOf('stream', at + 6)) {
    if (at >= 3 && buf.toString('latin1', at - 3, at) === 'end') continue;
    const winStart = Math.max(0, at - 1500);
    const win = buf.toString('latin1', winStart, at);
    const objAt = win.lastIndexOf(' obj');
    const dict = objAt >= 0 ? win.slice(objAt) : win;
    // Only streams whose first filter is Flate: others are decoded by pdf.js within the worker's limits.
    if (!/\/Filter\s*(?:\[\s*)?\/FlateDecode/.test(dict)) continue;
    let start = at + 6;
    if (buf[start] === 0x0d) start++;
    if (buf[start] === 0x0a) start++;
    const len = num(dict, 'Length');
    let end = len !== null && start + len <= buf.length ? start + len : buf.indexOf('endstream', start);
    if (end < 0) end = buf.length;
    const out = inflateCapped(buf.subarray(start, end), Math.min(capFor(dict), MAX_TOTAL_BYTES - total));
    total += out?.length ?? 0;
    at = end;
  }
}
