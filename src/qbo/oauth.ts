import type { Config } from '../config.ts';
import { QboError } from './errors.ts';

/** The only module that touches intuit-oauth. A fresh client per call: its token state is per instance. */

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: number; // epoch ms
  refreshExpiresAt: number | null;
  /** When the grant itself ends (at most 5 years): reconnecting is the only way past it. */
  refreshHardExpiresAt?: number | null;
}

export const QBO_SCOPE = 'com.intuit.quickbooks.accounting';

/** intuit-oauth (and its HTTP stack) loads at the first token call, not at start-up: most starts never need it. */
let intuitOAuth: Promise<any> | null = null;
const loadIntuitOAuth = () => (intuitOAuth ??= import('intuit-oauth').then((m) => m.default ?? m));

export class QboOAuth {
  constructor(private readonly cfg: Config['qbo']) {}

  private async client(): Promise<any> {
    const OAuthClient = await loadIntuitOAuth();
    // intuit-oauth keeps its endpoints as process-wide static properties, read synchronously when a call starts:
    // set them from this instance's config right before each call.
    OAuthClient.authorizeEndpoint = this.cfg.authorizeUrl;
    OAuthClient.tokenEndpoint = this.cfg.tokenUrl;
    OAuthClient.revokeEndpoint = this.cfg.revokeUrl;
    return new OAuthClient({
      clientId: this.cfg.clientId,
      // Intuit adds x_refresh_token_hard_expires_in to token answers when asked (intuit-oauth sends the header).
      includeRefreshTokenHardExpiresIn: true,
      clientSecret: this.cfg.clientSecret,
      environment: this.cfg.environment,
      redirectUri: this.cfg.redirectUri,
    });
  }

  /** Intuit's consent URL (built here, as intuit-oauth's authorizeUri does, so that it needs no module load). */
  authorizeUrl(state: string): string {
    const q = new URLSearchParams({
      client_id: this.cfg.clientId,
      redirect_uri: this.cfg.redirectUri,
      response_type: 'code',
      scope: QBO_SCOPE,
      state,
    });
    return `${this.cfg.authorizeUrl}?${q.toString().replaceAll('+', '%20')}`;
  }

  /** Exchanges the `code` of a callback URL (the full URL or its query string). */
  async exchangeCode(callbackUrlOrQuery: string): Promise<TokenSet & { realmId: string }> {
    const client = await this.client();
    try {
      const res = await client.createToken(callbackUrlOrQuery);
      return { ...toTokenSet(res.json ?? res.getJson?.()), realmId: client.getToken().realmId };
    } catch (err) {
      throw wrap(err, 'exchanging the authorization code');
    }
  }

  async refresh(refreshToken: string): Promise<TokenSet> {
    try {
      const res = await (await this.client()).refreshUsingToken(refreshToken);
      return toTokenSet(res.json ?? res.getJson?.());
    } catch (err) {
      throw wrap(err, 'refreshing the access token');
    }
  }

  async revoke(token: string): Promise<void> {
    try {
      await (await this.client()).revoke({ refresh_token: token });
    } catch (err) {
      throw wrap(err, 'revoking the token');
    }
  }
}

function toTokenSet(json: any): TokenSet {
  if (!json?.access_token || !json?.refresh_token) throw new QboError('server', 'Intuit returned no tokens');
  const now = Date.now();
  return {
    accessToken: json.access_token,
    refreshToken: json.refresh_token,
    accessExpiresAt: now + Number(json.expires_in ?? 3600) * 1000,
    refreshExpiresAt: json.x_refresh_token_expires_in ? now + Number(json.x_refresh_token_expires_in) * 1000 : null,
    refreshHardExpiresAt: json.x_refresh_token_hard_expires_in ? now + Number(json.x_refresh_token_hard_expires_in) * 1000 : null,
  };
}

function wrap(err: any, doing: string): QboError {
  const code = err?.error ?? err?.authResponse?.json?.error;
  const status = err?.authResponse?.response?.status ?? err?.response?.status;
  if (code === 'invalid_grant')
    return new QboError('invalid_grant', `Intuit refused the grant while ${doing} (invalid_grant)`, { status, code, cause: err });
  if (code === 'invalid_client')
    return new QboError('validation', `Intuit refused the app's client id/secret while ${doing}`, { status, code, cause: err });
  if (status && status >= 500) return new QboError('server', `Intuit answered ${status} while ${doing}`, { status, cause: err });
  if (status) return new QboError('validation', `Intuit answered ${status} (${code || 'error'}) while ${doing}`, { status, code, cause: err });
  return new QboError('network', `Could not reach Intuit while ${doing}: ${err?.originalMessage || err?.message || err}`, { cause: err });
}
