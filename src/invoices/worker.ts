import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { jobs } from '../db/schema.ts';
import type { Logger } from '../log.ts';

/**
 * A durable job queue in SQLite. Jobs are claimed with a lease; a job whose worker died is claimed again when the
 * lease runs out, so a restart loses nothing. Failures back off exponentially with jitter.
 */

export type Job = typeof jobs.$inferSelect;
export interface JobContext {
  attempt: number; // 1-based
  final: boolean; // no retry after this one
}
export type Handler = (payload: Record<string, unknown>, ctx: JobContext, job: Job) => Promise<void>;

/** Throw from a handler to ask for a retry after a given delay (e.g. QBO throttling). */
export class RetryLater extends Error {
  constructor(message: string, readonly delayMs?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetryLater';
  }
}
/** Throw from a handler when retrying cannot help. */
export class PermanentFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentFailure';
  }
}

export interface WorkerOptions {
  concurrency: number;
  /** At most this many jobs of one workspace at a time, so one company's backlog never starves the others. */
  perTeamConcurrency?: number;
  pollMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs?: number;
  leaseMs?: number;
}

export class Worker {
  private handlers = new Map<string, Handler>();
  private running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly db: Db, private readonly log: Logger, private readonly opts: WorkerOptions) {}

  register(kind: string, handler: Handler) {
    this.handlers.set(kind, handler);
  }

  /** Queues a job; with a dedupeKey, a job already queued or running for that key is reused. */
  enqueue(kind: string, payload: Record<string, unknown>, o: { teamId?: string; dedupeKey?: string; delayMs?: number } = {}): number {
    const id = this.db.transaction((tx) => {
      if (o.dedupeKey) {
        const existing = tx
          .select({ id: jobs.id })
          .from(jobs)
          .where(and(eq(jobs.dedupeKey, o.dedupeKey), inArray(jobs.status, ['queued', 'running'])))
          .get();
        if (existing) return existing.id;
      }
      return tx
        .insert(jobs)
        .values({ kind, payload, teamId: o.teamId ?? null, dedupeKey: o.dedupeKey ?? null, runAt: Date.now() + (o.delayMs ?? 0) })
        .returning({ id: jobs.id })
        .get().id;
    });
    this.kick();
    return id;
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.kick();
  }

  /** Stops claiming jobs and waits for the ones in flight (graceful shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.running]);
  }

  /** Resolves when no job is queued (even for later) or running: tests and the demo use it to wait for the queue. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  pending(): number {
    return this.db.select({ n: sql<number>`count(*)` }).from(jobs).where(inArray(jobs.status, ['queued', 'running'])).get()!.n;
  }

  private isIdle() {
    return this.running.size === 0 && this.pending() === 0;
  }

  private kick() {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), 0);
    this.timer.unref?.();
  }

  private tick() {
    this.timer = null;
    if (this.stopped) return;
    while (this.running.size < this.opts.concurrency) {
      const job = this.claim();
      if (!job) break;
      const p = this.execute(job).finally(() => {
        this.running.delete(p);
        this.kick();
      });
      this.running.add(p);
    }
    if (this.idleWaiters.length && this.isIdle()) this.idleWaiters.splice(0).forEach((r) => r());
    if (!this.stopped) {
      this.timer = setTimeout(() => this.tick(), this.opts.pollMs);
      this.timer.unref?.();
    }
  }

  /**
   * Atomically takes the next due job (or one whose lease expired because its worker died), skipping workspaces
   * that already have their share of jobs running.
   */
  private claim(): Job | null {
    const now = Date.now();
    const leaseUntil = now + (this.opts.leaseMs ?? 5 * 60_000);
    const perTeam = this.opts.perTeamConcurrency ?? this.opts.concurrency;
    // better-sqlite3 is synchronous: this single UPDATE … RETURNING cannot interleave with another claim.
    const row = this.db.$client
      .prepare(
        `UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_until = ?
         WHERE id = (
           SELECT id FROM jobs
           WHERE ((status = 'queued' AND run_at <= ?) OR (status = 'running' AND lease_until < ?))
             AND (team_id IS NULL OR team_id NOT IN (
               SELECT team_id FROM jobs WHERE status = 'running' AND lease_until >= ? AND team_id IS NOT NULL
               GROUP BY team_id HAVING count(*) >= ?))
           ORDER BY run_at, id LIMIT 1)
         RETURNING id`,
      )
      .get(leaseUntil, now, now, now, perTeam) as { id: number } | undefined;
    return row ? (this.db.select().from(jobs).where(eq(jobs.id, row.id)).get() ?? null) : null;
  }

  private async execute(job: Job): Promise<void> {
    const handler = this.handlers.get(job.kind);
    const final = job.attempts >= this.opts.maxAttempts;
    try {
      if (!handler) throw new PermanentFailure(`no handler for job kind ${job.kind}`);
      await handler(job.payload, { attempt: job.attempts, final }, job);
      this.db.update(jobs).set({ status: 'done', leaseUntil: null, lastError: null, updatedAt: new Date().toISOString() }).where(eq(jobs.id, job.id)).run();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof PermanentFailure || final) {
        this.log.error('job failed for good', { jobId: job.id, kind: job.kind, attempts: job.attempts, error: message });
        this.db.update(jobs).set({ status: 'dead', leaseUntil: null, lastError: message, updatedAt: new Date().toISOString() }).where(eq(jobs.id, job.id)).run();
        return;
      }
      const delay = err instanceof RetryLater && err.delayMs != null ? err.delayMs : this.backoff(job.attempts);
      this.log.warn('job will retry', { jobId: job.id, kind: job.kind, attempt: job.attempts, delayMs: delay, error: message });
      this.db
        .update(jobs)
        .set({ status: 'queued', runAt: Date.now() + delay, leaseUntil: null, lastError: message, updatedAt: new Date().toISOString() })
        .where(eq(jobs.id, job.id))
        .run();
    }
  }

  /** Exponential backoff with full jitter: base·2^(n-1), capped, times a random factor in [0.5, 1]. */
  backoff(attempt: number): number {
    const cap = this.opts.backoffMaxMs ?? 15 * 60_000;
    const raw = Math.min(cap, this.opts.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(raw * (0.5 + Math.random() * 0.5));
  }
}
