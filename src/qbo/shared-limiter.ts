import type { Logger } from '../log.ts';
import type { QboRateStore, RateRule } from '../store/qbo-rate.ts';
import { RATE_MARGIN, WINDOW_PAD, type CompanyLimiter, type CompanyLimits } from './limiter.ts';

/**
 * QBO's per-company limits kept by every instance on one database together, with the in-memory RealmLimiter's rule
 * (a request counts from its start until one window after its answer; the same 5% margin) but its state in the
 * database (src/store/qbo-rate.ts). Callers of one instance wait in a FIFO; only its head asks the database, for as
 * many slots as are waiting, when a local request ends, when the window moves on, or — while the company's slots
 * are held by requests of other instances, whose answers this instance does not hear — every `pollMs`.
 * In-flight slots are renewed every third of `leaseMs`; a killed instance's stop counting as in flight once their
 * lease runs out.
 */

export interface SharedLimitsOptions {
  /** This instance (the worker's instance id), written on every slot it holds. */
  holder: string;
  maxConcurrent: number;
  /** Intuit's limit per minute, counted over windows of `windowMs` (as `Limiters`). */
  perMinute: number;
  windowMs?: number;
  leaseMs?: number;
  pollMs?: number;
  log?: Logger;
}

const DEFAULT_LEASE_MS = 15_000;
const DEFAULT_POLL_MS = 20;

export class SharedLimiters implements CompanyLimits {
  readonly windowMs: number;
  private byRealm = new Map<string, SharedRealmLimiter>();
  private heartbeat: NodeJS.Timeout | null = null;
  /** Slots this instance holds now (renewed by the heartbeat). */
  held = 0;
  readonly rule: RateRule;
  readonly pollMs: number;

  constructor(
    readonly store: QboRateStore,
    readonly opts: SharedLimitsOptions,
  ) {
    this.windowMs = opts.windowMs ?? 60_000;
    const perWindow = (opts.perMinute * this.windowMs) / 60_000;
    this.rule = {
      maxConcurrent: opts.maxConcurrent,
      budget: Math.max(1, Math.floor(perWindow * RATE_MARGIN)),
      spanMs: Math.ceil(this.windowMs * WINDOW_PAD),
      leaseMs: opts.leaseMs ?? DEFAULT_LEASE_MS,
    };
    this.pollMs = opts.pollMs ?? DEFAULT_POLL_MS;
  }

  for(realmId: string): SharedRealmLimiter {
    let l = this.byRealm.get(realmId);
    if (!l) this.byRealm.set(realmId, (l = new SharedRealmLimiter(this, realmId)));
    return l;
  }

  /** Stops renewing (shutdown); slots still held run out with their lease. */
  stop(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  /** @internal a slot was taken or given back here. */
  holding(delta: number): void {
    this.held += delta;
    if (this.held > 0 && !this.heartbeat) {
      this.heartbeat = setInterval(
        () => {
          if (this.held === 0) return this.stop();
          this.store
            .renew(this.opts.holder, Date.now() + this.rule.leaseMs)
            .catch((err) => this.opts.log?.warn('qbo rate lease renewal failed', { error: err }));
        },
        Math.max(10, Math.floor(this.rule.leaseMs / 3)),
      );
      this.heartbeat.unref();
    }
  }
}

export class SharedRealmLimiter implements CompanyLimiter {
  private waiting: Array<(id: number) => void> = [];
  private asking = false;
  /** Ask again once the current question is answered (something changed meanwhile). */
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private pausedUntil = 0;

  constructor(
    private readonly set: SharedLimiters,
    readonly realmId: string,
  ) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const id = await this.acquire();
    try {
      return await fn();
    } finally {
      this.set.holding(-1);
      // Not released (the database failed): the lease runs out and the slot counts as answered then.
      await this.set.store.release([id]).catch((err) => this.set.opts.log?.warn('qbo rate slot release failed', { error: err }));
      this.pump();
    }
  }

  /** QBO throttled us: no instance starts a request to this company for `ms`. */
  pause(ms: number): void {
    const until = Date.now() + ms;
    this.pausedUntil = Math.max(this.pausedUntil, until);
    this.set.store.pause(this.realmId, until).catch((err) => this.set.opts.log?.warn('qbo rate pause not stored', { error: err }));
  }

  private acquire(): Promise<number> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.pump();
    });
  }

  private pump(): void {
    if (this.asking) {
      this.again = true;
      return;
    }
    if (!this.waiting.length) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const now = Date.now();
    if (now < this.pausedUntil) {
      this.wake(this.pausedUntil - now);
      return;
    }
    this.asking = true;
    this.again = false;
    this.set.store.acquire(this.realmId, this.set.opts.holder, this.waiting.length, this.set.rule).then(
      (grant) => {
        this.asking = false;
        for (const id of grant.ids) {
          this.set.holding(1);
          this.waiting.shift()!(id);
        }
        if (!this.waiting.length) return;
        if (this.again) return this.pump();
        this.wake(grant.retryInMs ?? this.set.pollMs);
      },
      (err) => {
        this.asking = false;
        this.set.opts.log?.warn('qbo rate slots could not be taken; trying again', { error: err });
        this.wake(this.set.pollMs);
      },
    );
  }

  private wake(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.pump();
      },
      Math.max(ms, 1),
    );
    this.timer.unref();
  }
}
