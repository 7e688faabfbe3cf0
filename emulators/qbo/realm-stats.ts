// Per-company counters for checking that several app instances together keep Intuit's limits: requests in flight,
// requests admitted in any window (sliding, of the configured length), 429s answered, and token refreshes per
// access-token expiry (`expireAccessTokens` starts a new epoch; epoch 0 is before the first).

export interface RealmCounters {
  /** Most API requests in flight at once. */
  maxInFlight: number;
  /** Most requests admitted (not throttled) within any span of the rate window. */
  maxPerWindow: number;
  /** 429s answered. */
  throttled: number;
  /** Refresh-token grant requests per expiry epoch (index 0: before the first expiry). */
  refreshesPerEpoch: number[];
}

export class RealmStats {
  private inFlight = new Map<string, number>();
  private maxInFlight = new Map<string, number>();
  private admitted = new Map<string, number[]>();
  private throttled = new Map<string, number>();
  private epoch = new Map<string, number>();
  private refreshes = new Map<string, number[]>();

  constructor(private readonly windowMs: number) {}

  started(realmId: string): void {
    const n = (this.inFlight.get(realmId) ?? 0) + 1;
    this.inFlight.set(realmId, n);
    this.maxInFlight.set(realmId, Math.max(n, this.maxInFlight.get(realmId) ?? 0));
  }

  ended(realmId: string): void {
    this.inFlight.set(realmId, (this.inFlight.get(realmId) ?? 1) - 1);
  }

  admit(realmId: string, at = Date.now()): void {
    let a = this.admitted.get(realmId);
    if (!a) this.admitted.set(realmId, (a = []));
    a.push(at);
  }

  throttle(realmId: string): void {
    this.throttled.set(realmId, (this.throttled.get(realmId) ?? 0) + 1);
  }

  /** The realm's access tokens expired (or `undefined`: every realm's). */
  expired(realmId?: string): void {
    const realms = realmId ? [realmId] : [...new Set([...this.epoch.keys(), ...this.refreshes.keys(), ...this.admitted.keys()])];
    for (const r of realms) this.epoch.set(r, (this.epoch.get(r) ?? 0) + 1);
  }

  refresh(realmId: string): void {
    let r = this.refreshes.get(realmId);
    if (!r) this.refreshes.set(realmId, (r = []));
    const e = this.epoch.get(realmId) ?? 0;
    while (r.length <= e) r.push(0);
    r[e]++;
  }

  /** Requests admitted for the realm, and the span from the first to the last (ms). */
  admittedSpan(realmId: string): { requests: number; spanMs: number } {
    const a = this.admitted.get(realmId) ?? [];
    return { requests: a.length, spanMs: a.length > 1 ? Math.max(...a) - Math.min(...a) : 0 };
  }

  of(realmId: string): RealmCounters {
    const a = [...(this.admitted.get(realmId) ?? [])].sort((x, y) => x - y);
    let maxPerWindow = 0;
    for (let i = 0, j = 0; j < a.length; j++) {
      while (a[j] - a[i] >= this.windowMs) i++;
      maxPerWindow = Math.max(maxPerWindow, j - i + 1);
    }
    const epochs = (this.epoch.get(realmId) ?? 0) + 1;
    const refreshesPerEpoch = Array.from({ length: epochs }, (_, e) => this.refreshes.get(realmId)?.[e] ?? 0);
    return {
      maxInFlight: this.maxInFlight.get(realmId) ?? 0,
      maxPerWindow,
      throttled: this.throttled.get(realmId) ?? 0,
      refreshesPerEpoch,
    };
  }
}
