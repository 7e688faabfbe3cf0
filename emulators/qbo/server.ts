// HTTP routing: Intuit OAuth endpoints and the QBO v3 REST API under /v3/company/:realmId/…
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authFailedBody, authorizationFailedBody, throttleBody, validationFault } from './faults.ts';
import { admit, drawRandomFault, FaultInjector, seeded, sleep, type FaultSpec, type RandomFaults } from './limits.ts';
import { OAuthServer } from './oauth.ts';
import { seedCompany, type CompanyIdentitySeed } from './seed.ts';
import { canonicalEntity, Company, type Entity } from './store.ts';
import { deleteTransaction, payBill, renameRecord, voidTransaction, type PayOptions } from './controls.ts';
import { WebhookSender, type WebhookConfig } from './webhooks.ts';
import { RealmStats } from './realm-stats.ts';
import type { Answer, QboEmulator, QboEmulatorOptions, QboEmulatorStats, RecordedRequest, RequestPhase } from './api-types.ts';
import { routeCompany } from './company-routes.ts';
import { faultAnswer, faultAnswerOf, readBody } from './requests.ts';

export type { QboEmulatorOptions, QboEmulatorStats, RequestPhase, RecordedRequest, QboEmulator } from './api-types.ts';

const MAX_REQUESTID = 50;
/** Entities Intuit sends webhooks for (of those the emulator keeps). */
const WEBHOOK_ENTITIES = new Set(['Account', 'Bill', 'BillPayment', 'Class', 'Customer', 'Item', 'Purchase', 'Term', 'Vendor', 'VendorCredit']);
const FIRST_REALM = 9341453050160001n;

export class QboEmulatorServer implements QboEmulator {
  url = '';
  authorizeUrl = '';
  tokenUrl = '';
  revokeUrl = '';
  readonly clientId: string;
  readonly clientSecret: string;
  defaultRealmId: string;
  nextAuthorizeRealm: string | null;
  stats: QboEmulatorStats = {
    tokenRequests: 0,
    refreshGrants: 0,
    authorizationCodeGrants: 0,
    revokes: 0,
    apiRequests: 0,
    maxConcurrentSeen: 0,
    throttled: 0,
    faultsInjected: 0,
    metered: {},
  };
  readonly webhooks = new WebhookSender();
  readonly realmStats: RealmStats;
  requests: RecordedRequest[] = [];
  onRequest: ((r: RequestPhase) => void) | null = null;
  private random: { cfg: RandomFaults; rand: () => number } | null = null;

  private companies = new Map<string, Company>();
  private oauth: OAuthServer;
  private faults = new FaultInjector();
  private server: Server;
  private realmCounter = 0n;
  private tid = 0;

  constructor(private opts: Required<QboEmulatorOptions>) {
    this.clientId = opts.clientId;
    this.clientSecret = opts.clientSecret;
    this.oauth = new OAuthServer(
      { clientId: opts.clientId, clientSecret: opts.clientSecret, accessTokenTtlSeconds: opts.accessTokenTtlSeconds },
      this.stats,
    );
    this.realmStats = new RealmStats(opts.rateWindowMs);
    this.oauth.onRefresh = (realmId) => this.realmStats.refresh(realmId);
    this.defaultRealmId = this.addCompany('Keystone Builders LLC');
    this.nextAuthorizeRealm = this.defaultRealmId;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        if (!res.headersSent) this.send(res, faultAnswer(e));
      });
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.host, () => resolve());
    });
    const addr = this.server.address() as AddressInfo;
    this.url = `http://${this.opts.host}:${addr.port}`;
    this.authorizeUrl = `${this.url}/connect/oauth2`;
    this.tokenUrl = `${this.url}/oauth2/v1/tokens/bearer`;
    this.revokeUrl = `${this.url}/v2/oauth2/tokens/revoke`;
  }

  close(): Promise<void> {
    this.webhooks.close();
    return new Promise((resolve, reject) => {
      this.server.close((e) => (e ? reject(e) : resolve()));
      this.server.closeAllConnections();
    });
  }

  // ------------------------------------------------------------ test controls

  addCompany(name: string, identity?: CompanyIdentitySeed): string {
    const realmId = String(FIRST_REALM + this.realmCounter++ * 1_000_003n);
    const c = new Company(realmId, name);
    seedCompany(c, name, identity);
    c.onChange = (entity, obj, op) => {
      if (WEBHOOK_ENTITIES.has(entity)) this.webhooks.changed(realmId, entity, obj, op);
    };
    this.companies.set(realmId, c);
    return realmId;
  }

  private company(realmId: string): Company {
    const c = this.companies.get(realmId);
    if (!c) throw new Error(`QBO emulator: no company with realmId ${realmId}`);
    return c;
  }

  entities(realmId: string, entity: string): any[] {
    const name = canonicalEntity(entity) ?? entity;
    return this.company(realmId).all(name);
  }

  setActive(realmId: string, entity: string, id: string, active: boolean): void {
    const name = canonicalEntity(entity) ?? entity;
    const obj = this.company(realmId).get(name, id);
    if (!obj) throw new Error(`QBO emulator: no ${name} ${id} in realm ${realmId}`);
    obj.Active = active;
    this.company(realmId).touch(obj);
  }

  addEntities(realmId: string, entity: string, objs: Record<string, unknown>[]): void {
    const name = canonicalEntity(entity) ?? entity;
    const c = this.company(realmId);
    for (const o of objs) c.insert(name, o);
  }

  setWebhook(cfg: WebhookConfig | null): void {
    this.webhooks.configure(cfg);
  }

  payBill(realmId: string, billId: string, o?: PayOptions): Entity {
    return payBill(this.company(realmId), billId, o);
  }

  deleteTransaction(realmId: string, entity: string, id: string): void {
    deleteTransaction(this.company(realmId), entity, id);
  }

  voidTransaction(realmId: string, entity: string, id: string): void {
    voidTransaction(this.company(realmId), entity, id);
  }

  rename(realmId: string, entity: string, id: string, name: string): void {
    renameRecord(this.company(realmId), entity, id, name);
  }

  injectFault(f: FaultSpec): void {
    this.faults.add(f);
  }

  setRandomFaults(f: RandomFaults | null): void {
    this.random = f ? { cfg: f, rand: seeded(f.seed ?? 1) } : null;
  }

  expireAccessTokens(realmId?: string): void {
    this.oauth.expireAccessTokens(realmId);
    this.realmStats.expired(realmId);
  }

  revokeRefreshTokens(realmId?: string): void {
    this.oauth.revokeRefreshTokens(realmId);
  }

  setRefreshHardExpiry(realmId: string, at: number): void {
    this.oauth.setRefreshHardExpiry(realmId, at);
  }

  // ------------------------------------------------------------ HTTP

  private send(res: ServerResponse, a: Answer): void {
    const headers: Record<string, string> = { intuit_tid: `1-emu-${++this.tid}`, ...(a.headers ?? {}) };
    let payload: Buffer | string = '';
    if (Buffer.isBuffer(a.body)) payload = a.body;
    else if (a.body !== undefined) {
      payload = JSON.stringify(a.body);
      headers['content-type'] ??= 'application/json;charset=UTF-8';
    }
    res.writeHead(a.status, headers);
    res.end(payload);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://emulator');
    const method = (req.method ?? 'GET').toUpperCase();
    const body = await readBody(req);
    const query = Object.fromEntries(u.searchParams.entries());
    const api = /^\/v3\/company\/([^/]+)\/(.+?)\/?$/.exec(u.pathname);
    let answer: Answer;
    let realmId: string | undefined;
    this.onRequest?.({ method, path: u.pathname, phase: 'received' });
    if (api) {
      realmId = api[1];
      answer = await this.handleApi(method, u, api[1], api[2], body, req);
    } else {
      const injected = this.faults.take(method, u.pathname, u.search, false);
      if (injected) {
        if (injected.delayMs) await sleep(injected.delayMs);
        answer = { status: injected.status, body: injected.body ?? { error: 'server_error' } };
      } else {
        answer = this.handleOAuth(method, u, body, req);
      }
    }
    this.requests.push({
      method,
      path: u.pathname,
      query,
      ...(realmId ? { realmId } : {}),
      status: answer.status,
      at: Date.now(),
    });
    if (answer.status === 0)
      res.socket?.destroy(); // a dropped connection: no answer at all
    else this.send(res, answer);
    this.onRequest?.({ method, path: u.pathname, phase: 'answered', status: answer.status });
  }

  private handleOAuth(method: string, u: URL, body: Buffer, req: IncomingMessage): Answer {
    if (u.pathname === '/connect/oauth2' && method === 'GET') {
      const realm = this.nextAuthorizeRealm ?? this.defaultRealmId;
      return this.oauth.authorize(u.searchParams, this.companies.has(realm) ? realm : null);
    }
    if (u.pathname === '/oauth2/v1/tokens/bearer' && method === 'POST') {
      const ct = String(req.headers['content-type'] ?? '');
      if (!ct.includes('application/x-www-form-urlencoded')) {
        this.stats.tokenRequests++;
        return {
          status: 400,
          body: {
            error: 'invalid_request',
            error_description: 'Content-Type must be application/x-www-form-urlencoded',
          },
        };
      }
      return this.oauth.token(new URLSearchParams(body.toString('utf8')), req.headers);
    }
    if (u.pathname === '/v2/oauth2/tokens/revoke' && method === 'POST') {
      const ct = String(req.headers['content-type'] ?? '');
      let token: string | undefined;
      if (ct.includes('json')) {
        try {
          token = JSON.parse(body.toString('utf8'))?.token;
        } catch {
          token = undefined;
        }
      } else {
        token = new URLSearchParams(body.toString('utf8')).get('token') ?? undefined;
      }
      return this.oauth.revoke(token, req.headers);
    }
    return { status: 404, body: { error: 'not_found' } };
  }

  private async handleApi(method: string, u: URL, realmId: string, rest: string, body: Buffer, req: IncomingMessage): Promise<Answer> {
    this.stats.apiRequests++;
    const company = this.companies.get(realmId);
    const parts = rest.split('/');
    // A signed download link (TempDownloadUri) needs no bearer token.
    if (company && parts[0] === 'download' && parts[1] && u.searchParams.get('signature')) {
      const att = company.get('Attachable', parts[1]);
      if (!att?._bytes) return { status: 404, body: { error: 'not_found' } };
      return {
        status: 200,
        body: att._bytes as Buffer,
        headers: { 'content-type': att.ContentType ?? 'application/octet-stream' },
      };
    }
    if (company) {
      company.inFlight++;
      this.realmStats.started(realmId);
      this.stats.maxConcurrentSeen = Math.max(this.stats.maxConcurrentSeen, company.inFlight);
    }
    try {
      const auth = String(req.headers.authorization ?? '');
      const bearer = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
      const tokenRealm = bearer ? this.oauth.accessTokenRealm(bearer) : null;
      if (!tokenRealm) {
        return {
          status: 401,
          body: authFailedBody(),
          headers: { 'www-authenticate': 'Bearer realm="Intuit", error="invalid_token"' },
        };
      }
      // A good token opens only the company it was granted for; any other realm (or none) is forbidden.
      if (!company || tokenRealm !== realmId) return { status: 403, body: authorizationFailedBody() };
      if (method === 'GET' || parts[0].toLowerCase() === 'query') this.stats.metered[realmId] = (this.stats.metered[realmId] ?? 0) + 1;
      if (!admit(company, this.opts)) {
        this.stats.throttled++;
        this.realmStats.throttle(realmId);
        return { status: 429, body: throttleBody() };
      }
      this.realmStats.admit(realmId);
      if (this.opts.latencyMs > 0) await sleep(this.opts.latencyMs);

      let injected = this.faults.take(method, u.pathname, u.search, true);
      if (!injected && this.random) injected = drawRandomFault(this.random.rand, this.random.cfg);
      if (injected?.status === 200 && injected.delayMs) {
        // Slow, not failed: the real answer after a delay.
        this.stats.faultsInjected++;
        await sleep(injected.delayMs);
        injected = undefined;
      }
      if (injected) this.stats.faultsInjected++;
      if (injected && !injected.afterWork) {
        if (injected.delayMs) await sleep(injected.delayMs);
        return faultAnswerOf(injected);
      }

      const requestId = u.searchParams.get('requestid');
      let result: Answer;
      if (requestId !== null && requestId.length > MAX_REQUESTID) {
        result = faultAnswer(
          validationFault('2030', 'Invalid ID', `requestid is ${requestId.length} characters long; the maximum is ${MAX_REQUESTID}.`, 'requestid'),
        );
      } else if (requestId && company.idempotency.has(requestId)) {
        const cached = company.idempotency.get(requestId)!;
        result = { status: cached.status, body: structuredClone(cached.body) };
      } else {
        result = await routeCompany(company, method, u, parts, body, req, this.url);
        if (requestId && !Buffer.isBuffer(result.body)) {
          company.idempotency.set(requestId, { status: result.status, body: structuredClone(result.body) });
        }
      }
      if (injected) {
        if (injected.delayMs) await sleep(injected.delayMs);
        return faultAnswerOf(injected);
      }
      return result;
    } finally {
      if (company) {
        company.inFlight--;
        this.realmStats.ended(realmId);
      }
    }
  }
}
