// The QBO + Intuit OAuth emulator over real HTTP, through the real node-quickbooks and intuit-oauth: OAuth consent, token exchange and refresh, and API authentication.
// Every assertion is something real QBO / Intuit also does (see /work/shared/docs/qbo-api.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QboEmulator } from '../../emulators/qbo/index.ts';
import { ACCOUNTING, REDIRECT, api, call, connect, consent, fault, oauthClient, qboFor, startWorld, type Session } from './qbo-helpers.ts';

describe('QBO emulator', () => {
  let emu: QboEmulator;
  let s: Session;
  beforeAll(async () => {
    ({ emu, s } = await startWorld());
  });
  afterAll(async () => {
    await emu.close();
  });

  describe('OAuth (intuit-oauth)', () => {
    it('auto-approves consent: redirects with code, the echoed state and the realmId', async () => {
      const client = oauthClient(emu);
      const loc = new URL(await consent(emu, client, 'my-state'));
      expect(`${loc.origin}${loc.pathname}`).toBe(REDIRECT);
      expect(loc.searchParams.get('state')).toBe('my-state');
      expect(loc.searchParams.get('realmId')).toBe(emu.defaultRealmId);
      expect(loc.searchParams.get('code')).toBeTruthy();
    });

    it('refuses an authorize request without the accounting scope or with an unknown client', async () => {
      const base = `${emu.authorizeUrl}?response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&state=x`;
      expect((await fetch(`${base}&client_id=${emu.clientId}&scope=openid`, { redirect: 'manual' })).status).toBe(400);
      expect((await fetch(`${base}&client_id=someone-else&scope=${ACCOUNTING}`, { redirect: 'manual' })).status).toBe(400);
    });

    it('exchanges a code once, answers the token shape, and rotates refresh tokens', async () => {
      const client = oauthClient(emu);
      const callback = await consent(emu, client);
      const before = { ...emu.stats };
      const json = (await client.createToken(callback)).getJson();
      expect(json).toMatchObject({ token_type: 'bearer', expires_in: 3600, x_refresh_token_expires_in: 8726400 });
      expect(json.access_token).toBeTruthy();
      expect(client.getToken().realmId).toBe(emu.defaultRealmId);

      // A code is single-use.
      const again = await fault(oauthClient(emu).createToken(callback));
      expect((again as any).error).toBe('invalid_grant');

      // Rotation: the new refresh token works, the old one no longer does.
      const r2 = (await client.refreshUsingToken(json.refresh_token)).getJson();
      expect(r2.refresh_token).not.toBe(json.refresh_token);
      expect(r2.access_token).not.toBe(json.access_token);
      const old = await fault(oauthClient(emu).refreshUsingToken(json.refresh_token));
      expect((old as any).error).toBe('invalid_grant');
      const r3 = (await client.refreshUsingToken(r2.refresh_token)).getJson();
      expect(r3.access_token).toBeTruthy();
      // The access token from the second refresh still works against the API.
      const info = await call((cb) =>
        qboFor(emu, { realmId: emu.defaultRealmId, accessToken: r3.access_token }).getCompanyInfo(emu.defaultRealmId, cb),
      );
      expect((info as any).CompanyName).toBe('Keystone Builders LLC');
      expect(emu.stats.authorizationCodeGrants - before.authorizationCodeGrants).toBe(2);
      expect(emu.stats.refreshGrants - before.refreshGrants).toBe(3);
    });

    it('rejects a code exchanged with another redirect_uri, and bad client credentials with invalid_client', async () => {
      const client = oauthClient(emu);
      const code = new URL(await consent(emu, client)).searchParams.get('code')!;
      const basic = `Basic ${Buffer.from(`${emu.clientId}:${emu.clientSecret}`).toString('base64')}`;
      const res = await fetch(emu.tokenUrl, {
        method: 'POST',
        headers: {
          authorization: basic,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'http://evil.example/cb' }),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'invalid_grant' });

      const wrongSecret = oauthClient(emu, 'not-the-secret');
      const e = await fault(wrongSecret.createToken(await consent(emu, wrongSecret)));
      expect((e as any).error).toBe('invalid_client');
    });

    it('revoke (JSON body, Basic auth) kills the refresh token and its access tokens', async () => {
      const session = await connect(emu);
      await session.oauth.revoke({ refresh_token: session.refreshToken });
      const e = await fault(oauthClient(emu).refreshUsingToken(session.refreshToken));
      expect((e as any).error).toBe('invalid_grant');
      const r = await api(emu, session, `companyinfo/${session.realmId}`);
      expect(r.status).toBe(401);
    });

    it('consents to the company chosen by nextAuthorizeRealm', async () => {
      const second = emu.addCompany('Second Street Renovations');
      emu.nextAuthorizeRealm = second;
      try {
        const session = await connect(emu);
        expect(session.realmId).toBe(second);
        const info: any = await call((cb) => qboFor(emu, session).getCompanyInfo(second, cb));
        expect(info.CompanyName).toBe('Second Street Renovations');
        // A token for one company does not open another: 403 ApplicationAuthorizationFailed, as QBO answers.
        const other = await api(emu, { ...session, realmId: emu.defaultRealmId }, `companyinfo/${emu.defaultRealmId}`);
        expect(other.status).toBe(403);
        expect(other.data.fault.error[0]).toMatchObject({
          code: '3100',
          message: 'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403',
        });
        // Nor does a realm that does not exist.
        expect((await api(emu, { ...session, realmId: '1234' }, 'companyinfo/1234')).status).toBe(403);
      } finally {
        emu.nextAuthorizeRealm = emu.defaultRealmId;
      }
    });
  });

  describe('API authentication', () => {
    it('answers 401 with the lower-case AUTHENTICATION fault after expireAccessTokens, until a refresh', async () => {
      const realm = emu.addCompany('Expired Tokens Inc');
      emu.nextAuthorizeRealm = realm;
      const session = await connect(emu);
      emu.nextAuthorizeRealm = emu.defaultRealmId;
      const client = qboFor(emu, session);
      await call((cb) => client.getCompanyInfo(session.realmId, cb));
      emu.expireAccessTokens(session.realmId);
      const e = await fault(call((cb) => client.getCompanyInfo(session.realmId, cb)));
      expect(e.status).toBe(401);
      expect(e.data.fault.type).toBe('AUTHENTICATION');
      expect(e.data.fault.error[0].code).toBe('3200');
      const fresh = (await session.oauth.refreshUsingToken(session.refreshToken)).getJson();
      client.token = fresh.access_token;
      const info: any = await call((cb) => client.getCompanyInfo(session.realmId, cb));
      expect(info.CompanyName).toBe('Expired Tokens Inc');
      // Only that company's tokens expired.
      expect((await api(emu, s, `companyinfo/${s.realmId}`)).status).toBe(200);
    });

    it('after revokeRefreshTokens, refresh answers invalid_grant and access tokens 401', async () => {
      const other = emu.addCompany('Revoked Co');
      emu.nextAuthorizeRealm = other;
      const session = await connect(emu);
      emu.nextAuthorizeRealm = emu.defaultRealmId;
      emu.revokeRefreshTokens(other);
      expect((await api(emu, session, `companyinfo/${other}`)).status).toBe(401);
      const e = await fault(oauthClient(emu).refreshUsingToken(session.refreshToken));
      expect((e as any).error).toBe('invalid_grant');
      // Other companies are unaffected.
      expect((await api(emu, s, `companyinfo/${s.realmId}`)).status).toBe(200);
    });

    it('refuses a missing bearer token', async () => {
      const res = await fetch(`${emu.url}/v3/company/${s.realmId}/companyinfo/${s.realmId}`);
      expect(res.status).toBe(401);
    });
  });
});
