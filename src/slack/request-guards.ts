import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AnyMiddlewareArgs, App, Middleware } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { processedEvents } from '../db/schema.ts';
import type { Logger } from '../log.ts';

/**
 * What the Slack endpoint accepts before any listener runs:
 * - single-workspace mode (SLACK_BOT_TOKEN): only the team the token belongs to (auth.test) is served; a request
 *   naming any other team is acked and ignored, so it creates no workspace rows and makes no Slack calls;
 * - no request timestamped more than a minute ahead (Bolt refuses only ones older than 5 minutes);
 * - each event delivery once: Slack retries deliveries (X-Slack-Retry-Num) with the same event_id.
 */

export const MAX_FUTURE_SKEW_S = 60;
/** How long an event id is remembered (Slack retries within minutes; a day is plenty). */
export const EVENT_MEMORY_MS = 24 * 60 * 60_000;

/** Wraps the HTTP receiver's request listener: a Slack request stamped > 60 s ahead gets 401, as a stale one does. */
export function refuseFutureTimestamps(app: App, endpoints: string[], log: Logger, nowS = () => Date.now() / 1000): boolean {
  const receiver = (app as unknown as { receiver?: { requestListener?: RequestListener } }).receiver;
  const original = receiver?.requestListener;
  if (!receiver || typeof original !== 'function') return false;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'POST' && endpoints.includes(path)) {
      const ts = Number(req.headers['x-slack-request-timestamp']);
      if (Number.isFinite(ts) && ts - nowS() > MAX_FUTURE_SKEW_S) {
        log.warn('slack request refused: timestamp in the future', { aheadSeconds: Math.round(ts - nowS()) });
        res.writeHead(401, { 'content-type': 'text/plain' });
        res.end('');
        return;
      }
    }
    original.call(receiver, req, res);
  };
  return true;
}

type Args = AnyMiddlewareArgs & { context: { teamId?: string; enterpriseId?: string }; next: () => Promise<void>; ack?: (...a: any[]) => Promise<void> };

/** The team a bot token belongs to, asked once (auth.test) and remembered; null while Slack cannot say. */
export function installedTeam(client: WebClient, token: string, log: Logger): () => Promise<string | null> {
  let known: string | null = null;
  return async () => {
    if (known) return known;
    try {
      const res = await client.auth.test({ token });
      known = typeof res.team_id === 'string' ? res.team_id : null;
    } catch (err) {
      log.warn('auth.test failed; refusing requests until the installed team is known', { error: err });
    }
    return known;
  };
}

/** Global middleware: only the installed team gets through (fails closed while the team is unknown). */
export function onlyInstalledTeam(team: () => Promise<string | null>, log: Logger): Middleware<AnyMiddlewareArgs> {
  return async (raw) => {
    const args = raw as Args;
    const teamId = args.context.teamId;
    const mine = await team();
    if (mine && teamId === mine) return args.next();
    log.warn('slack request for another workspace ignored', { teamId: teamId ?? null });
    if (typeof args.ack === 'function') await args.ack();
  };
}

/** Global middleware: an event_id seen before (a redelivery) is ignored; it is remembered once its listeners ran. */
export function dedupeEvents(db: Db, log: Logger): Middleware<AnyMiddlewareArgs> {
  let lastPrune = 0;
  return async (raw) => {
    const args = raw as Args;
    const body = args.body as { type?: string; event_id?: unknown };
    const eventId = body?.type === 'event_callback' && typeof body.event_id === 'string' ? body.event_id.slice(0, 200) : null;
    if (!eventId) return args.next();
    const seen = db.$client.prepare('select 1 from processed_events where event_id = ?').get(eventId);
    if (seen) {
      log.info('slack event redelivered; ignored', { eventId });
      return;
    }
    // Remembered after the listeners ran, so a delivery cut short by a crash is handled when Slack sends it again
    // (the handlers are idempotent per file and per view; this only spares the repeat).
    try {
      await args.next();
    } finally {
      const now = Date.now();
      db.insert(processedEvents).values({ eventId, receivedAt: now }).onConflictDoNothing().run();
      if (now - lastPrune > 60_000) {
        lastPrune = now;
        db.delete(processedEvents).where(lt(processedEvents.receivedAt, now - EVENT_MEMORY_MS)).run();
      }
    }
  };
}
