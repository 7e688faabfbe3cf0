import type { CustomRoute } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpDeps } from './deps.ts';
import { parseWebhook, signatureValid } from '../qbo/webhook-payload.ts';
import { page } from './qbo-oauth.ts';

/**
 * POST /qbo/webhooks — Intuit's change notifications. The signature (`intuit-signature`, HMAC-SHA256 of the raw
 * body with QBO_WEBHOOK_TOKEN) is checked before anything is parsed; the events are stored and queued, and Intuit
 * gets its 200 at once (it allows 3 s); the queue applies them (src/qbo/changes.ts). A bad signature, or events
 * only for companies the app does not know: 401 and nothing stored. Without QBO_WEBHOOK_TOKEN: 503.
 */

const MAX_BODY = 1024 * 1024;

function readRaw(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, body: Record<string, unknown>) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function qboWebhookRoute(deps: HttpDeps): CustomRoute {
  const { engine } = deps;
  return {
    path: '/qbo/webhooks',
    method: ['POST'],
    handler: async (req, res) => {
      const token = engine.config.qbo.webhookToken;
      const raw = await readRaw(req).catch(() => null);
      if (!token) return answer(res, 503, { error: 'webhooks are not configured (QBO_WEBHOOK_TOKEN)' });
      if (!raw) return answer(res, 413, { error: 'body too large' });
      const sig = req.headers['intuit-signature'];
      if (!signatureValid(raw, Array.isArray(sig) ? sig[0] : sig, token)) {
        engine.log.warn('QuickBooks webhook refused: bad signature');
        return answer(res, 401, { error: 'invalid signature' });
      }
      let events: ReturnType<typeof parseWebhook>;
      try {
        events = parseWebhook(JSON.parse(raw.toString('utf8')));
      } catch (err) {
        engine.log.warn('QuickBooks webhook refused: not a webhook payload', { error: err });
        return answer(res, 400, { error: 'unrecognised payload' });
      }
      const known = [];
      for (const e of events) if ((await engine.changes.teamsForRealm(e.realmId)).length) known.push(e);
      if (events.length && !known.length) {
        engine.log.warn('QuickBooks webhook refused: unknown company', { realms: [...new Set(events.map((e) => e.realmId))] });
        return answer(res, 401, { error: 'unknown company' });
      }
      const stored = await engine.changes.record(known);
      answer(res, 200, { ok: true, stored });
    },
  };
}

/**
 * GET /qbo/disconnected — Intuit's *Disconnect URL*: where QuickBooks sends the browser after someone disconnects
 * the app there. It explains what that means; it changes nothing (anyone can open it; the next call to QuickBooks
 * finds the authorization gone and the admins are told through Slack).
 */
export function qboDisconnectedRoute(): CustomRoute {
  return {
    path: '/qbo/disconnected',
    method: ['GET'],
    handler: (_req, res) => {
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
      });
      res.end(
        page(
          'QuickBooks is disconnected',
          'This QuickBooks company is no longer connected to the Slack invoice app, so nothing more is booked in it. ' +
            'Invoices shared in Slack are kept and wait. To connect again, a Slack workspace admin opens /qbo settings and chooses Connect QuickBooks.',
        ),
      );
    },
  };
}
