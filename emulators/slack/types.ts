// Public types of the Slack fake and driver (re-exported by ./index.ts).

export interface FakeUser {
  id: string;
  name: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_bot?: boolean;
  tz?: string;
  email?: string;
}
export interface FakeTeam {
  id: string;
  name: string;
  domain?: string;
  botToken: string;
  botUserId?: string;
  users: FakeUser[];
  channels?: Array<{ id: string; name: string; is_private?: boolean }>;
  /** Bot scopes granted to the app in this workspace. Default: DEFAULT_BOT_SCOPES (the app's manifest scopes from
   *  docs/slack.md). A method needing a scope not granted answers missing_scope, as Slack does. */
  scopes?: string[];
}
export interface SlackFakeOptions {
  host?: string;
  port?: number;
  teams: FakeTeam[];
  /** App identity; `api_app_id` in payloads and `app_id` in oauth.v2.access. Default 'A0FAKEAPP'. */
  appId?: string;
  /** When set, oauth.v2.access checks client_id / client_secret (invalid_client_id / bad_client_secret). */
  clientId?: string;
  clientSecret?: string;
}
export interface RecordedCall {
  method: string;
  teamId: string | null;
  args: Record<string, any>;
  ok: boolean;
  error?: string;
  at: number;
  messages?: string[];
}

export interface SlackFile {
  id: string;
  created: number;
  timestamp: number;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  pretty_type: string;
  user: string;
  user_team: string;
  editable: boolean;
  size: number;
  mode: 'hosted';
  is_external: boolean;
  external_type: string;
  is_public: boolean;
  public_url_shared: boolean;
  display_as_bot: boolean;
  username: string;
  url_private: string;
  url_private_download: string;
  permalink: string;
  permalink_public: string;
  channels: string[];
  groups: string[];
  ims: string[];
  shares: { public?: Record<string, Array<Record<string, any>>>; private?: Record<string, Array<Record<string, any>>> };
  comments_count: number;
  [k: string]: any;
}

export interface SlackView {
  id: string;
  team_id: string;
  type: 'modal' | 'home';
  title?: any;
  submit?: any;
  close?: any;
  blocks: any[];
  private_metadata: string;
  callback_id: string;
  external_id: string;
  state: { values: Record<string, Record<string, any>> };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  submit_disabled?: boolean;
  root_view_id: string | null;
  previous_view_id: string | null;
  app_id: string;
  app_installed_team_id: string;
  bot_id: string;
  /** Not part of Slack's view object: the user the view is shown to (fake bookkeeping). */
  user: string;
  [k: string]: any;
}

export interface PostedMessage {
  ts: string;
  channel: string;
  thread_ts?: string;
  text?: string;
  blocks?: any[];
  attachments?: any[];
  /** For ephemeral messages: the only user who sees it. */
  user?: string;
  ephemeral: boolean;
  /** Author: the bot user id for app messages, the person's id for messages added with `postUserMessage`. */
  author: string;
  bot_id?: string;
  team: string;
  /** Where it came from: 'chat.postMessage' | 'chat.postEphemeral' | 'chat.update' | 'response_url' | 'ack' | 'user' */
  via: string;
  edited?: boolean;
  files?: SlackFile[];
  metadata?: any;
  subtype?: string;
  response_url?: string;
}

export interface SlackFake {
  url: string;
  apiUrl: string;
  fileHost: string;
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  rejected(): RecordedCall[];
  addTeam(team: FakeTeam): void;
  /** `claimedSize` / `downloadUrl`: what files.info says instead of the truth (a lying size, a link elsewhere). */
  addFile(
    teamId: string,
    f: {
      name: string;
      mimetype: string;
      filetype?: string;
      bytes: Buffer;
      user: string;
      channel?: string;
      claimedSize?: number;
      downloadUrl?: string;
    },
  ): SlackFile;
  issueTriggerId(teamId: string, userId: string): string;
  setTriggerTtlMs(ms: number): void;
  views: Map<string, SlackView>;
  openModalStack(teamId: string, userId: string): SlackView[];
  homeView(teamId: string, userId: string): SlackView | undefined;
  messages(channel?: string): PostedMessage[];
  dms(teamId: string, userId: string): PostedMessage[];
  failNext(method: string, error: string, opts?: { status?: number; retryAfter?: number }): void;
  close(): Promise<void>;
  // ---- additions ----
  /** Slack's consent page stand-in (InstallProvider `authorizationUrl`): redirects at once with code + state. */
  oauthAuthorizeUrl: string;
  /** Single-use OAuth code for oauth.v2.access (expires after 10 minutes, as Slack's). */
  issueOAuthCode(teamId: string, opts?: { userId?: string; redirectUri?: string; scopes?: string[] }): string;
  /** Records a message posted by a person (e.g. the message that shares a file); returns it with its ts. */
  postUserMessage(teamId: string, m: { channel: string; user: string; text?: string; files?: SlackFile[]; thread_ts?: string }): PostedMessage;
  /** The D… channel between the app and a user (created on first use, as conversations.open does). */
  imChannel(teamId: string, userId: string): string;
  /** Current view by id (the latest version), or undefined. */
  view(id: string): SlackView | undefined;
  /** Revoke a team's bot token: every call with it gets `token_revoked`, downloads get the sign-in page. */
  revokeToken(teamId: string): void;
  team(teamId: string): FakeTeam | undefined;
  reset(): void;
  /**
   * How file downloads are served from now on: `normal`; `stall` (headers and the first half of the bytes, then
   * nothing until the client gives up); `trickle` (one byte every `intervalMs`, 1000 by default). `started` counts
   * download bodies begun (GET with the right token), so a test can act mid-download.
   */
  setDownloadMode(mode: 'normal' | 'stall' | 'trickle', opts?: { intervalMs?: number }): void;
  downloadsStarted(): number;
}
