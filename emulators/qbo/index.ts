// QuickBooks Online API + Intuit OAuth emulator for tests and the offline demo.
//
//   const emu = await startQboEmulator();
//   OAuthClient.authorizeEndpoint = emu.authorizeUrl;   // intuit-oauth: static, process-wide
//   OAuthClient.tokenEndpoint = emu.tokenUrl;
//   OAuthClient.revokeEndpoint = emu.revokeUrl;
//   const qbo = new QuickBooks({ ..., oauthversion: '2.0', tokenSecret: false, realmId, token });
//   qbo.endpoint = `${emu.url}/v3/company/`;
//
// Modules: server.ts (routing, requestid, throttling/fault order), oauth.ts, query.ts, schema.ts (2010 checks
// from qbo-entities.json, a copy of /work/shared/schemas), entities.ts (create/update/delete + business rules),
// store.ts, seed.ts, limits.ts, faults.ts (QBO error envelopes).
// Order of checks per API request: bearer token (401) → throttling (429) → latency → injected fault →
// requestid replay → the work. Consent is auto-approved for `nextAuthorizeRealm` (sticky until changed).
import { QboEmulatorServer, type QboEmulator, type QboEmulatorOptions } from './server.ts';

export type { QboEmulator, QboEmulatorOptions, QboEmulatorStats, RecordedRequest, RequestPhase } from './server.ts';
export type { FaultSpec, RandomFaults } from './limits.ts';
export type { WebhookConfig, WebhookFormat, Delivery } from './webhooks.ts';
export { sign as signWebhook, webhookBody } from './webhooks.ts';

export async function startQboEmulator(opts: QboEmulatorOptions = {}): Promise<QboEmulator> {
  const server = new QboEmulatorServer({
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    clientId: opts.clientId ?? 'emu-client-id',
    clientSecret: opts.clientSecret ?? 'emu-client-secret',
    accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? 3600,
    rateLimitPerMinute: opts.rateLimitPerMinute ?? 500,
    rateWindowMs: opts.rateWindowMs ?? 60_000,
    maxConcurrent: opts.maxConcurrent ?? 10,
    latencyMs: opts.latencyMs ?? 0,
  });
  await server.listen();
  return server;
}
