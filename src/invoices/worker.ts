import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../store/sqlite/client.ts';
import { jobs } from '../store/sqlite/schema.ts';
import type { Logger } from '../log.ts';
import { instanceIsGone, markGone, markLive, newInstanceId } from './worker-instance.ts';

/**
 * A durable job queue in SQLite. Each Worker is an instance (`locked_by`) that claims jobs with a short lease and
 * renews it (heartbeat) while they run; only the holder finishes a job. A job whose instance is known to be gone (a
 * restart after a crash) is taken back at once; any other holder's job is claimed again when its lease runs out, and
 * an expired lease holds no workspace slot. Failures back off exponentially with jitter.
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
  /** How long a claim holds without a heartbeat; renewed every third of it while the job runs. */
  leaseMs?: number;
  instanceId?: string;
  /** On stop, how long jobs in flight may still finish before they are handed back to the queue. */
  shutdownGraceMs?: number;
}

const DEFAULT_LEASE_MS = 45_000;
const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

export class Worker {
  private handlers = new Map<string, Handler>();
  private running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private idleWaiters: Array<() => void> = [];
  private heartbeat: NodeJS.Timeout | null = null;
  /** This instance's id, written to `jobs.locked_by` on claim. */
  readonly instanceId: string;

  constructor(private readonly db: Db, private readonly log: Logger, private readonly opts: WorkerOptions) {
    this.instanceId = opts.instanceId ?? newInstanceId();
  }

  private get leaseMs() {
    return this.opts.leaseMs ?? DEFAULT_LEASE_MS;
  }

  register(kind: string, handler: Handler) {
    this.handlers.set(kind, handler);
  }

  /** Queues a job; with a dedupeKey, a job already queued or running for that key is reused. */
  enqueue(kind: string, payload: Record<string, unknown>, o: { teamId?: string; dedupeKey?: string; delayMs?: number } = {}): number {
    const id = this.insertOnce(o.dedupeKey, () =>
      this.db
        .insert(jobs)
        .values({ kind, payload, teamId: o.teamId ?? null, dedupeKey: o.dedupeKey ?? null, runAt: Date.now() + (o.delayMs ?? 0) })
        .returning({ id: jobs.id })
        .get().id,
    ).id;
    this.kick();
    return id;
  }

  /**
   * Runs a job here and now, recorded first as claimed by this instance: if the process dies while it runs, the next
   * start takes it back and the registered handler finishes it. A queued job with the same key is taken over; one
   * already running (another delivery) is left alone. `handler` (default: the registered one) runs this attempt.
   * Resolves with false when another holder has it, true once this attempt ended (done, or queued for a retry).
   */
  runNow(kind: string, payload: Record<string, unknown>, o: { teamId?: string; dedupeKey?: string }, handler?: Handler): Promise<boolean> {
    const now = Date.now();
    const claim = { status: 'running' as const, lockedBy: this.instanceId, leaseUntil: now + this.leaseMs };
    const got = this.insertOnce(o.dedupeKey, () =>
      this.db
        .insert(jobs)
        .values({ kind, payload, teamId: o.teamId ?? null, dedupeKey: o.dedupeKey ?? null, runAt: now, attempts: 1, ...claim })
        .returning({ id: jobs.id })
        .get().id,
    );
    if (!got.inserted) {
      const taken = this.db
        .update(jobs)
        .set({ ...claim, attempts: sql`${jobs.attempts} + 1`, runAt: now })
        .where(and(eq(jobs.id, got.id), eq(jobs.status, 'queued')))
        .run();
      if (!taken.changes) return Promise.resolve(false);
    }
    const job = this.db.select().from(jobs).where(eq(jobs.id, got.id)).get()!;
    const p = this.execute(job, handler).finally(() => this.running.delete(p));
    this.running.add(p);
    this.ensureHeartbeat();
    return p.then(() => true);
  }

  /** Merges fields into the payload of a job still queued or running under this key (what a later delivery knew). */
  amendPayload(dedupeKey: string, fill: Record<string, unknown>): void {
    this.db.transaction((tx) => {
      const row = tx.select().from(jobs).where(and(eq(jobs.dedupeKey, dedupeKey), inArray(jobs.status, ['queued', 'running']))).get();
      if (!row) return;
      const merged = { ...row.payload };
      for (const [k, v] of Object.entries(fill)) if (merged[k] == null && v != null) merged[k] = v;
      tx.update(jobs).set({ payload: merged }).where(eq(jobs.id, row.id)).run();
    });
  }

  /** Inserts unless a queued/running job has the key (a unique index backs this across processes). */
  private insertOnce(dedupeKey: string | undefined, insert: () => number): { id: number; inserted: boolean } {
    const active = () =>
      dedupeKey
        ? this.db.select({ id: jobs.id }).from(jobs).where(and(eq(jobs.dedupeKey, dedupeKey), inArray(jobs.status, ['queued', 'running']))).get()
        : undefined;
    const existing = active();
    if (existing) return { id: existing.id, inserted: false };
    try {
      return { id: insert(), inserted: true };
    } catch (err) {
      const raced = /UNIQUE constraint failed/.test(String(err)) ? active() : undefined;
      if (raced) return { id: raced.id, inserted: false };
      throw err;
    }
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    markLive(this.instanceId);
    this.recoverGone();
    this.ensureHeartbeat();
    this.kick();
  }

  /**
   * Graceful shutdown: stops claiming, lets the jobs in flight finish for up to `shutdownGraceMs`, then hands the rest
   * back (lease released, re-queued now, the attempt not counted) so another instance takes them at once instead of
   * after the lease. A handed-back job's handler may still be in a QBO call as the process exits: creates carry a
   * requestid, so the next holder's repeat gets the same record.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const grace = this.opts.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((r) => (timer = setTimeout(() => r(true), grace)));
    const drained = (async () => {
      while (this.running.size) await Promise.allSettled([...this.running]);
      return false;
    })();
    if (await Promise.race([drained, late])) this.handBack();
    clearTimeout(timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    markGone(this.instanceId);
  }

  /** This instance's running jobs go back to the queue now (shutdown); returns how many. */
  handBack(): number {
    const back = this.db.$client
      .prepare(`UPDATE jobs SET status = 'queued', run_at = ?, locked_by = NULL, lease_until = NULL, attempts = max(attempts - 1, 0),
                updated_at = ?, last_error = 'handed back at shutdown' WHERE status = 'running' AND locked_by = ?`)
      .run(Date.now(), new Date().toISOString(), this.instanceId);
    if (back.changes) this.log.warn('handed running jobs back at shutdown', { instance: this.instanceId, jobs: back.changes });
    return back.changes;
  }

  /**
   * Jobs left running by instances known to be gone go back to the queue now (their attempt counted). A job whose
   * attempts are used up is not run again: a job that kills the process must not kill it at every start.
   */
  recoverGone(): number {
    const holders = this.db.$client
      .prepare(`SELECT DISTINCT locked_by AS id FROM jobs WHERE status = 'running' AND locked_by IS NOT NULL AND locked_by != ?`)
      .all(this.instanceId) as Array<{ id: string }>;
    let n = 0;
    for (const { id } of holders.filter((h) => instanceIsGone(h.id))) {
      const at = new Date().toISOString();
      const dead = this.db.$client
        .prepare(`UPDATE jobs SET status = 'dead', locked_by = NULL, lease_until = NULL, updated_at = ?,
                  last_error = 'its process died during every attempt' WHERE status = 'running' AND locked_by = ? AND attempts >= ?
                  RETURNING id, kind`)
        .all(at, id, this.opts.maxAttempts) as Array<{ id: number; kind: string }>;
      for (const j of dead) this.log.error('job failed for good: its process died during every attempt', { jobId: j.id, kind: j.kind });
      const back = this.db.$client
        .prepare(`UPDATE jobs SET status = 'queued', run_at = ?, locked_by = NULL, lease_until = NULL, updated_at = ?,
                  last_error = 'its process died while it ran' WHERE status = 'running' AND locked_by = ?`)
        .run(Date.now(), at, id);
      n += back.changes;
      if (back.changes || dead.length) this.log.warn('recovered jobs of a process that is gone', { instance: id, requeued: back.changes, dead: dead.length });
    }
    if (n) this.kick();
    return n;
  }

  /** Renews the leases of this instance's running jobs every third of the lease, and takes back gone instances' jobs. */
  private ensureHeartbeat() {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      try {
        if (this.running.size) {
          this.db.$client
            .prepare(`UPDATE jobs SET lease_until = ? WHERE status = 'running' AND locked_by = ?`)
            .run(Date.now() + this.leaseMs, this.instanceId);
        }
        if (!this.stopped) this.recoverGone();
      } catch (err) {
        this.log.warn('job heartbeat failed', { error: err });
      }
    }, Math.max(10, Math.floor(this.leaseMs / 3)));
    this.heartbeat.unref?.();
  }

  /** Resolves when no job is queued (even for later) or running: tests and the demo use it to wait for the queue. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Whether this instance holds a job lease now: it runs at least one claimed job (its heartbeat renews the leases). */
  holdsLease(): boolean {
    return this.running.size > 0;
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
    const leaseUntil = now + this.leaseMs;
    const perTeam = this.opts.perTeamConcurrency ?? this.opts.concurrency;
    // better-sqlite3 is synchronous: this single UPDATE … RETURNING cannot interleave with another claim.
    const row = this.db.$client
      .prepare(
        `UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_until = ?, locked_by = ?
         WHERE id = (
           SELECT id FROM jobs
           WHERE ((status = 'queued' AND run_at <= ?) OR (status = 'running' AND lease_until < ?))
             AND (team_id IS NULL OR team_id NOT IN (
               SELECT team_id FROM jobs WHERE status = 'running' AND lease_until >= ? AND team_id IS NOT NULL
               GROUP BY team_id HAVING count(*) >= ?))
           ORDER BY run_at, id LIMIT 1)
         RETURNING id`,
      )
      .get(leaseUntil, this.instanceId, now, now, now, perTeam) as { id: number } | undefined;
    return row ? (this.db.select().from(jobs).where(eq(jobs.id, row.id)).get() ?? null) : null;
  }

  private async execute(job: Job, override?: Handler): Promise<void> {
    const handler = override ?? this.handlers.get(job.kind);
    const final = job.attempts >= this.opts.maxAttempts;
    try {
      if (!handler) throw new PermanentFailure(`no handler for job kind ${job.kind}`);
      await handler(job.payload, { attempt: job.attempts, final }, job);
      this.finish(job, { status: 'done', lastError: null });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof PermanentFailure || final) {
        this.log.error('job failed for good', { jobId: job.id, kind: job.kind, attempts: job.attempts, error: message });
        this.finish(job, { status: 'dead', lastError: message });
        return;
      }
      const delay = err instanceof RetryLater && err.delayMs != null ? err.delayMs : this.backoff(job.attempts);
      this.log.warn('job will retry', { jobId: job.id, kind: job.kind, attempt: job.attempts, delayMs: delay, error: message });
      this.finish(job, { status: 'queued', runAt: Date.now() + delay, lastError: message });
    }
  }

  /** Only the holder ends a job: if its lease was lost and someone else claimed it, this changes nothing. */
  private finish(job: Job, set: { status: 'done' | 'dead' | 'queued'; lastError: string | null; runAt?: number }) {
    const res = this.db
      .update(jobs)
      .set({ ...set, leaseUntil: null, lockedBy: null, updatedAt: new Date().toISOString() })
      .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, this.instanceId), eq(jobs.status, 'running')))
      .run();
    if (!res.changes) this.log.warn('job lease was lost before it ended; its new holder decides', { jobId: job.id, kind: job.kind });
  }

  /** Exponential backoff with full jitter: base·2^(n-1), capped, times a random factor in [0.5, 1]. */
  backoff(attempt: number): number {
    const cap = this.opts.backoffMaxMs ?? 15 * 60_000;
    const raw = Math.min(cap, this.opts.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(raw * (0.5 + Math.random() * 0.5));
  }
}
