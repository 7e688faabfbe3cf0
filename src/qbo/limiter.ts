/**
 * Keeps us inside Intuit's per-company limits: at most `maxConcurrent` requests in flight and, with a margin, no
 * more than Intuit's count in any of its windows. QBO counts a request when it arrives, somewhere between our start
 * and its answer, and may count in fixed windows; so a request counts from its start until one window after its
 * answer: a new request starts only while fewer than the budget are in flight or answered within the last window.
 * Then no window QBO can draw holds more than the budget, whatever the network or a busy event loop delays.
 * Callers wait (FIFO) rather than collect 429s. When a 429 comes anyway (another app on the same company), `pause`
 * holds every start for the time QBO asked (Retry-After) or a whole window.
 */

/** Fraction of Intuit's limit we use (room for another app on the same company, and clock granularity). */
export const RATE_MARGIN = 0.95;
export const WINDOW_PAD = 1.01;

/** One company's limiter, in memory (RealmLimiter) or shared through the database (shared-limiter.ts). */
export interface CompanyLimiter {
  run<T>(fn: () => Promise<T>): Promise<T>;
  pause(ms: number): void;
}
/** The limiters of every company, by realm id; `windowMs` is Intuit's window as configured. */
export interface CompanyLimits {
  for(realmId: string): CompanyLimiter;
  readonly windowMs: number;
}

export class RealmLimiter implements CompanyLimiter {
  private active = 0;
  /** When recent requests were answered, oldest first. */
  private answered: number[] = [];
  private waiting: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;
  private pausedUntil = 0;
  private readonly budget: number;
  private readonly span: number;

  constructor(
    private readonly maxConcurrent: number,
    perWindow: number,
    readonly windowMs = 60_000,
  ) {
    this.budget = Math.max(1, Math.floor(perWindow * RATE_MARGIN));
    this.span = Math.ceil(windowMs * WINDOW_PAD);
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.active--;
      this.answered.push(Date.now());
      this.pump();
    }
  }

  /** QBO throttled us: no new request to this company for `ms`. */
  pause(ms: number) {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
    this.pump();
  }

  private acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.pump();
    });
  }

  private pump() {
    const now = Date.now();
    while (this.answered.length && this.answered[0] <= now - this.span) this.answered.shift();
    const open = now >= this.pausedUntil;
    while (open && this.waiting.length && this.active < this.maxConcurrent && this.active + this.answered.length < this.budget) {
      this.active++;
      this.waiting.shift()!();
    }
    // Blocked by the window (not by requests in flight, whose answers pump again): wake when it moves on.
    const byWindow = this.active < this.maxConcurrent && this.answered.length > 0 && this.active + this.answered.length >= this.budget;
    if (this.waiting.length && !this.timer && (!open || byWindow)) {
      const wait = open ? this.answered[0] + this.span - now : this.pausedUntil - now;
      this.timer = setTimeout(
        () => {
          this.timer = null;
          this.pump();
        },
        Math.max(wait, 1),
      );
      this.timer.unref();
    }
  }
}

export class Limiters implements CompanyLimits {
  private byRealm = new Map<string, RealmLimiter>();
  /**
   * `perMinute` is Intuit's limit per minute, counted over windows of `windowMs` (Intuit: 60 s; the emulator may
   * use shorter windows with a proportional count, so a window allows perMinute · windowMs / 60 s).
   */
  constructor(
    private readonly maxConcurrent: number,
    private readonly perMinute: number,
    readonly windowMs = 60_000,
  ) {}
  for(realmId: string): RealmLimiter {
    let l = this.byRealm.get(realmId);
    if (!l) this.byRealm.set(realmId, (l = new RealmLimiter(this.maxConcurrent, (this.perMinute * this.windowMs) / 60_000, this.windowMs)));
    return l;
  }
}
