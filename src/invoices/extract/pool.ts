/**
 * A bounded pool of worker threads (piscina) that reads files: nothing of a file's reading runs on
 * the main thread. Each file has a budget of pages and seconds (past it: `too_long`, with the fields
 * read so far), each worker a heap cap and a hard timeout; a worker that crashes, runs out of memory
 * or hangs is replaced and its file is `unsafe` (or `too_long`) — the app and the other files go on.
 */
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { ExtractOptions, Extraction, Unreadable } from './index.ts';
import { unreadable } from './unreadable.ts';
import type { PoolTask } from './pool-task.ts';
import { tinyPdf } from '../warmup.ts';

export interface ExtractPoolOptions {
  /** Worker threads (files read at once). */
  size: number;
  /** OCR'd pages per file. */
  maxPages: number;
  /** Seconds per file. */
  maxSeconds: number;
  /** Heap cap per worker thread, MB (default 768). */
  heapMb?: number;
  /** A worker still busy with a file after this long is terminated (default maxSeconds + 25%, at least +15 s). */
  hardTimeoutMs?: number;
}

export type ReadOptions = ExtractOptions & {
  onProgress?: (p: { page: number; pages: number }) => void;
  /** The caller gives up (its own deadline): the read is dropped, its worker terminated if it had started. */
  signal?: AbortSignal;
  /** A worker has started on the file (it may have waited for one): a caller's deadline counts from here. */
  onStart?: () => void;
};

const WORKER = new URL('./pool-worker.mjs', import.meta.url).href;

export class ExtractPool {
  private readonly pool: Piscina<PoolTask, Extraction | Unreadable>;
  private inflight = 0;

  constructor(private readonly opts: ExtractPoolOptions) {
    const size = Math.max(1, Math.floor(opts.size));
    this.pool = new Piscina({
      filename: WORKER,
      minThreads: 0,
      maxThreads: size,
      idleTimeout: 120_000,
      resourceLimits: { maxOldGenerationSizeMb: opts.heapMb ?? 768, maxYoungGenerationSizeMb: 64 },
    });
  }

  /** Files being read or waiting for a worker; `queued` of them are waiting. */
  get stats(): { inflight: number; queued: number; threads: number } {
    return { inflight: this.inflight, queued: this.pool.queueSize, threads: this.pool.threads.length };
  }

  async read(bytes: Buffer, opts: ReadOptions = {}): Promise<Extraction | Unreadable> {
    const { onProgress, signal, onStart, ...rest } = opts;
    if (signal?.aborted) return unreadable('too_long');
    // A copy is transferred: the caller's buffer is attached to the QBO transaction later.
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    const channel = new MessageChannel();
    // The worker stops starting pages at maxSeconds; past this, it is stuck inside one step and is terminated.
    const hardMs = this.opts.hardTimeoutMs ?? (this.opts.maxSeconds + Math.max(15, this.opts.maxSeconds * 0.25)) * 1000;
    const abort = new AbortController();
    const giveUp = () => abort.abort();
    signal?.addEventListener('abort', giveUp, { once: true });
    let timer: NodeJS.Timeout | undefined;
    channel.port1.on('message', (m: { started?: true; progress?: { page: number; pages: number } }) => {
      if (m.started) {
        timer = setTimeout(() => abort.abort(), hardMs);
        onStart?.();
      }
      if (m.progress) onProgress?.(m.progress);
    });
    const task: PoolTask = {
      bytes: copy.buffer,
      opts: { ...rest, budget: { maxPages: this.opts.maxPages, maxSeconds: this.opts.maxSeconds } },
      port: channel.port2,
    };
    this.inflight++;
    try {
      return await this.pool.run(task, { transferList: [copy.buffer, channel.port2] as never, signal: abort.signal });
    } catch {
      // Aborted (hard timeout: the worker is terminated), or the worker died (OOM, crash): a replacement serves the next file.
      return abort.signal.aborted ? unreadable('too_long') : unreadable('unsafe');
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', giveUp);
      this.inflight--;
      channel.port1.close();
    }
  }

  /** Starts a worker (it loads pdf.js and the OCR modules off the main thread) so the first file is not kept waiting. */
  async warmUp(): Promise<void> {
    await this.read(tinyPdf('Invoice 1 from Warm-Up Supplies Ltd, total due 1.00 USD'));
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
