/**
 * How the bench reads a file: through the extractor pool (`ExtractPool`, src/invoices/extract/pool.ts: images, scans
 * and OCR off the event loop) when the project has it, else `extractInvoice` in this thread (text layer, XML, and OCR of images and scans). The pool is
 * loaded by path so this script type-checks on either side of that change.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { closeExtractor, extractInvoice } from '../../src/invoices/extract/index.ts';
import type { Read } from './score.ts';

const poolPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/invoices/extract/pool.ts');

interface PoolLike {
  read(bytes: Buffer, opts?: Record<string, unknown>): Promise<unknown>;
  close?(): Promise<void>;
  destroy?(): Promise<void>;
  stop?(): Promise<void>;
}

export interface Reader {
  kind: 'ExtractPool' | 'extractInvoice';
  read(bytes: Buffer, name: string, opts?: Record<string, unknown>): Promise<Read>;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.pdf': 'application/pdf', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp',
  '.tif': 'image/tiff', '.tiff': 'image/tiff', '.heic': 'image/heic',
};
export const mimeOf = (name: string) => MIME[path.extname(name).toLowerCase()] ?? 'application/octet-stream';

function asRead(r: unknown): Read {
  if (r && typeof r === 'object' && 'ok' in r) return r as Read;
  return { ok: false, reason: 'no result' };
}

/** A reader with `size` workers (the pool), `maxPages`/`maxSeconds` the per-file budget when the pool takes one. */
export async function openReader(o: { size: number; maxPages?: number; maxSeconds?: number }): Promise<Reader> {
  if (existsSync(poolPath)) {
    const mod = (await import(pathToFileURL(poolPath).href)) as { ExtractPool?: new (o: Record<string, unknown>) => PoolLike };
    if (mod.ExtractPool) {
      const pool = new mod.ExtractPool({ size: o.size, maxPages: o.maxPages ?? 40, maxSeconds: o.maxSeconds ?? 600 });
      return {
        kind: 'ExtractPool',
        read: async (bytes, name, opts) => asRead(await pool.read(bytes, { filename: name, mimetype: mimeOf(name), ...opts })),
        close: async () => {
          await (pool.close ?? pool.destroy ?? pool.stop)?.call(pool);
        },
      };
    }
  }
  return {
    kind: 'extractInvoice',
    read: async (bytes, _name, opts) => asRead(await extractInvoice(bytes, opts)),
    close: async () => {
      await closeExtractor();
    },
  };
}
