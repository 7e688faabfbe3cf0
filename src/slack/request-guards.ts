import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { HTTPModuleFunctions, isValidSlackRequest, type AnyMiddlewareArgs, type App, type Middleware } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Store } from '../store/index.ts';
import type { Logger } from '../log.ts';
import { envelopeProblem } from './envelope.ts';

/**
 * What the Slack endpoint accepts before any listener runs:
 * - single-workspace mode (SLACK_BOT_TOKEN): only the team the token belongs to (auth.test) is served; a request
 *   naming any other team is acked and ignored, so it creates no workspace rows and makes no Slack calls;
 * - no request timestamped more than a minute ahead (Bolt refuses only ones older than 5 minutes), and no signed
 *   body Bolt would choke on (see parsesToObject);
 * - each event delivery once: Slack retries deliveries (X-Slack-Retry-Num) with the same event_id.
 */

export const MAX_FUTURE_SKEW_S = 60;
/** How long an event id is remembered (Slack retries within minutes; a day is plenty). */
export const EVENT_MEMORY_MS = 24 * 60 * 60_000;

/** Bolt's own body limit (HTTPReceiver's default). */
const BODY_LIMIT = 4 * 1024 * 1024;

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.destroy();
        reject(Object.assign(new Error('body too large'), { statusCode: 413 }));
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The body parsed as Bolt's HTTPReceiver parses it (form with an optional JSON `payload`, otherwise JSON), and why
 * Bolt could not take it, or null. Bolt reads `body.ssl_check` first, so a body or payload of `null` throws inside its
 * request handler: the request is never answered and the rejection is unhandled, which stops the process; an
 * envelope of the wrong shape makes it answer 500 (see envelope.ts). Not-JSON is left to Bolt (it answers 400):
 * `body` is then undefined.
 */
export function parseSlackBody(raw: string, contentType: string | undefined): { body: unknown; problem: string | null } {
  let v: unknown;
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const form = parseQuery(raw);
      if (typeof form.payload !== 'string') return { body: form, problem: envelopeProblem(form) };
      v = JSON.parse(form.payload);
    } else {
      v = JSON.parse(raw);
    }
  } catch {
    return { body: undefined, problem: null };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { body: v, problem: 'the body is not an object' };
  return { body: v, problem: envelopeProblem(v as Record<string, unknown>) };
}

/** Why Bolt could not take this body (see parseSlackBody), or null. */
export function bodyProblem(raw: string, contentType: string | undefined): string | null {
  return parseSlackBody(raw, contentType).problem;
}

/** The body the guard parsed, kept on the request for Bolt (see parseOnce). */
const PARSED = Symbol('parsed Slack body');
type GuardedRequest = IncomingMessage & { rawBody?: Buffer; [PARSED]?: { raw: Buffer; body: unknown } };

/**
 * Bolt's HTTPReceiver parses the body itself after verifying the signature (`HTTPModuleFunctions.parseHTTPRequestBody`,
 * looked up on that module's exports at each request): it is handed the guard's parse instead of a second
 * querystring + JSON parse of the same bytes (a block_suggestion carries its whole modal). The parse is of the very
 * bytes Bolt verified (`rawBody`, set by the guard, and still the same Buffer); a request the guard did not parse,
 * and an ssl_check (whose body Bolt sanitises since it is not signed), is parsed by Bolt as before.
 * Returns false when Bolt's module no longer has that shape (everything then works as without it).
 */
let parseShared: boolean | null = null;
export function parseOnce(): boolean {
  if (parseShared !== null) return parseShared;
  const fns = HTTPModuleFunctions as unknown as { parseHTTPRequestBody?: (req: GuardedRequest) => unknown };
  const original = fns.parseHTTPRequestBody;
  if (typeof original !== 'function') return (parseShared = false);
  try {
    // Only for the same Buffer: Bolt swaps rawBody for a sanitised one on an (unsigned) ssl_check.
    fns.parseHTTPRequestBody = (req: GuardedRequest) => (req[PARSED] && req[PARSED].raw === req.rawBody ? req[PARSED].body : original(req));
  } catch {
    return (parseShared = false);
  }
  return (parseShared = fns.parseHTTPRequestBody !== original);
}

/**
 * Wraps the HTTP receiver's request listener for the Slack endpoints: a request stamped > 60 s ahead gets 401 (as a
 * stale one does), and a signed body Bolt cannot take (`null`, an array, a malformed envelope) gets 400 before Bolt
 * sees it.
 * The body is read here and handed on as `rawBody`, which Bolt uses instead of reading the stream again.
 */
export function guardSlackHttp(app: App, o: { endpoints: string[]; signingSecret: string; log: Logger; nowS?: () => number }): boolean {
  const nowS = o.nowS ?? (() => Date.now() / 1000);
  const receiver = (app as unknown as { receiver?: { requestListener?: RequestListener } }).receiver;
  const original = receiver?.requestListener;
  if (!receiver || typeof original !== 'function') return false;
  const shareParse = parseOnce();
  const answer = (res: ServerResponse, status: number) => {
    if (res.headersSent) return;
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end('');
  };
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || !o.endpoints.includes(path)) return original.call(receiver, req, res);
    const ts = Number(req.headers['x-slack-request-timestamp']);
    if (Number.isFinite(ts) && ts - nowS() > MAX_FUTURE_SKEW_S) {
      o.log.warn('slack request refused: timestamp in the future', { aheadSeconds: Math.round(ts - nowS()) });
      return answer(res, 401);
    }
    void (async () => {
      let raw: Buffer;
      try {
        raw = await readBody(req, BODY_LIMIT);
      } catch (err) {
        return answer(res, (err as { statusCode?: number }).statusCode === 413 ? 413 : 400);
      }
      (req as GuardedRequest).rawBody = raw;
      const text = raw.toString();
      const { body, problem } = parseSlackBody(text, req.headers['content-type']);
      if (problem) {
        const signed = isValidSlackRequest({
          signingSecret: o.signingSecret,
          body: text,
          headers: { 'x-slack-signature': String(req.headers['x-slack-signature'] ?? ''), 'x-slack-request-timestamp': ts },
        });
        o.log.warn('slack request refused: not a Slack envelope', { signed, problem });
        return answer(res, signed ? 400 : 401);
      }
      const sslCheck = (body as { ssl_check?: unknown } | undefined)?.ssl_check !== undefined;
      if (shareParse && body !== undefined && !sslCheck) (req as GuardedRequest)[PARSED] = { raw, body };
      original.call(receiver, req, res);
    })().catch((err) => {
      o.log.error('slack request guard failed', { error: err });
      answer(res, 400);
    });
  };
  return true;
}

type Args = AnyMiddlewareArgs & {
  context: { teamId?: string; enterpriseId?: string };
  next: () => Promise<void>;
  ack?: (...a: any[]) => Promise<void>;
};

/**
 * The team a bot token belongs to, asked once (auth.test) and remembered; null while Slack cannot say (asked again on
 * the next request). Asked at once when created, so the first request does not wait for it.
 */
export function installedTeam(client: WebClient, token: string, log: Logger): () => Promise<string | null> {
  let pending: Promise<string | null> | null = null;
  const ask = () =>
    client.auth.test({ token }).then(
      (res) => (typeof res.team_id === 'string' ? res.team_id : null),
      (err) => {
        log.warn('auth.test failed; refusing requests until the installed team is known', { error: err });
        return null;
      },
    );
  const get = async () => {
    pending ??= ask();
    const team = await pending;
    if (!team) pending = null;
    return team;
  };
  void get();
  return get;
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
export function dedupeEvents(store: Store, log: Logger): Middleware<AnyMiddlewareArgs> {
  let lastPrune = 0;
  return async (raw) => {
    const args = raw as Args;
    const body = args.body as { type?: string; event_id?: unknown };
    const eventId = body?.type === 'event_callback' && typeof body.event_id === 'string' ? body.event_id.slice(0, 200) : null;
    if (!eventId) return args.next();
    if (await store.processedEvents.seen(eventId)) {
      log.info('slack event redelivered; ignored', { eventId });
      return;
    }
    // Remembered after the listeners ran, so a delivery cut short by a crash is handled when Slack sends it again
    // (the handlers are idempotent per file and per view; this only spares the repeat).
    try {
      await args.next();
    } finally {
      const now = Date.now();
      await store.processedEvents.remember(eventId, now);
      if (now - lastPrune > 60_000) {
        lastPrune = now;
        await store.processedEvents.forgetBefore(now - EVENT_MEMORY_MS);
      }
    }
  };
}

/**
 * Global middleware: a command, action, suggestion or submission no listener acked (an unknown action id, a stale
 * button) is acked once the listeners are done, instead of Bolt answering 404 after 3 s. A listener that failed is
 * not: its error stays visible.
 */
export function ackWhenUnhandled(): Middleware<AnyMiddlewareArgs> {
  return async (raw) => {
    const args = raw as Args;
    await args.next();
    if (typeof args.ack === 'function') await ackAgain(args.ack);
  };
}

/**
 * Acks unless a listener did. Bolt refuses a second ack by throwing a fresh Error, which is what happens for nearly
 * every request: its stack trace is not captured (that was ~0.5% of the app's CPU under bench:ack).
 */
function ackAgain(ack: () => Promise<void>): Promise<void> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return ack().catch(() => {});
  } finally {
    Error.stackTraceLimit = limit;
  }
}
