import type { Job, JobStore } from '../store/jobs.ts';
import type { Logger } from '../log.ts';
import { instanceIsGone, markGone, markLive, newInstanceId } from './worker-instance.ts';

/**
 * A durable job queue (the jobs table, through JobStore). Each Worker is an instance (`locked_by`) that claims jobs with a short lease and
 * renews it (heartbeat) while they run; only the holder finishes a job. A job whose instance is known to be gone (a
 * restart after a crash) is taken back at once; any other holder's job is claimed again when its lease runs out, and
 * an expired lease holds no workspace slot. Failures back off exponentially with jitter.
 */

export type { Job };
export interface JobContext {
  attempt: number; // 1-based
  final: boolean; // no retry after this one
}
export type Handler = (payload: Record<string, unknown>, ctx: JobContext, job: Job) => Promise<void>;

/** Throw from a handler to ask for a retry after a given delay (e.g. QBO throttling). */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly delayMs?: number,
    options?: { cause?: unknown },
  ) {
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
  private ticking = false;
  private idleWaiters: Array<() => void> = [];
  private heartbeat: NodeJS.Timeout | null = null;
  /** This instance's id, written to `jobs.locked_by` on claim. */
  readonly instanceId: string;

  constructor(
    private readonly jobs: JobStore,
    private readonly log: Logger,
    private readonly opts: WorkerOptions,
  ) {
    this.instanceId = opts.instanceId ?? newInstanceId();
  }

  private get leaseMs() {
    return this.opts.leaseMs ?? DEFAULT_LEASE_MS;
  }

  private claimNow() {
    return { holder: this.instanceId, leaseUntil: Date.now() + this.leaseMs };
  }

  register(kind: string, handler: Handler) {
    this.handlers.set(kind, handler);
  }

  /** Queues a job; with a dedupeKey, a job already queued or running for that key is reused (the unique index decides). */
  async enqueue(kind: string, payload: Record<string, unknown>, o: { teamId?: string; dedupeKey?: string; delayMs?: number } = {}): Promise<number> {
    const { id } = await this.jobs.enqueue({ kind, payload, teamId: o.teamId, dedupeKey: o.dedupeKey, runAt: Date.now() + (o.delayMs ?? 0) });
    this.kick();
    return id;
  }

  /**
   * Runs a job here and now, recorded first as claimed by this instance: if the process dies while it runs, the next
   * start takes it back and the registered handler finishes it. A queued job with the same key is taken over; one
   * already running (another delivery) is left alone. `handler` (default: the registered one) runs this attempt.
   * Resolves with false when another holder has it, true once this attempt ended (done, or queued for a retry).
   */
  async runNow(kind: string, payload: Record<string, unknown>, o: { teamId?: string; dedupeKey?: string }, handler?: Handler): Promise<boolean> {
    const got = await this.jobs.enqueue({ kind, payload, teamId: o.teamId, dedupeKey: o.dedupeKey, runAt: Date.now() }, this.claimNow());
    const job = got.inserted ? await this.jobs.get(got.id) : await this.jobs.takeQueued(got.id, this.claimNow());
    if (!job) return false;
    const p = this.execute(job, handler).finally(() => this.running.delete(p));
    this.running.add(p);
    this.ensureHeartbeat();
    await p;
    return true;
  }

  /** Merges fields into the payload of a job still queued or running under this key (what a later delivery knew). */
  amendPayload(dedupeKey: string, fill: Record<string, unknown>): Promise<void> {
    return this.jobs.amendPayload(dedupeKey, fill);
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    markLive(this.instanceId);
    await this.recoverGone();
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
      while (this.running.size || this.ticking) {
        if (this.running.size) await Promise.allSettled([...this.running]);
        else await new Promise((r) => setTimeout(r, 5));
      }
      return false;
    })();
    if (await Promise.race([drained, late])) await this.handBack();
    clearTimeout(timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    markGone(this.instanceId);
  }

  /** This instance's running jobs go back to the queue now (shutdown); returns how many. */
  async handBack(): Promise<number> {
    const back = await this.jobs.handBack(this.instanceId);
    if (back) this.log.warn('handed running jobs back at shutdown', { instance: this.instanceId, jobs: back });
    return back;
  }

  /** Whether this instance holds a job lease now: it runs at least one claimed job (its heartbeat renews the leases). */
  holdsLease(): boolean {
    return this.running.size > 0;
  }

  /**
   * Jobs left running by instances known to be gone go back to the queue now (their attempt counted). A job whose
   * attempts are used up is not run again: a job that kills the process must not kill it at every start.
   */
  async recoverGone(): Promise<number> {
    let n = 0;
    for (const id of (await this.jobs.holders(this.instanceId)).filter(instanceIsGone)) {
      const { requeued, dead } = await this.jobs.releaseGone(id, this.opts.maxAttempts);
      for (const j of dead) this.log.error('job failed for good: its process died during every attempt', { jobId: j.id, kind: j.kind });
      n += requeued;
      if (requeued || dead.length) this.log.warn('recovered jobs of a process that is gone', { instance: id, requeued, dead: dead.length });
    }
    if (n) this.kick();
    return n;
  }

  /** Renews the leases of this instance's running jobs every third of the lease, and takes back gone instances' jobs. */
  private ensureHeartbeat() {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => void this.beat(), Math.max(10, Math.floor(this.leaseMs / 3)));
    this.heartbeat.unref?.();
  }

  private async beat() {
    try {
      if (this.running.size) await this.jobs.renew(this.instanceId, Date.now() + this.leaseMs);
      if (!this.stopped) await this.recoverGone();
    } catch (err) {
      this.log.warn('job heartbeat failed', { error: err });
    }
  }

  /** Resolves when no job is queued (even for later) or running: tests and the demo use it to wait for the queue. */
  async idle(): Promise<void> {
    if (await this.isIdle()) return;
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  pending(): Promise<number> {
    return this.jobs.pending();
  }

  private async isIdle() {
    return this.running.size === 0 && !this.ticking && (await this.pending()) === 0;
  }

  private kick() {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), 0);
    this.timer.unref?.();
  }

  private async tick() {
    this.timer = null;
    if (this.stopped || this.ticking) return;
    this.ticking = true;
    try {
      while (!this.stopped && this.running.size < this.opts.concurrency) {
        const job = await this.claim();
        if (!job) break;
        const p = this.execute(job).finally(() => {
          this.running.delete(p);
          this.kick();
        });
        this.running.add(p);
      }
    } catch (err) {
      this.log.warn('claiming jobs failed', { error: err });
    } finally {
      this.ticking = false;
    }
    if (this.idleWaiters.length && (await this.isIdle())) this.idleWaiters.splice(0).forEach((r) => r());
    if (!this.stopped && !this.timer) {
      this.timer = setTimeout(() => void this.tick(), this.opts.pollMs);
      this.timer.unref?.();
    }
  }

  /**
   * Atomically takes the next due job (or one whose lease expired because its worker died), skipping workspaces
   * that already have their share of jobs running.
   */
  private claim(): Promise<Job | null> {
    return this.jobs.claimNext(this.claimNow(), this.opts.perTeamConcurrency ?? this.opts.concurrency);
  }

  private async execute(job: Job, override?: Handler): Promise<void> {
    const handler = override ?? this.handlers.get(job.kind);
    const final = job.attempts >= this.opts.maxAttempts;
    try {
      if (!handler) throw new PermanentFailure(`no handler for job kind ${job.kind}`);
      await handler(job.payload, { attempt: job.attempts, final }, job);
      await this.finish(job, { status: 'done', lastError: null });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof PermanentFailure || final) {
        this.log.error('job failed for good', { jobId: job.id, kind: job.kind, attempts: job.attempts, error: message });
        await this.finish(job, { status: 'dead', lastError: message });
        return;
      }
      const delay = err instanceof RetryLater && err.delayMs != null ? err.delayMs : this.backoff(job.attempts);
      this.log.warn('job will retry', { jobId: job.id, kind: job.kind, attempt: job.attempts, delayMs: delay, error: message });
      await this.finish(job, { status: 'queued', runAt: Date.now() + delay, lastError: message });
    }
  }

  /** Only the holder ends a job: if its lease was lost and someone else claimed it, this changes nothing. */
  private async finish(job: Job, set: { status: 'done' | 'dead' | 'queued'; lastError: string | null; runAt?: number }) {
    try {
      if (!(await this.jobs.finish(job.id, this.instanceId, set)))
        this.log.warn('job lease was lost before it ended; its new holder decides', { jobId: job.id, kind: job.kind });
    } catch (err) {
      this.log.error("recording a job's end failed", { jobId: job.id, kind: job.kind, error: err });
    }
  }

  /** Exponential backoff with full jitter: base·2^(n-1), capped, times a random factor in [0.5, 1]. */
  backoff(attempt: number): number {
    const cap = this.opts.backoffMaxMs ?? 15 * 60_000;
    const raw = Math.min(cap, this.opts.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(raw * (0.5 + Math.random() * 0.5));
  }
}
