import type { RealmStats } from './realm-stats.ts';
// The QBO emulator's public surface (options, stats, recorded requests, the QboEmulator interface) and the router's answer.
import type { CompanyIdentitySeed } from './seed.ts';
import type { Entity } from './store.ts';
import type { PayOptions } from './controls.ts';
import type { FaultSpec, RandomFaults } from './limits.ts';
import type { WebhookConfig, WebhookSender } from './webhooks.ts';

export interface QboEmulatorOptions {
  host?: string;
  port?: number;
  clientId?: string;
  clientSecret?: string;
  accessTokenTtlSeconds?: number;
  rateLimitPerMinute?: number;
  rateWindowMs?: number;
  maxConcurrent?: number;
  latencyMs?: number;
}

export interface QboEmulatorStats {
  tokenRequests: number;
  refreshGrants: number;
  authorizationCodeGrants: number;
  revokes: number;
  apiRequests: number;
  maxConcurrentSeen: number;
  throttled: number;
  /** Faults answered (injected one by one, or drawn by setRandomFaults). */
  faultsInjected: number;
  /** Metered (CorePlus) calls per realm: reads, queries and change data capture; creates and updates are not metered. */
  metered: Record<string, number>;
}

/** Seen by `onRequest`: an API or OAuth request as it arrives, and again once it was answered (or dropped). */
export interface RequestPhase {
  method: string;
  path: string;
  phase: 'received' | 'answered';
  status?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  realmId?: string;
  status: number;
  /** When the answer was sent (ms since the epoch). */
  at: number;
}

export interface QboEmulator {
  url: string;
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  clientId: string;
  clientSecret: string;
  defaultRealmId: string;
  /** A new company (its own realm, seeded lists); `identity` sets CompanyInfo's LegalName and addresses. */
  addCompany(name: string, identity?: CompanyIdentitySeed): string;
  nextAuthorizeRealm: string | null;
  entities(realmId: string, entity: string): any[];
  setActive(realmId: string, entity: string, id: string, active: boolean): void;
  /** Test control: stores records as if they had been created in QBO (for large lists, without the rate limit). */
  addEntities(realmId: string, entity: string, objs: Record<string, unknown>[]): void;
  injectFault(f: FaultSpec): void;
  /** From now on a share of API requests get a random fault (429/500/503, slow, dropped; before or after the work). */
  setRandomFaults(f: RandomFaults | null): void;
  /** Called synchronously for every request received and answered (a test can kill a client at that moment). */
  onRequest: ((r: RequestPhase) => void) | null;
  expireAccessTokens(realmId?: string): void;
  revokeRefreshTokens(realmId?: string): void;
  /** The realm's grants (and later ones) end at `at`: token answers carry x_refresh_token_hard_expires_in until then. */
  setRefreshHardExpiry(realmId: string, at: number): void;
  /** Where Intuit sends webhooks for every company's changes (null: none), signed with the verifier token. */
  setWebhook(cfg: WebhookConfig | null): void;
  /** The webhook sender: deliveries made, `dropping` (lose notifications), `send` (a body as is), `idle()`. */
  webhooks: WebhookSender;
  /** A bookkeeper's acts in QuickBooks (each sends its webhooks). */
  payBill(realmId: string, billId: string, o?: PayOptions): Entity;
  deleteTransaction(realmId: string, entity: string, id: string): void;
  voidTransaction(realmId: string, entity: string, id: string): void;
  rename(realmId: string, entity: string, id: string, name: string): void;
  stats: QboEmulatorStats;
  /** Per company: most in flight, most admitted in any window, 429s, refreshes per access-token expiry. */
  realmStats: RealmStats;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface Answer {
  status: number;
  body?: unknown; // JSON-serialised unless Buffer
  headers?: Record<string, string>;
}
