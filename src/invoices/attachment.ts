import { Worker } from 'node:worker_threads';

/**
 * The file attached to the QuickBooks transaction. The original bytes whenever QuickBooks takes their type — PDFs,
 * JPEG, PNG, GIF and TIFF images, office and text files — sent with the type the bytes really are (Slack's declared
 * mimetype can be generic). QuickBooks does not take HEIC (iPhone photos) or WebP: those are attached as a JPEG
 * made from the original (named after it, `IMG_0412.heic.jpg`); the original stays stored with the invoice.
 */

export interface Attachment {
  bytes: Buffer;
  fileName: string;
  contentType: string;
  /** Set when the bytes are not the original file (a JPEG copy of a HEIC/WebP photo). */
  convertedFrom?: string;
}

/** Content types QuickBooks Online accepts for an Attachable upload (its documented file types). */
export const QBO_ATTACHMENT_TYPES = new Set([
  'application/pdf',
  'image/jpeg',
  'image/jpg',
  'image/png',
  'image/gif',
  'image/tiff',
  'text/plain',
  'text/csv',
  'text/xml',
  'application/xml',
  'application/rtf',
  'text/rtf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.apple.pages',
  'application/x-iwork-pages-sffpages',
  'application/postscript',
  'application/illustrator',
]);

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1', 'heif']);

/** What the bytes are, by their first bytes (null: not a format we tell apart; trust the declared type). */
export function sniffType(b: Buffer): string | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length >= 4 && b.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (b.length >= 4 && (b.subarray(0, 4).toString('latin1') === 'II*\0' || b.subarray(0, 4).toString('latin1') === 'MM\0*')) return 'image/tiff';
  if (b.length >= 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  if (b.length >= 12 && b.subarray(4, 8).toString('latin1') === 'ftyp' && HEIF_BRANDS.has(b.subarray(8, 12).toString('latin1'))) return 'image/heic';
  if (b.subarray(0, 1024).includes('%PDF-')) return 'application/pdf';
  return null;
}

const HEIC_WORKER = new URL('./heic-decode-worker.mjs', import.meta.url);
const HEIC_TIMEOUT_MS = 60_000;

/** HEIC → RGBA in a worker thread of its own (decoding is seconds of CPU on a big photo): the event loop stays free. */
function decodeHeic(bytes: Buffer): Promise<{ width: number; height: number; data: Uint8Array }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(HEIC_WORKER, { workerData: new Uint8Array(bytes) });
    const timer = setTimeout(() => void worker.terminate().then(() => reject(new Error('decoding the HEIC photo took too long'))), HEIC_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      void worker.terminate();
    };
    worker.once('message', (m: { width: number; height: number; data: Uint8Array } | { error: string }) => {
      done();
      if ('error' in m) reject(new Error(`could not decode the HEIC photo: ${m.error}`));
      else resolve(m);
    });
    worker.once('error', (err) => {
      done();
      reject(err);
    });
  });
}

async function toJpeg(bytes: Buffer, type: string): Promise<Buffer> {
  // sharp (libvips, ~30 MB resident) loads only when a HEIC/WebP photo is first converted, not at every start.
  const { default: sharp } = await import('sharp');
  if (type === 'image/heic') {
    const img = await decodeHeic(bytes);
    return sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), {
      raw: { width: img.width, height: img.height, channels: 4 },
    })
      .jpeg({ quality: 90 })
      .toBuffer();
  }
  return sharp(bytes).rotate().jpeg({ quality: 90 }).toBuffer();
}

export async function attachmentOf(file: { bytes: Buffer; fileName: string; mimeType: string }): Promise<Attachment> {
  const declared = file.mimeType.split(';')[0].trim().toLowerCase();
  const type = sniffType(file.bytes) ?? declared;
  if (type === 'image/heic' || type === 'image/heif' || type === 'image/webp') {
    return {
      bytes: await toJpeg(file.bytes, type === 'image/webp' ? type : 'image/heic'),
      fileName: `${file.fileName}.jpg`,
      contentType: 'image/jpeg',
      convertedFrom: type,
    };
  }
  return { bytes: file.bytes, fileName: file.fileName, contentType: type === 'image/jpg' ? 'image/jpeg' : type };
}
