// Preloaded into the app by bench:ack (NODE_OPTIONS=--import): the longest event-loop stall per 250 ms, as JSON
// lines appended to BENCH_LOOP_FILE. Measures the product from inside without changing it.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { appendFileSync } from 'node:fs';

const file = process.env.BENCH_LOOP_FILE;
if (file) {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  setInterval(() => {
    appendFileSync(file, `${JSON.stringify({ t: Date.now(), maxMs: Math.round(h.max / 1e6) })}\n`);
    h.reset();
  }, 250).unref();
}
