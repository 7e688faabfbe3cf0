// Per-realm throttling (concurrent requests and requests per window) and test-controlled fault injection.
import type { Company } from './store.ts';

export interface ThrottleConfig {
  rateLimitPerMinute: number;
  rateWindowMs: number;
  maxConcurrent: number;
}

/** Admits a request that is already counted in `company.inFlight`; false = answer 429. */
export function admit(company: Company, cfg: ThrottleConfig, now = Date.now()): boolean {
  if (company.inFlight > cfg.maxConcurrent) return false;
  if (now - company.windowStart >= cfg.rateWindowMs) {
    company.windowStart = now;
    company.windowCount = 0;
  }
  if (company.windowCount >= cfg.rateLimitPerMinute) return false;
  company.windowCount++;
  return true;
}

export interface FaultSpec {
  method?: string;
  path?: RegExp;
  status: number;
  body?: unknown;
  delayMs?: number;
  count?: number;
  afterWork?: boolean;
  /** Drop the connection (no answer at all) instead of answering `status`. */
  drop?: boolean;
}

/** Random faults on a share of API requests, as a flaky network and a struggling QBO would answer. */
export interface RandomFaults {
  /** Share of API requests that get a fault (0..1). */
  rate: number;
  seed?: number;
  /** Include 429s (default true). The app waits a minute after one, as Intuit asks: short runs leave them out. */
  throttle?: boolean;
}

/** The kinds drawn, evenly: throttled, server errors before and after the work committed, slow, dropped before/after. */
const RANDOM_KINDS: FaultSpec[] = [
  { status: 429 },
  { status: 500 },
  { status: 503 },
  { status: 500, afterWork: true },
  { status: 503, afterWork: true },
  { status: 200, delayMs: 1500 }, // slow: the real answer, late
  { status: 0, drop: true },
  { status: 0, drop: true, afterWork: true },
];

/** A small seeded generator (mulberry32), so a run's faults can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function drawRandomFault(rand: () => number, cfg: RandomFaults): FaultSpec | undefined {
  if (rand() >= cfg.rate) return undefined;
  const kinds = cfg.throttle === false ? RANDOM_KINDS.filter((k) => k.status !== 429) : RANDOM_KINDS;
  return kinds[Math.floor(rand() * kinds.length)];
}

interface PendingFault extends FaultSpec {
  remaining: number;
}

export class FaultInjector {
  private pending: PendingFault[] = [];

  add(f: FaultSpec): void {
    this.pending.push({ ...f, remaining: f.count ?? 1 });
  }

  /**
   * Takes the first pending fault matching this request, if any. API requests match a fault without a path;
   * OAuth endpoints only match a fault whose path matches them.
   */
  take(method: string, pathname: string, search: string, isApi: boolean): FaultSpec | undefined {
    for (const f of this.pending) {
      if (f.remaining <= 0) continue;
      if (f.method && f.method.toUpperCase() !== method.toUpperCase()) continue;
      const re = f.path;
      if (re) {
        const matches = (s: string) => {
          re.lastIndex = 0;
          return re.test(s);
        };
        const hit = matches(pathname) || matches(pathname + search);
        if (!hit) continue;
      } else if (!isApi) continue;
      f.remaining--;
      this.pending = this.pending.filter((p) => p.remaining > 0);
      return f;
    }
    return undefined;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
