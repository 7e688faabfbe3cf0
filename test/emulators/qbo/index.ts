// QuickBooks Online API + Intuit OAuth emulator for tests and the offline demo.
// Point node-quickbooks at `${emu.url}/v3/company/` and intuit-oauth's static endpoints at
// emu.authorizeUrl / emu.tokenUrl / emu.revokeUrl.
import { QboEmulatorServer, type QboEmulator, type QboEmulatorOptions } from './server.ts';

export type { QboEmulator, QboEmulatorOptions, QboEmulatorStats, RecordedRequest } from './server.ts';
export type { FaultSpec } from './limits.ts';

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
