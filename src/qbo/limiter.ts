/**
 * Keeps us inside Intuit's per-company limits: at most `maxConcurrent` requests in flight and `perMinute` started in
 * any sliding minute. Callers wait (FIFO) rather than collect 429s.
 */
export class RealmLimiter {
  private active = 0;
  private starts: number[] = [];
  private waiting: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly maxConcurrent: number,
    private readonly perMinute: number,
    private readonly windowMs = 60_000,
  ) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.active--;
      this.pump();
    }
  }

  private acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.pump();
    });
  }

  private pump() {
    const now = Date.now();
    while (this.starts.length && this.starts[0] <= now - this.windowMs) this.starts.shift();
    while (this.waiting.length && this.active < this.maxConcurrent && this.starts.length < this.perMinute) {
      this.active++;
      this.starts.push(now);
      this.waiting.shift()!();
    }
    if (this.waiting.length && this.active < this.maxConcurrent && !this.timer) {
      const wait = this.starts[0] + this.windowMs - now;
      this.timer = setTimeout(() => {
        this.timer = null;
        this.pump();
      }, Math.max(wait, 1));
      this.timer.unref();
    }
  }
}

export class Limiters {
  private byRealm = new Map<string, RealmLimiter>();
  constructor(private readonly maxConcurrent: number, private readonly perMinute: number) {}
  for(realmId: string): RealmLimiter {
    let l = this.byRealm.get(realmId);
    if (!l) this.byRealm.set(realmId, (l = new RealmLimiter(this.maxConcurrent, this.perMinute)));
    return l;
  }
}
