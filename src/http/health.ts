import type { CustomRoute } from '@slack/bolt';
import { sql } from 'drizzle-orm';
import { qboConnections } from '../db/schema.ts';
import type { SlackDeps } from '../slack/deps.ts';

/** GET /healthz: database reachable, QBO connections by state, queue depth. 503 when the database is not usable. */
export function healthRoute(deps: SlackDeps): CustomRoute {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req, res) => {
      let body: Record<string, unknown>;
      let status = 200;
      try {
        const rows = deps.engine.db
          .select({ status: qboConnections.status, n: sql<number>`count(*)` })
          .from(qboConnections)
          .groupBy(qboConnections.status)
          .all();
        body = {
          ok: true,
          database: 'ok',
          qbo: Object.fromEntries(rows.map((r) => [r.status, r.n])),
          queue: { pending: deps.engine.worker.pending() },
        };
      } catch (err) {
        status = 503;
        body = { ok: false, database: 'unavailable', error: err instanceof Error ? err.message : String(err) };
      }
      res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(body));
    },
  };
}
