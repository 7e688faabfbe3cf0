import { describe, it, expect } from 'vitest';
import { RealmLimiter } from '../../src/qbo/limiter.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('per-company rate limiter', () => {
  it("however late QBO counts a request (between our start and its answer), no window of QBO's holds more than the limit", async () => {
    const windowMs = 300;
    const limiter = new RealmLimiter(10, 10, windowMs);
    const seen: number[] = []; // when "QBO" counted each request
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        limiter.run(async () => {
          const start = Date.now();
          const took = 5 + ((i * 37) % 40); // answers of varying delay
          await sleep(took);
          seen.push(start + ((i * 13) % (took + 1)) - t0); // counted anywhere in between
        }),
      ),
    );
    seen.sort((a, b) => a - b);
    // Every window QBO could draw (starting at any counted request) holds at most 10.
    for (const s of seen) expect(seen.filter((t) => t >= s && t < s + windowMs).length).toBeLessThanOrEqual(10);
    expect(seen).toHaveLength(40);
  });

  it('after a 429, starts nothing for the time asked, then carries on', async () => {
    const limiter = new RealmLimiter(10, 100, 60_000);
    await limiter.run(async () => {});
    limiter.pause(250);
    const t = Date.now();
    await limiter.run(async () => {});
    expect(Date.now() - t).toBeGreaterThanOrEqual(240);
  });
});
