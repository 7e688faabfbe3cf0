/**
 * How the bench reads a file: through `ExtractPool` (src/invoices/extract/pool.ts), the worker-thread pool the app
 * reads with — text layer, XML, and OCR of images and scans, none of it on the main thread. `size` workers; the bench
 * uses one, so per-page times are one core's.
 */
import { ExtractPool } from '../../src/invoices/extract/pool.ts';
import type { Read } from './score.ts';

export interface Reader {
  kind: 'ExtractPool';
  read(bytes: Buffer, name: string): Promise<Read>;
  close(): Promise<void>;
}

/** A reader with `size` workers; `maxPages`/`maxSeconds` the per-file budget (generous: the sets measure reading). */
export async function openReader(o: { size: number; maxPages?: number; maxSeconds?: number }): Promise<Reader> {
  const pool = new ExtractPool({ size: o.size, maxPages: o.maxPages ?? 40, maxSeconds: o.maxSeconds ?? 600 });
  await pool.warmUp();
  return {
    kind: 'ExtractPool',
    read: async (bytes) => (await pool.read(bytes)) as Read,
    close: () => pool.close(),
  };
}
