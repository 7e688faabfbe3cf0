import type { CustomRoute } from '@slack/bolt';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { HttpDeps } from './deps.ts';

let loop: IntervalHistogram | null = null;

/** The main thread's longest stall (ms) since the process started, or since the last `?reset=1`. */
function eventLoopMaxMs(reset: boolean): number {
  if (!loop) {
    loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
  }
  const max = Math.round(loop.max / 1e6);
  if (reset) loop.reset();
  return max;
}

/**
 * GET /healthz: the database's kind (`database`: sqlite | postgres) and that it is reachable, QBO connections by state, queue depth, and the main thread's longest stall
 * (`eventLoop.maxDelayMs`; `?reset=1` starts a new measurement), and this month's metered QBO calls
 * (`meteredCalls`: total, budget, left, companies, maxPerCompany — no company ids on this open route), this
 * instance's id and `workerLease` (true while it holds the lease of a running job). 503 when the database is not usable.
 */
export function healthRoute(deps: HttpDeps): CustomRoute {
  eventLoopMaxMs(false);
  return {
    path: '/healthz',
    method: ['GET'],
    handler: async (req, res) => {
      const reset = new URL(req.url ?? '/', 'http://x').searchParams.get('reset') === '1';
      let body: Record<string, unknown>;
      let status = 200;
      try {
        const qbo = await deps.engine.store.connections.countByStatus();
        body = {
          ok: true,
          database: deps.engine.config.database.kind,
          qbo,
          queue: { pending: await deps.engine.worker.pending() },
          // Which instance answered (several may share the database), and whether it is running a job now.
          instance: deps.engine.instanceId,
          workerLease: deps.engine.worker.holdsLease(),
          eventLoop: { maxDelayMs: eventLoopMaxMs(reset) },
          // Intuit meters reads and queries per app per month: the month's count, the quota and what is left.
          meteredCalls: await deps.engine.metered.month(),
        };
      } catch (err) {
        status = 503;
        body = {
          ok: false,
          database: deps.engine.config.database.kind,
          databaseUnavailable: true,
          error: err instanceof Error ? err.message : String(err),
        };
      }
      res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(body));
    },
  };
}
