/**
 * What runs in an extraction worker thread: the whole reading of one file (PDF parse, XML inflate,
 * rendering, OCR). Progress goes back over the MessagePort the task carries.
 */
import type { MessagePort } from 'node:worker_threads';
import { tinyPdf } from '../warmup.ts';
import { type ExtractOptions, extractInvoice } from './index.ts';

export interface PoolTask {
  bytes: ArrayBuffer;
  opts: Omit<ExtractOptions, 'onProgress'>;
  port?: MessagePort;
}

export default async function run(task: PoolTask) {
  const { port } = task;
  // The hard timeout runs from here: waiting for a free worker is not the file's fault.
  port?.postMessage({ started: true });
  try {
    return await extractInvoice(Buffer.from(task.bytes), {
      ...task.opts,
      onProgress: port ? (p) => port.postMessage({ progress: p }) : undefined,
    });
  } finally {
    port?.close();
  }
}

/**
 * Loads and runs pdf.js once on a one-line text PDF (about a second the first time): a worker is ready as soon as
 * pdf.js is. Tesseract starts at the first image or scan instead (about a second, once per worker): warming it here
 * too kept ~20 MB more resident in every idle instance (bench:startup 187 → 207 MB), most of which never read a photo.
 */
export async function warmUp(): Promise<void> {
  await extractInvoice(tinyPdf('Invoice 1 from Warm-Up Supplies Ltd, total due 1.00 USD'));
}
