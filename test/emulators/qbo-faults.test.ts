import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { startQboEmulator, type QboEmulator, type RequestPhase } from '../../emulators/qbo/index.ts';

/** Random faults (429/500/503, slow, dropped; before or after the work) and the request hook, over real HTTP. */

const require = createRequire(import.meta.url);
const OAuthClient: any = require('intuit-oauth');

let emu: QboEmulator;
let token: string;
let realm: string;
beforeAll(async () => {
  emu = await startQboEmulator();
  OAuthClient.authorizeEndpoint = emu.authorizeUrl;
  OAuthClient.tokenEndpoint = emu.tokenUrl;
  const oauth = new OAuthClient({
    clientId: emu.clientId,
    clientSecret: emu.clientSecret,
    environment: 'sandbox',
    redirectUri: 'http://localhost:3000/cb',
  });
  const res = await fetch(oauth.authorizeUri({ scope: [OAuthClient.scopes.Accounting], state: 's' }), {
    redirect: 'manual',
  });
  const callback = res.headers.get('location')!;
  token = (await oauth.createToken(callback)).getJson().access_token;
  realm = new URL(callback).searchParams.get('realmId')!;
});
afterAll(async () => {
  await emu.close();
});

const createVendor = (name: string) =>
  fetch(`${emu.url}/v3/company/${realm}/vendor?minorversion=75`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ DisplayName: name }),
  }).then(
    (r) => r.status,
    () => 'dropped' as const,
  );

describe('QBO emulator: random faults', () => {
  it('answers a share of API calls with QBO faults or no answer at all, some after the work committed; the hook sees each call', async () => {
    const seen: RequestPhase[] = [];
    emu.onRequest = (r) => seen.push(r);
    emu.setRandomFaults({ rate: 1, seed: 3 });
    const before = emu.stats.faultsInjected;
    const results: Array<number | 'dropped'> = [];
    for (let i = 0; i < 40; i++) results.push(await createVendor(`Fault Test Vendor ${i}`));
    emu.setRandomFaults(null);
    emu.onRequest = null;
    expect(emu.stats.faultsInjected - before).toBe(40);
    expect(new Set(results)).toEqual(new Set([429, 500, 503, 200, 'dropped']));
    // Faults after the work: the vendor exists though the caller heard an error (or nothing).
    const made = emu.entities(realm, 'Vendor').filter((v) => v.DisplayName.startsWith('Fault Test Vendor')).length;
    const ok = results.filter((r) => r === 200).length;
    expect(made).toBeGreaterThan(ok);
    expect(seen.filter((r) => r.phase === 'received')).toHaveLength(40);
    expect(seen.filter((r) => r.phase === 'answered')).toHaveLength(40);
    expect(await createVendor('After the faults')).toBe(200);
  }, 60_000);
});
