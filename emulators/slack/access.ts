// Access rules of the Slack fake: which methods need no token, the bot scopes each method needs, and
// oauth.v2.access (the code exchange).
import type { Args } from './methods.ts';
import type { Store } from './store.ts';
import { SlackError } from './views.ts';

export const NO_TOKEN_METHODS = new Set(['oauth.v2.access', 'oauth.v2.exchange', 'api.test']);

/** Bot scopes each method needs (any one of them). Methods not listed need none. */
export function scopesFor(store: Store, teamId: string, method: string, args: Args): string[] | undefined {
  switch (method) {
    case 'users.info':
    case 'users.list':
      return ['users:read'];
    case 'team.info':
      return ['team:read'];
    case 'conversations.open':
      return ['im:write', 'mpim:write', 'channels:manage', 'groups:write'];
    case 'chat.postMessage':
    case 'chat.postEphemeral':
    case 'chat.update':
    case 'chat.delete':
      return ['chat:write'];
    case 'files.info':
      return ['files:read'];
    case 'conversations.info': {
      const conv = store.conversation(teamId, String(args.channel ?? ''));
      if (!conv) return ['channels:read', 'groups:read', 'im:read', 'mpim:read'];
      if (conv.kind === 'im') return ['im:read'];
      return conv.is_private ? ['groups:read'] : ['channels:read'];
    }
    default:
      return undefined;
  }
}

export function oauthAccess(store: Store, args: Args, basic?: { id: string; secret: string }) {
  const clientId = basic?.id ?? args.client_id;
  const clientSecret = basic?.secret ?? args.client_secret;
  if (!clientId) throw new SlackError('invalid_client_id');
  if (store.clientId && clientId !== store.clientId) throw new SlackError('invalid_client_id');
  if (store.clientSecret && clientSecret !== store.clientSecret) throw new SlackError('bad_client_secret');
  const code = store.oauthCodes.get(String(args.code ?? ''));
  if (!code) throw new SlackError('invalid_code');
  if (code.used) throw new SlackError('code_already_used');
  if (Date.now() - code.created > 10 * 60_000) throw new SlackError('invalid_code');
  if (code.redirectUri && args.redirect_uri !== code.redirectUri) throw new SlackError('bad_redirect_uri');
  code.used = true;
  const t = store.team(code.teamId);
  t.revoked = false;
  t.scopes = [...code.scopes];
  return {
    app_id: store.appId,
    authed_user: { id: code.userId },
    scope: t.scopes.join(','),
    token_type: 'bot',
    access_token: t.team.botToken,
    bot_user_id: t.botUserId,
    team: { id: t.team.id, name: t.team.name },
    enterprise: null,
    is_enterprise_install: false,
  };
}
