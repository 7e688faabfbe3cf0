import { and, count, eq, gte, inArray, isNotNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Conn } from './conn.ts';
import { isUniqueViolation } from './errors.ts';
import type { jobs, JobStatus } from './sqlite/schema.ts';

export type Job = typeof jobs.$inferSelect;
export type { JobStatus };

export interface NewJob {
  kind: string;
  payload: Record<string, unknown>;
  teamId?: string | null;
  dedupeKey?: string | null;
  runAt: number;
}

/** A running claim: who holds it and until when. */
export interface Claim {
  holder: string;
  leaseUntil: number;
}

const ACTIVE: JobStatus[] = ['queued', 'running'];

/**
 * The durable job queue. Dedupe is the unique index `jobs_active_dedupe` (one queued/running job per key, across
 * processes); a claim sets `locked_by` and a lease that the holder renews; only the holder may finish its job.
 */
export class JobStore {
  constructor(private readonly c: Conn) {}

  bind(t: Conn): JobStore {
    return new JobStore(t);
  }

  async get(id: number): Promise<Job | null> {
    const { jobs: j } = this.c.t;
    const [row] = await this.c.run((db) => db.select().from(j).where(eq(j.id, id)).limit(1));
    return row ?? null;
  }

  /** The queued or running job with this key. */
  async active(dedupeKey: string): Promise<Job | null> {
    const { jobs: j } = this.c.t;
    const [row] = await this.c.run((db) =>
      db
        .select()
        .from(j)
        .where(and(eq(j.dedupeKey, dedupeKey), inArray(j.status, ACTIVE)))
        .limit(1),
    );
    return row ?? null;
  }

  /**
   * Cancels the queued (not yet running) job with this key: true when it was cancelled, false when there is none or it
   * has started (a conditional update, so a cancel and a claim cannot both win).
   */
  async cancelQueued(dedupeKey: string, why: string): Promise<boolean> {
    const { jobs: j } = this.c.t;
    const gone = await this.c.run((db) =>
      db
        .update(j)
        .set({ status: 'done', lastError: why, updatedAt: Date.now() })
        .where(and(eq(j.dedupeKey, dedupeKey), eq(j.status, 'queued')))
        .returning({ id: j.id }),
    );
    return gone.length > 0;
  }

  /**
   * Inserts the job unless one with its key is queued or running (the unique index decides, whoever inserts first);
   * `claim` inserts it already running for that holder.
   */
  async enqueue(job: NewJob, claim?: Claim): Promise<{ id: number; inserted: boolean }> {
    const { jobs: j } = this.c.t;
    if (job.dedupeKey) {
      const existing = await this.active(job.dedupeKey);
      if (existing) return { id: existing.id, inserted: false };
    }
    const values = {
      kind: job.kind,
      payload: job.payload,
      teamId: job.teamId ?? null,
      dedupeKey: job.dedupeKey ?? null,
      runAt: job.runAt,
      ...(claim ? { status: 'running' as const, attempts: 1, lockedBy: claim.holder, leaseUntil: claim.leaseUntil } : {}),
    };
    try {
      const [row] = await this.c.run((db) => db.insert(j).values(values).returning({ id: j.id }));
      return { id: row.id, inserted: true };
    } catch (err) {
      const raced = job.dedupeKey && isUniqueViolation(err) ? await this.active(job.dedupeKey) : null;
      if (raced) return { id: raced.id, inserted: false };
      throw err;
    }
  }

  /** Takes over a queued job for this holder (run it now); null when it is running elsewhere or gone. */
  async takeQueued(id: number, claim: Claim): Promise<Job | null> {
    const { jobs: j } = this.c.t;
    const [row] = await this.c.run((db) =>
      db
        .update(j)
        .set({ status: 'running', lockedBy: claim.holder, leaseUntil: claim.leaseUntil, attempts: sql`${j.attempts} + 1`, runAt: Date.now() })
        .where(and(eq(j.id, id), eq(j.status, 'queued')))
        .returning(),
    );
    return row ?? null;
  }

  /** Merges fields into the payload of a job still queued or running under this key (what a later delivery knew). */
  async amendPayload(dedupeKey: string, fill: Record<string, unknown>): Promise<void> {
    await this.c.tx(async (t) => {
      const { jobs: j } = t.t;
      const row = await this.bind(t).active(dedupeKey);
      if (!row) return;
      const merged = { ...row.payload };
      for (const [k, v] of Object.entries(fill)) if (merged[k] == null && v != null) merged[k] = v;
      await t.run((db) => db.update(j).set({ payload: merged }).where(eq(j.id, row.id)));
    });
  }

  /**
   * Atomically takes the next due job (or one whose lease ran out), skipping workspaces that already have
   * `perTeam` jobs running under a live lease. One conditional UPDATE: two workers never get the same job.
   */
  async claimNext(claim: Claim, perTeam: number, now = Date.now()): Promise<Job | null> {
    if (this.c.dialect === 'postgres') return this.claimNextSkipLocked(claim, perTeam, now);
    const { jobs: j } = this.c.t;
    const full = sql`(SELECT ${j.teamId} FROM ${j} WHERE ${j.status} = 'running' AND ${j.leaseUntil} >= ${now} AND ${j.teamId} IS NOT NULL GROUP BY ${j.teamId} HAVING count(*) >= ${perTeam})`;
    const next = sql`(SELECT ${j.id} FROM ${j} WHERE ((${j.status} = 'queued' AND ${j.runAt} <= ${now}) OR (${j.status} = 'running' AND ${j.leaseUntil} < ${now})) AND (${j.teamId} IS NULL OR ${j.teamId} NOT IN ${full}) ORDER BY ${j.runAt}, ${j.id} LIMIT 1)`;
    const due = or(and(eq(j.status, 'queued'), lte(j.runAt, now)), and(eq(j.status, 'running'), lt(j.leaseUntil, now)));
    const [row] = await this.c.run((db) =>
      db
        .update(j)
        .set({ status: 'running', attempts: sql`${j.attempts} + 1`, leaseUntil: claim.leaseUntil, lockedBy: claim.holder })
        .where(and(eq(j.id, next), due))
        .returning(),
    );
    return row ?? null;
  }

  /**
   * Postgres: the same claim, but the candidate row is locked with FOR UPDATE SKIP LOCKED, so instances claiming at
   * once each take a different due job instead of queueing behind one row (and finding it taken). The per-workspace
   * cap is read without locks, so racing instances may start a job or two over it: QBO's own limits are kept by the
   * limiter, not by this count.
   */
  private async claimNextSkipLocked(claim: Claim, perTeam: number, now: number): Promise<Job | null> {
    const { jobs: j } = this.c.t;
    const full = sql`SELECT ${j.teamId} FROM ${j} WHERE ${j.status} = 'running' AND ${j.leaseUntil} >= ${now} AND ${j.teamId} IS NOT NULL GROUP BY ${j.teamId} HAVING count(*) >= ${perTeam}`;
    const next = sql`(SELECT ${j.id} FROM ${j} WHERE ((${j.status} = 'queued' AND ${j.runAt} <= ${now}) OR (${j.status} = 'running' AND ${j.leaseUntil} < ${now})) AND (${j.teamId} IS NULL OR ${j.teamId} NOT IN (${full})) ORDER BY ${j.runAt}, ${j.id} LIMIT 1 FOR UPDATE SKIP LOCKED)`;
    const [row] = await this.c.run((db) =>
      db
        .update(j)
        .set({ status: 'running', attempts: sql`${j.attempts} + 1`, leaseUntil: claim.leaseUntil, lockedBy: claim.holder })
        .where(eq(j.id, next))
        .returning(),
    );
    return row ?? null;
  }

  /** Renews the lease of every job this holder runs (the heartbeat); returns how many it still holds. */
  async renew(holder: string, leaseUntil: number): Promise<number> {
    const { jobs: j } = this.c.t;
    const rows = await this.c.run((db) =>
      db
        .update(j)
        .set({ leaseUntil })
        .where(and(eq(j.status, 'running'), eq(j.lockedBy, holder)))
        .returning({ id: j.id }),
    );
    return rows.length;
  }

  /** Ends a job only while `holder` still holds it; false when its lease was lost and someone else has it. */
  async finish(id: number, holder: string, set: { status: 'done' | 'dead' | 'queued'; lastError: string | null; runAt?: number }): Promise<boolean> {
    const { jobs: j } = this.c.t;
    const rows = await this.c.run((db) =>
      db
        .update(j)
        .set({ ...set, leaseUntil: null, lockedBy: null, updatedAt: Date.now() })
        .where(and(eq(j.id, id), eq(j.lockedBy, holder), eq(j.status, 'running')))
        .returning({ id: j.id }),
    );
    return rows.length > 0;
  }

  /** Holders (other than `self`) of running jobs. */
  async holders(self: string): Promise<string[]> {
    const { jobs: j } = this.c.t;
    const rows = await this.c.run((db) =>
      db
        .selectDistinct({ id: j.lockedBy })
        .from(j)
        .where(and(eq(j.status, 'running'), isNotNull(j.lockedBy), ne(j.lockedBy, self))),
    );
    return rows.map((r) => r.id!).filter(Boolean);
  }

  /**
   * A gone holder's running jobs: those with `maxAttempts` used up die (a job that kills the process must not kill
   * it at every start), the others go back to the queue now. One transaction.
   */
  async releaseGone(holder: string, maxAttempts: number): Promise<{ requeued: number; dead: Array<{ id: number; kind: string }> }> {
    return this.c.tx(async (t) => {
      const { jobs: j } = t.t;
      const at = Date.now();
      const mine = and(eq(j.status, 'running'), eq(j.lockedBy, holder));
      const dead = await t.run((db) =>
        db
          .update(j)
          .set({ status: 'dead', lockedBy: null, leaseUntil: null, updatedAt: at, lastError: 'its process died during every attempt' })
          .where(and(mine, gte(j.attempts, maxAttempts)))
          .returning({ id: j.id, kind: j.kind }),
      );
      const back = await t.run((db) =>
        db
          .update(j)
          .set({ status: 'queued', runAt: Date.now(), lockedBy: null, leaseUntil: null, updatedAt: at, lastError: 'its process died while it ran' })
          .where(mine)
          .returning({ id: j.id }),
      );
      return { requeued: back.length, dead };
    });
  }

  /** A live holder's running jobs back to the queue now, the attempt not counted (graceful shutdown); how many. */
  async handBack(holder: string): Promise<number> {
    const { jobs: j } = this.c.t;
    const back = await this.c.run((db) =>
      db
        .update(j)
        .set({
          status: 'queued',
          runAt: Date.now(),
          lockedBy: null,
          leaseUntil: null,
          attempts: sql`case when ${j.attempts} > 0 then ${j.attempts} - 1 else 0 end`,
          updatedAt: Date.now(),
          lastError: 'handed back at shutdown',
        })
        .where(and(eq(j.status, 'running'), eq(j.lockedBy, holder)))
        .returning({ id: j.id }),
    );
    return back.length;
  }

  /** Jobs queued (even for later) or running. */
  async pending(): Promise<number> {
    const { jobs: j } = this.c.t;
    const [row] = await this.c.run((db) => db.select({ n: count() }).from(j).where(inArray(j.status, ACTIVE)));
    return Number(row?.n ?? 0);
  }

  /** Every job (tests and tools). */
  all(): Promise<Job[]> {
    const { jobs: j } = this.c.t;
    return this.c.run((db) => db.select().from(j).orderBy(j.id));
  }

  /** A workspace's queued jobs stop (it uninstalled the app); returns how many. */
  async stopTeam(teamId: string, why: string): Promise<number> {
    const { jobs: j } = this.c.t;
    const rows = await this.c.run((db) =>
      db
        .update(j)
        .set({ status: 'dead', lastError: why, updatedAt: Date.now() })
        .where(and(eq(j.teamId, teamId), eq(j.status, 'queued')))
        .returning({ id: j.id }),
    );
    return rows.length;
  }

  /** Deletes every job of these workspaces (their data is purged). */
  async deleteTeams(teamIds: string[]): Promise<void> {
    if (!teamIds.length) return;
    const { jobs: j } = this.c.t;
    await this.c.run((db) => db.delete(j).where(inArray(j.teamId, teamIds)));
  }
}
