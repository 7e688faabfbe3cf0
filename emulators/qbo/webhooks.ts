// Intuit's webhooks: entity changes batched per short window, POSTed to the app's endpoint signed with the
// verifier token (`intuit-signature` = base64 HMAC-SHA256 of the raw body), in the legacy `eventNotifications`
// payload or the CloudEvents array Intuit now sends; a non-2xx answer (or no answer) is retried on Intuit's schedule.
import { createHmac, randomUUID } from 'node:crypto';
import type { ChangeOperation, Entity } from './store.ts';

export type WebhookFormat = 'legacy' | 'cloudevents';

export interface WebhookConfig {
  url: string;
  verifierToken: string;
  format?: WebhookFormat;
  /** Multiplies Intuit's retry delays (10 s, 20 s, 30 s, 5 m, 20 m, 2 h, 4 h, 6 h): 0.001 makes 10 s → 10 ms. */
  retryScale?: number;
  /** How long changes are gathered into one notification (Intuit batches; default 20 ms here). */
  batchMs?: number;
}

/** Intuit's retry schedule after a failed delivery (then every 6 h; the emulator stops after these). */
export const RETRY_SCHEDULE_MS = [10_000, 20_000, 30_000, 300_000, 1_200_000, 7_200_000, 14_400_000, 21_600_000];

export interface WebhookEvent {
  realmId: string;
  name: string;
  id: string;
  operation: ChangeOperation;
  lastUpdated: string;
}

export interface Delivery {
  body: string;
  attempt: number;
  /** HTTP status, or 0 when the endpoint could not be reached. */
  status: number;
  at: number;
}

export function sign(body: string, verifierToken: string): string {
  return createHmac('sha256', verifierToken).update(body).digest('base64');
}

/** The body Intuit would send for these events. */
export function webhookBody(events: WebhookEvent[], format: WebhookFormat): string {
  if (format === 'legacy') {
    const byRealm = new Map<string, WebhookEvent[]>();
    for (const e of events) byRealm.set(e.realmId, [...(byRealm.get(e.realmId) ?? []), e]);
    return JSON.stringify({
      eventNotifications: [...byRealm].map(([realmId, list]) => ({
        realmId,
        dataChangeEvent: {
          entities: list.map((e) => ({ name: e.name, id: e.id, operation: e.operation, lastUpdated: e.lastUpdated })),
        },
      })),
    });
  }
  const past = { Create: 'created', Update: 'updated', Delete: 'deleted', Merge: 'merged', Void: 'voided' } as const;
  return JSON.stringify(
    events.map((e) => ({
      specversion: '1.0',
      id: randomUUID(),
      source: 'intuit.dsnBgbseACLLRZNxo2dfc4evmEJdxde58xeeYcZliOU=',
      type: `qbo.${e.name.toLowerCase()}.${past[e.operation]}.v1`,
      datacontenttype: 'application/json',
      time: e.lastUpdated,
      intuitentityid: e.id,
      intuitaccountid: e.realmId,
      data: {},
    })),
  );
}

export class WebhookSender {
  private cfg: WebhookConfig | null = null;
  private pending: WebhookEvent[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private inFlight = new Set<Promise<void>>();
  private timers = new Set<NodeJS.Timeout>();
  /** While true, changes send nothing (a missed webhook, for the CDC safety net). */
  dropping = false;
  readonly deliveries: Delivery[] = [];

  configure(cfg: WebhookConfig | null): void {
    this.cfg = cfg;
  }

  /** A change in a company: gathered, then sent as one notification. */
  changed(realmId: string, name: string, obj: Entity, operation: ChangeOperation): void {
    if (!this.cfg || this.dropping) return;
    const lastUpdated = String(obj.MetaData?.LastUpdatedTime ?? new Date().toISOString());
    this.pending.push({ realmId, name, id: String(obj.Id), operation, lastUpdated });
    this.flushTimer ??= setTimeout(() => this.flush(), this.cfg.batchMs ?? 20);
  }

  private flush(): void {
    this.flushTimer = null;
    const events = this.pending.splice(0);
    if (!events.length || !this.cfg) return;
    this.send(webhookBody(events, this.cfg.format ?? 'cloudevents'));
  }

  /** Sends a body as Intuit does (signed), retrying on non-2xx; `signature` overrides the header (a forgery). */
  send(body: string, o: { signature?: string } = {}): Promise<Delivery> {
    const cfg = this.cfg;
    if (!cfg) throw new Error('QBO emulator: no webhook endpoint configured (setWebhook)');
    const attempt = (n: number): Promise<Delivery> => {
      const p = this.post(cfg, body, n, o.signature);
      const tracked = p.then(() => undefined);
      this.inFlight.add(tracked);
      void tracked.finally(() => this.inFlight.delete(tracked));
      return p.then((d) => {
        const delay = RETRY_SCHEDULE_MS[n - 1];
        if ((d.status < 200 || d.status > 299) && delay !== undefined) {
          const t = setTimeout(
            () => {
              this.timers.delete(t);
              void attempt(n + 1);
            },
            delay * (cfg.retryScale ?? 1),
          );
          this.timers.add(t);
        }
        return d;
      });
    };
    return attempt(1);
  }

  private async post(cfg: WebhookConfig, body: string, attempt: number, signature?: string): Promise<Delivery> {
    let status = 0;
    try {
      const res = await fetch(cfg.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'intuit-signature': signature ?? sign(body, cfg.verifierToken) },
        body,
        signal: AbortSignal.timeout(3000), // Intuit gives the endpoint 3 seconds
      });
      status = res.status;
      await res.arrayBuffer();
    } catch {
      status = 0;
    }
    const d: Delivery = { body, attempt, status, at: Date.now() };
    this.deliveries.push(d);
    return d;
  }

  /** Resolves once nothing is gathered, in flight or waiting for a retry. */
  async idle(): Promise<void> {
    for (;;) {
      if (this.flushTimer) await new Promise((r) => setTimeout(r, 5));
      else if (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
      else if (this.timers.size) await new Promise((r) => setTimeout(r, 5));
      else return;
    }
  }

  close(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.cfg = null;
  }
}
