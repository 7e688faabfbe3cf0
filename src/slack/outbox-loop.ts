import type { Logger } from '../log.ts';
import type { CardClaim, OutboxRow, OutboxStore } from '../store/outbox.ts';
import { instanceIsGone, markGone, markLive, newInstanceId } from '../invoices/worker-instance.ts';

/** What delivering one row did: the posted message's ts (a card's first post), or nothing to keep. */
export type Deliver = (row: OutboxRow | CardClaim) => Promise<{ ts?: string | null } | undefined>;

export interface OutboxLoopOptions {
  pollMs: number;
  /** First retry delay; doubles per attempt up to maxDelayMs. Slack's Retry-After wins when longer. */
  backoffBaseMs: number;
  maxDelayMs?: number;
  maxAttempts?: number;
  /** How long a claimed row is held before another loop may take it (a crashed instance's rows come back). */
  leaseMs?: number;
  batch?: number;
  /**
   * Kicks within this many ms share one claim (default 20). Every status change, every row written and every
   * delivery finished kicks the loop; claiming on each one ran ~3 claims per row delivered under bench:ack
   * (2,122 claim transactions for 720 rows), each a scan of the due rows.
   */
  coalesceMs?: number;
}

/** Tries at recording a sent message before giving up on the record (about 30 s in all, within the claim's lease). */
const RECORD_ATTEMPTS = 12;

/** Slack errors no retry can fix: the row is set aside (logged), not retried. */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'not_authed',
  'invalid_blocks',
  'invalid_arguments',
  'msg_too_long',
  'cant_update_message',
  'message_not_found',
  'user_not_found',
  'no_text',
]);

/** Slack's error code, and its Retry-After in ms when Slack asked to wait (a 429 past the client's own retries). */
export function slackFailure(err: unknown): {
  code: string;
  retryAfterMs: number | null;
  permanent: boolean;
} {
  const e = err as {
    code?: string;
    data?: { error?: string };
    retryAfter?: number;
    message?: string;
  };
  const code = e?.data?.error ?? e?.code ?? 'error';
  // A WebAPIRateLimitedError (rejectRateLimitedCalls) has not waited yet; the client's own "A rate limit was
  // exceeded (…, retry-after: N)" comes after it paused its queue N seconds, so waiting again is not needed.
  const retryAfterMs = typeof e?.retryAfter === 'number' ? e.retryAfter * 1000 : null;
  const limited = retryAfterMs != null || /rate limit was exceeded/.test(String(e?.message ?? ''));
  return {
    code: limited && code === 'error' ? 'ratelimited' : code,
    retryAfterMs,
    permanent: PERMANENT.has(code),
  };
}

/**
 * Delivers the outbox: claims due rows (a card's updates one at a time, in order), sends each, and marks it
 * delivered — with its ts — before the card's next update is claimed. Failures retry with backoff, never sooner
 * than Slack's Retry-After. Any number of loops (instances) may run on one database: a claim holds a row.
 */
export class OutboxLoop {
  private timer: NodeJS.Timeout | null = null;
  /** A claim due within coalesceMs: later kicks join it. */
  private soon: NodeJS.Timeout | null = null;
  private claiming: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private passCount = 0;
  private readonly inFlight = new Set<Promise<void>>();
  /** This loop's id, written to `outbox.locked_by` on claim. */
  readonly instanceId = newInstanceId();

  constructor(
    private readonly store: OutboxStore,
    private readonly deliver: Deliver,
    private readonly log: Logger,
    private readonly o: OutboxLoopOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    markLive(this.instanceId);
    live.add(this);
    this.kick();
  }

  /** Stops claiming and waits for the deliveries under way (what is left stays in the outbox for the next start). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.timer = null;
    this.soon = null;
    await this.claiming;
    await Promise.allSettled([...this.inFlight]);
    markGone(this.instanceId);
    live.delete(this);
  }

  /**
   * Claims what is due (rows were just added, or a delivery finished) within coalesceMs, one claim for every kick
   * in that time; otherwise the loop polls every pollMs.
   */
  kick(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    if (this.soon) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.soon = setTimeout(() => {
      this.soon = null;
      this.claimNow();
    }, this.o.coalesceMs ?? 20);
  }

  private claimNow(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.again = false;
    this.claiming = this.claim()
      .catch((err) => {
        this.log.error('outbox claim failed', { error: err });
        return 0;
      })
      .then((n) => {
        this.claiming = null;
        if (this.stopped) return;
        if (this.again || n > 0) this.kick();
        else if (!this.soon) this.timer = setTimeout(() => this.claimNow(), this.o.pollMs);
      });
  }

  /** Until nothing due is left to send (what was added before the call, and what delivering it added). */
  async idle(): Promise<void> {
    for (;;) {
      await this.claiming;
      if (this.inFlight.size) {
        await Promise.allSettled([...this.inFlight]);
        continue;
      }
      if (this.stopped || (await this.store.dueCount()) === 0) return;
      this.kick();
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Claims up to the free delivery slots and starts each delivery (one slow Slack call holds up no other message). */
  private async claim(): Promise<number> {
    // Now and then (and at the first pass): rows a crashed process had claimed are taken back without waiting out the lease.
    if (this.passCount++ % 50 === 0) {
      const back = await this.store.releaseGone(instanceIsGone);
      if (back)
        this.log.info('outbox rows of a stopped instance taken back', {
          count: back,
        });
    }
    const free = (this.o.batch ?? 10) - this.inFlight.size;
    if (free <= 0) return 0;
    const rows = await this.store.claimDue(free, this.o.leaseMs ?? 60_000, this.instanceId);
    for (const row of rows) {
      const p: Promise<void> = this.one(row)
        .catch((err) =>
          this.log.error('outbox delivery bookkeeping failed', {
            id: row.id,
            error: err,
          }),
        )
        .finally(() => {
          this.inFlight.delete(p);
          this.kick();
        });
      this.inFlight.add(p);
    }
    return rows.length;
  }

  private async one(row: OutboxRow | CardClaim): Promise<void> {
    let out: Awaited<ReturnType<Deliver>>;
    try {
      out = await this.deliver(row);
    } catch (err) {
      await this.failed(row, err);
      return;
    }
    await this.recordDelivered(row, out?.ts ?? null);
  }

  /**
   * Slack has the message: recording that must not turn into sending it again (a second card, a second DM), so a
   * failed write (a lost serialization race on Postgres, the database briefly away) is retried, backed off, while the
   * claim still holds the row; only after that does it fail (logged), and the row's lease brings it back.
   */
  private async recordDelivered(row: OutboxRow | CardClaim, ts: string | null): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.store.delivered(row, ts);
        return;
      } catch (err) {
        if (attempt >= RECORD_ATTEMPTS) throw err;
        this.log.warn('outbox delivery not recorded yet; trying again', { id: row.id, kind: row.kind, attempt, error: err });
        await new Promise((r) => setTimeout(r, Math.min(5_000, 50 * 2 ** attempt)));
      }
    }
  }

  /** Slack refused or could not be reached: try again later (never before its Retry-After), or give up. */
  private async failed(row: OutboxRow | CardClaim, err: unknown): Promise<void> {
    const f = slackFailure(err);
    const attempt = row.attempts + 1;
    if (f.permanent || attempt >= (this.o.maxAttempts ?? 20)) {
      this.log.error('outbox message given up', {
        id: row.id,
        kind: row.kind,
        teamId: row.teamId,
        code: f.code,
        attempt,
      });
      await this.store.abandon(row.id, f.code);
      return;
    }
    const backoff = Math.min(this.o.backoffBaseMs * 2 ** (attempt - 1), this.o.maxDelayMs ?? 300_000);
    const delay = Math.max(backoff, f.retryAfterMs ?? 0);
    this.log.warn('outbox delivery failed; retrying', {
      id: row.id,
      kind: row.kind,
      teamId: row.teamId,
      code: f.code,
      attempt,
      delayMs: delay,
    });
    await this.store.retryAt(row.id, Date.now() + delay, f.code);
    const t = setTimeout(() => this.kick(), delay + 5);
    t.unref?.();
  }
}

const live = new Set<OutboxLoop>();

/** Waits until every running outbox loop has sent what is due (tests, graceful paths). */
export async function outboxIdle(): Promise<void> {
  for (const l of [...live]) await l.idle();
}
