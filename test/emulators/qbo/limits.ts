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
      if (f.path) {
        f.path.lastIndex = 0;
        const hit = f.path.test(pathname) || ((f.path.lastIndex = 0), f.path.test(pathname + search));
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
