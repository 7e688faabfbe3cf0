import type { WebClient } from '@slack/web-api';
import type { Engine } from '../engine.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';

/** What every Slack listener gets: the Slack-free core plus a few Slack-side helpers. */
export interface SlackDeps {
  engine: Engine;
  config: Config;
  log: Logger;
  admins: AdminCheck;
  /** A bot-token client for a workspace, for work that happens outside a request (worker outcomes, OAuth callback). */
  clientFor(teamId: string): Promise<WebClient>;
}

/**
 * Who may change settings: Slack workspace admins/owners (users.info), users in SLACK_ADMIN_USER_IDS, and users the
 * admins added. Checked server-side on every settings command, action, suggestion and submission.
 */
export class AdminCheck {
  private cache = new Map<string, { admin: boolean; at: number }>();
  constructor(
    private readonly deps: { engine: Engine; config: Config; log: Logger },
    private readonly ttlMs = 60_000,
  ) {}

  /** Fails closed: when Slack cannot say (an outage, a missing id), the answer is "not an admin". */
  async isAdmin(client: WebClient, teamId: string | undefined, userId: string | undefined): Promise<boolean> {
    if (!teamId || !userId) return false;
    if (this.deps.config.slack.adminUserIds.includes(userId)) return true;
    if ((await this.deps.engine.store.workspaces.getSettings(teamId)).adminUserIds.includes(userId)) return true;
    const key = `${teamId}:${userId}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.admin;
    let res: Awaited<ReturnType<typeof client.users.info>>;
    try {
      res = await client.users.info({ user: userId });
    } catch (err) {
      this.deps.log.warn('admin check failed; treating as non-admin', { teamId, userId, error: err });
      return false;
    }
    const u = res.user as { is_admin?: boolean; is_owner?: boolean; is_primary_owner?: boolean; team_id?: string } | undefined;
    // An admin of another workspace (a Slack Connect guest in a shared channel) is not an admin here.
    const home = !u?.team_id || u.team_id === teamId;
    const admin = !!u && home && (u.is_admin === true || u.is_owner === true || u.is_primary_owner === true);
    this.cache.set(key, { admin, at: Date.now() });
    return admin;
  }

  /** Who may record a payment (Mark paid): admins, and the payers an admin named in settings. Fails closed. */
  async canPay(client: WebClient, teamId: string | undefined, userId: string | undefined): Promise<boolean> {
    if (!teamId || !userId) return false;
    if ((await this.deps.engine.store.workspaces.getSettings(teamId)).payerUserIds.includes(userId)) return true;
    return this.isAdmin(client, teamId, userId);
  }

  /** All admins we know of for a workspace (for DMs about a broken connection or a blocked invoice). */
  async list(client: WebClient, teamId: string): Promise<string[]> {
    const ids = new Set<string>([
      ...this.deps.config.slack.adminUserIds,
      ...(await this.deps.engine.store.workspaces.getSettings(teamId)).adminUserIds,
    ]);
    try {
      for await (const page of client.paginate('users.list', { limit: 200 }) as AsyncIterable<any>) {
        for (const u of page.members ?? []) if (!u.deleted && !u.is_bot && (u.is_admin || u.is_owner)) ids.add(u.id);
      }
    } catch {
      // users.list may be unavailable (scope); fall back to the configured admins.
    }
    return [...ids];
  }
}
