import QuickBooks from 'node-quickbooks';
import type { Config } from '../config.ts';
import type { MeteredCalls } from './metered.ts';
import type { Logger } from '../log.ts';
import { QboError, toQboError } from './errors.ts';
import { withTimeout, type QboConnections } from './connections.ts';
import type { CompanyLimits } from './limiter.ts';

/**
 * The only module that touches node-quickbooks. It gives the rest of the app typed promises, one error type,
 * idempotent creates (requestid), automatic token refresh on 401, and Intuit's per-company rate limits.
 */

export interface Ref {
  value: string;
  name?: string;
  type?: string;
}
export interface QboEntity {
  Id: string;
  SyncToken?: string;
  [k: string]: unknown;
}
export type CreatableEntity = 'Bill' | 'Purchase' | 'BillPayment' | 'Vendor' | 'VendorCredit';
export type ListEntity = 'Account' | 'Customer' | 'Item' | 'Vendor' | 'Class' | 'Attachable' | 'Bill' | 'Purchase';

type Callback = (err: unknown, data: any) => void;

/** QBO's own request timeout; node-quickbooks sets none, and a hung call must not hold a slot for ever. */
const REQUEST_TIMEOUT_MS = 120_000;

export class QboClient {
  constructor(
    private readonly cfg: Config['qbo'],
    private readonly connections: QboConnections,
    private readonly limiters: CompanyLimits,
    private readonly log: Logger,
    /** Where Intuit's metered calls (reads, queries, CDC) are counted; none in tests that do not care. */
    private readonly metered: MeteredCalls | null = null,
  ) {}

  private instance(accessToken: string, realmId: string): any {
    const qbo = new (QuickBooks as any)({
      consumerKey: this.cfg.clientId,
      consumerSecret: this.cfg.clientSecret,
      token: accessToken,
      tokenSecret: false,
      realmId,
      useSandbox: this.cfg.environment === 'sandbox',
      debug: false,
      minorversion: this.cfg.minorVersion,
      oauthversion: '2.0',
    });
    // node-quickbooks copies its static base URL at construction; point this instance at the configured API.
    qbo.endpoint = `${this.cfg.apiBaseUrl}/v3/company/`;
    return qbo;
  }

  /** Runs one API call with a valid token; on 401 renews once (single-flight), then gives up and flags the connection. */
  private async call<T>(teamId: string, op: (qbo: any, realmId: string, token: string) => Promise<T>, metered = false): Promise<T> {
    let { accessToken, realmId } = await this.connections.accessToken(teamId);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.limiters.for(realmId).run(async () => {
          // Counted as sent: Intuit meters the request whatever it answers.
          if (metered) await this.metered?.count(teamId, realmId);
          return withTimeout(
            op(this.instance(accessToken, realmId), realmId, accessToken),
            REQUEST_TIMEOUT_MS,
            'QuickBooks did not answer within 120 s',
          );
        });
      } catch (err) {
        const e = toQboError(err);
        // Intuit's rule: after a 429, nothing for the time it asked, or a whole window. The caller retries later.
        if (e.kind === 'throttled') this.limiters.for(realmId).pause(this.throttleWaitMs(e));
        if (e.kind !== 'auth') throw e;
        if (attempt > 0) {
          await this.connections.markNeedsReconnect(teamId, 'QuickBooks rejected the authorization (401): it was revoked or has expired');
          throw new QboError('not_connected', 'QuickBooks needs to be reconnected', { status: 401, cause: e });
        }
        this.log.debug('qbo 401, renewing token', { teamId, realmId });
        ({ accessToken, realmId } = await this.connections.renewAfterUnauthorized(teamId, accessToken));
      }
    }
  }

  /** How long to wait after QBO throttled a request: its Retry-After, or Intuit's window (60 s). */
  throttleWaitMs(e: QboError): number {
    return e.retryAfterMs ?? this.limiters.windowMs;
  }

  private static cb<T>(fn: (cb: Callback) => void): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      fn((err, data) => {
        if (err) reject(toQboError(err));
        else if (data?.Fault) reject(toQboError(data, 400, data));
        else resolve(data as T);
      }),
    );
  }

  /** Creates an entity. `requestId` makes the call idempotent: QBO answers a repeat with the original result. */
  create<T extends QboEntity>(
    teamId: string,
    entity: CreatableEntity,
    body: Record<string, unknown>,
    opts: { requestId?: string; allowDuplicateDocNum?: boolean } = {},
  ): Promise<T> {
    if (opts.requestId && opts.requestId.length > 50) throw new Error('requestid must be at most 50 characters');
    return this.call(teamId, (qbo) => {
      // node-quickbooks moves these two markers from the body into the query string (and deletes them).
      const payload: Record<string, unknown> = structuredClone(body);
      if (opts.requestId) payload.requestId = opts.requestId;
      if (opts.allowDuplicateDocNum) payload.allowDuplicateDocNum = true;
      return QboClient.cb<T>((cb) => qbo[`create${entity}`](payload, cb));
    });
  }

  read<T extends QboEntity>(teamId: string, entity: ListEntity | 'BillPayment', id: string): Promise<T> {
    return this.call(teamId, (qbo) => QboClient.cb<T>((cb) => qbo[`get${entity}`](id, cb)), true);
  }

  /**
   * Change data capture: every object of these entities changed (or deleted: `{Id, status: 'Deleted'}`) since a
   * time, at most 30 days back and 1,000 objects an answer. One metered call for all of them.
   */
  cdc(teamId: string, entities: string[], since: Date): Promise<Record<string, QboEntity[]>> {
    return this.call(
      teamId,
      (qbo) =>
        QboClient.cb<any>((cb) => qbo.changeDataCapture(entities, since.toISOString(), cb)).then((data) => {
          const out: Record<string, QboEntity[]> = {};
          for (const part of data?.CDCResponse?.[0]?.QueryResponse ?? []) {
            for (const [k, v] of Object.entries(part ?? {})) if (Array.isArray(v)) out[k] = [...(out[k] ?? []), ...(v as QboEntity[])];
          }
          return out;
        }),
      true,
    );
  }

  companyInfo(teamId: string): Promise<{ CompanyName: string; [k: string]: unknown }> {
    return this.call(teamId, (qbo, realmId) => QboClient.cb((cb) => qbo.getCompanyInfo(realmId, cb)), true);
  }

  /**
   * CompanyInfo of `realmId` read with tokens not stored yet (an OAuth callback checks that they open that company).
   * A realm the token was not granted for answers 403 (or 401): that is a QboError, as every other failure.
   */
  companyInfoWithToken(accessToken: string, realmId: string): Promise<{ CompanyName: string; [k: string]: unknown }> {
    return this.limiters.for(realmId).run(() =>
      withTimeout(
        QboClient.cb<{ CompanyName: string }>((cb) => this.instance(accessToken, realmId).getCompanyInfo(realmId, cb)),
        REQUEST_TIMEOUT_MS,
        'QuickBooks did not answer within 120 s',
      ),
    );
  }

  /** Every row of an entity matching simple equality/IN criteria, following QBO's 1000-row pages. */
  findAll<T extends QboEntity>(teamId: string, entity: ListEntity, where: Record<string, unknown> = {}): Promise<T[]> {
    const criteria = [
      ...Object.entries(where).map(([field, value]) => ({ field, value, operator: Array.isArray(value) ? 'IN' : '=' })),
      { field: 'fetchAll', value: true },
    ];
    const plural = entity === 'Class' ? 'Classes' : `${entity}s`;
    return this.call(
      teamId,
      (qbo, realmId) =>
        QboClient.cb<any>((cb) => qbo[`find${plural}`](criteria, cb)).then(async (data) => {
          const rows = (data?.QueryResponse?.[entity] ?? []) as T[];
          // fetchAll asks page after page of 1,000: each further page is one more metered query.
          for (let page = 1; page * 1000 <= rows.length; page++) await this.metered?.count(teamId, realmId);
          return rows;
        }),
      true,
    );
  }

  /**
   * Uploads a file and links it to a transaction in one multipart request (metadata + content), so there is never
   * an unlinked attachment. node-quickbooks' upload() sends the content and links it in a second call, and cannot
   * carry a requestid, so this one call goes over fetch to the same endpoint with the same token.
   */
  attach(
    teamId: string,
    p: {
      entityType: 'Bill' | 'Purchase' | 'VendorCredit';
      entityId: string;
      fileName: string;
      contentType: string;
      bytes: Buffer;
      requestId?: string;
      note?: string;
    },
  ): Promise<QboEntity> {
    return this.call(teamId, async (_qbo, realmId, token) => {
      const metadata = {
        AttachableRef: [{ EntityRef: { type: p.entityType, value: p.entityId }, IncludeOnSend: false }],
        FileName: p.fileName,
        ContentType: p.contentType,
        ...(p.note ? { Note: p.note } : {}),
      };
      const form = new FormData();
      form.append('file_metadata_01', new Blob([JSON.stringify(metadata)], { type: 'application/json' }), 'metadata.json');
      form.append('file_content_01', new Blob([new Uint8Array(p.bytes)], { type: p.contentType }), p.fileName);
      const qs = new URLSearchParams({ minorversion: String(this.cfg.minorVersion) });
      if (p.requestId) qs.set('requestid', p.requestId);
      let res: Response;
      try {
        res = await fetch(`${this.cfg.apiBaseUrl}/v3/company/${realmId}/upload?${qs}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
          body: form,
          signal: AbortSignal.timeout(120_000),
        });
      } catch (err) {
        throw toQboError(err);
      }
      const body: any = await res.json().catch(() => null);
      if (!res.ok) throw toQboError(new Error(`upload failed with ${res.status}`), res.status, body, res.headers);
      const first = body?.AttachableResponse?.[0];
      if (first?.Fault) throw toQboError(first, 400, first);
      if (!first?.Attachable) throw new QboError('server', 'QuickBooks returned no attachment');
      return first.Attachable as QboEntity;
    });
  }
}
