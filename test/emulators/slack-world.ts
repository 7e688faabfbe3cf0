// Shared by the Slack fake tests: the two fake workspaces, real WebClients pointed at the fake, and helpers.
import { WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { LogLevel, type Logger } from '@slack/bolt';
import { DEFAULT_BOT_SCOPES, startSlackFake, type SlackFake } from '../../emulators/slack/index.ts';

export const TEAM = 'T0AAAAAAA';
export const TEAM_B = 'T0BBBBBBB';
export const ADMIN = 'U0ADMIN01';
export const CREW = 'U0CREW001';
export const CHANNEL = 'C0PROJ001';
export const TOKEN = 'xoxb-team-a-token';
export const TOKEN_B = 'xoxb-team-b-token';

export const quiet: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};

export const modal = (over: Record<string, any> = {}) => ({
  type: 'modal',
  callback_id: 'cb',
  title: { type: 'plain_text', text: 'Review invoice' },
  submit: { type: 'plain_text', text: 'Save' },
  blocks: [
    {
      type: 'input',
      block_id: 'amount',
      label: { type: 'plain_text', text: 'Amount' },
      element: { type: 'plain_text_input', action_id: 'v' },
    },
  ],
  ...over,
});

export async function slackError(p: Promise<unknown>): Promise<{ error: string; messages: string[]; data: any }> {
  try {
    await p;
  } catch (e) {
    const err = e as WebAPIPlatformError;
    return { error: err.data?.error, messages: err.data?.response_metadata?.messages ?? [], data: err.data };
  }
  throw new Error('expected the call to be rejected');
}

/** The fake with both workspaces, and a WebClient for each bot token. */
export async function startFakeWorld(): Promise<{ fake: SlackFake; web: WebClient; webB: WebClient }> {
  const fake = await startSlackFake({
    teams: [
      {
        id: TEAM,
        name: 'Acme Builders',
        domain: 'acme',
        botToken: TOKEN,
        botUserId: 'U0BOT0001',
        users: [
          { id: ADMIN, name: 'alice', is_admin: true },
          { id: CREW, name: 'bob' },
        ],
        channels: [
          { id: CHANNEL, name: 'proj-main-street' },
          { id: 'G0PRIV001', name: 'office', is_private: true },
        ],
      },
      {
        id: TEAM_B,
        name: 'Other Co',
        botToken: TOKEN_B,
        users: [{ id: 'U0OTHER01', name: 'carol', is_owner: true }],
        scopes: [...DEFAULT_BOT_SCOPES, 'team:read', 'im:read'],
      },
    ],
  });
  const web = new WebClient(TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quiet });
  const webB = new WebClient(TOKEN_B, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quiet });
  return { fake, web, webB };
}
