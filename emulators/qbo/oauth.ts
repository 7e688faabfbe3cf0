// Intuit OAuth 2 emulation: authorize (auto-consent), token (authorization_code, refresh_token with rotation),
// revoke; and access-token checks for the API.
import { randomBytes } from 'node:crypto';

export interface OAuthConfig {
  clientId: string;
  clientSecret: string;
  accessTokenTtlSeconds: number;
}

interface AuthCode {
  realmId: string;
  redirectUri: string;
  clientId: string;
  scope: string;
  expiresAt: number;
}

/** One consent = one grant; its refresh token rotates, its access tokens come and go. */
interface Grant {
  id: number;
  realmId: string;
  clientId: string;
  scope: string;
  revoked: boolean;
  currentRefresh: string;
  /** epoch ms: the grant's hard end (5 years after consent unless a test sets it) */
  hardExpiresAt: number;
}

interface AccessToken {
  grant: Grant;
  expiresAt: number;
  expired: boolean;
}

export interface OAuthStats {
  tokenRequests: number;
  refreshGrants: number;
  authorizationCodeGrants: number;
  revokes: number;
}

export interface HttpAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const REFRESH_TTL = 8_726_400; // 101 days, what Intuit answers
const REFRESH_HARD_TTL = 157_680_000; // 5 years

function token(prefix: string): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

function json(status: number, body: unknown): HttpAnswer {
  return { status, body, headers: { 'cache-control': 'no-store', pragma: 'no-cache' } };
}

export class OAuthServer {
  private codes = new Map<string, AuthCode>();
  private grants: Grant[] = [];
  private refreshTokens = new Map<string, Grant>(); // every refresh token ever issued → its grant
  private accessTokens = new Map<string, AccessToken>();
  private nextGrantId = 1;
  /** Told of every refresh-token grant request for a known grant (valid or not), with its company. */
  onRefresh: (realmId: string) => void = () => {};

  constructor(
    private cfg: OAuthConfig,
    private stats: OAuthStats,
  ) {}

  /** GET /connect/oauth2 — validates the request and auto-approves for `realmId`. */
  authorize(query: URLSearchParams, realmId: string | null): HttpAnswer {
    const clientId = query.get('client_id');
    const redirectUri = query.get('redirect_uri');
    const responseType = query.get('response_type');
    const scope = query.get('scope') ?? '';
    const state = query.get('state');
    if (!clientId || clientId !== this.cfg.clientId) return json(400, { error: 'invalid_client', error_description: 'Unknown client_id' });
    if (!redirectUri) return json(400, { error: 'invalid_request', error_description: 'redirect_uri is required' });
    let redirect: URL;
    try {
      redirect = new URL(redirectUri);
    } catch {
      return json(400, { error: 'invalid_request', error_description: 'redirect_uri is not a valid URL' });
    }
    if (responseType !== 'code') return json(400, { error: 'unsupported_response_type' });
    const scopes = scope.split(/[\s+]+/).filter(Boolean);
    if (!scopes.includes('com.intuit.quickbooks.accounting')) {
      return json(400, {
        error: 'invalid_scope',
        error_description: 'scope must include com.intuit.quickbooks.accounting',
      });
    }
    if (!realmId) {
      redirect.searchParams.set('error', 'access_denied');
      if (state !== null) redirect.searchParams.set('state', state);
      return { status: 302, headers: { location: redirect.toString() } };
    }
    const code = token('AB11');
    this.codes.set(code, {
      realmId,
      redirectUri,
      clientId,
      scope: scopes.join(' '),
      expiresAt: Date.now() + 5 * 60_000,
    });
    redirect.searchParams.set('code', code);
    if (state !== null) redirect.searchParams.set('state', state);
    redirect.searchParams.set('realmId', realmId);
    return { status: 302, headers: { location: redirect.toString() } };
  }

  private checkClient(authorization: string | undefined): boolean {
    if (!authorization?.startsWith('Basic ')) return false;
    const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    return i >= 0 && decoded.slice(0, i) === this.cfg.clientId && decoded.slice(i + 1) === this.cfg.clientSecret;
  }

  private issue(grant: Grant, hardExpiry: boolean): HttpAnswer {
    const refresh = token('RT1-');
    grant.currentRefresh = refresh;
    this.refreshTokens.set(refresh, grant);
    const access = token('eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0.');
    this.accessTokens.set(access, {
      grant,
      expiresAt: Date.now() + this.cfg.accessTokenTtlSeconds * 1000,
      expired: false,
    });
    const body: Record<string, unknown> = {
      access_token: access,
      refresh_token: refresh,
      token_type: 'bearer',
      expires_in: this.cfg.accessTokenTtlSeconds,
      x_refresh_token_expires_in: REFRESH_TTL,
    };
    if (hardExpiry) body.x_refresh_token_hard_expires_in = Math.max(0, Math.floor((grant.hardExpiresAt - Date.now()) / 1000));
    if (grant.scope.split(' ').includes('openid')) body.id_token = this.idToken(grant);
    return json(200, body);
  }

  private idToken(grant: Grant): string {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    return `${enc({ alg: 'RS256', kid: 'emulator' })}.${enc({
      sub: `emu-user-${grant.id}`,
      aud: [this.cfg.clientId],
      realmid: grant.realmId,
      auth_time: now,
      iss: 'https://oauth.platform.intuit.com/op/v1',
      exp: now + 3600,
      iat: now,
    })}.${randomBytes(32).toString('base64url')}`;
  }

  /** POST /oauth2/v1/tokens/bearer (form body, Basic client auth). */
  token(form: URLSearchParams, headers: Record<string, string | string[] | undefined>): HttpAnswer {
    this.stats.tokenRequests++;
    if (!this.checkClient(headers.authorization as string | undefined)) return json(401, { error: 'invalid_client' });
    const hard = headers['x-include-refresh-token-hard-expires-in'] === 'true';
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      this.stats.authorizationCodeGrants++;
      const codeValue = form.get('code');
      const redirectUri = form.get('redirect_uri');
      if (!codeValue || !redirectUri) return json(400, { error: 'invalid_request' });
      const code = this.codes.get(codeValue);
      if (!code) return json(400, { error: 'invalid_grant' });
      this.codes.delete(codeValue); // single use, even when the exchange fails below
      if (code.expiresAt < Date.now() || code.redirectUri !== redirectUri || code.clientId !== this.cfg.clientId) {
        return json(400, { error: 'invalid_grant' });
      }
      const grant: Grant = {
        id: this.nextGrantId++,
        realmId: code.realmId,
        clientId: code.clientId,
        scope: code.scope,
        revoked: false,
        currentRefresh: '',
        hardExpiresAt: this.nextHardExpiry.get(code.realmId) ?? Date.now() + REFRESH_HARD_TTL * 1000,
      };
      this.grants.push(grant);
      return this.issue(grant, hard);
    }
    if (grantType === 'refresh_token') {
      this.stats.refreshGrants++;
      const rt = form.get('refresh_token');
      if (!rt) return json(400, { error: 'invalid_request' });
      const grant = this.refreshTokens.get(rt);
      if (grant) this.onRefresh(grant.realmId);
      // Rotation: only the newest refresh token of a grant works.
      if (!grant || grant.revoked || grant.currentRefresh !== rt) return json(400, { error: 'invalid_grant' });
      return this.issue(grant, hard);
    }
    return json(400, { error: 'unsupported_grant_type' });
  }

  /** POST /v2/oauth2/tokens/revoke — JSON {token} (intuit-oauth) or form token= (node-quickbooks), Basic auth. */
  revoke(tokenValue: string | undefined, headers: Record<string, string | string[] | undefined>): HttpAnswer {
    this.stats.revokes++;
    if (!this.checkClient(headers.authorization as string | undefined)) return json(401, { error: 'invalid_client' });
    if (!tokenValue) return json(400, { error: 'invalid_request' });
    const grant = this.refreshTokens.get(tokenValue) ?? this.accessTokens.get(tokenValue)?.grant;
    if (grant) grant.revoked = true;
    // Intuit answers 200 even for an unknown token.
    return { status: 200, body: undefined };
  }

  /** The realm an access token may call, or null if it is not (or no longer) valid. */
  accessTokenRealm(bearer: string): string | null {
    const t = this.accessTokens.get(bearer);
    if (!t || t.expired || t.grant.revoked || t.expiresAt <= Date.now()) return null;
    return t.grant.realmId;
  }

  expireAccessTokens(realmId?: string): void {
    for (const t of this.accessTokens.values()) if (!realmId || t.grant.realmId === realmId) t.expired = true;
  }

  /** Test control: grants made for this realm from now on (and its current ones) end at `at` (epoch ms). */
  nextHardExpiry = new Map<string, number>();
  setRefreshHardExpiry(realmId: string, at: number): void {
    this.nextHardExpiry.set(realmId, at);
    for (const g of this.grants) if (g.realmId === realmId) g.hardExpiresAt = at;
  }

  revokeRefreshTokens(realmId?: string): void {
    for (const g of this.grants) if (!realmId || g.realmId === realmId) g.revoked = true;
  }
}
