import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Store } from '../store/index.ts';
import { encrypt, decrypt } from '../crypto.ts';
import { installationWrites } from '../store/installations.ts';
import { ReadCache } from '../store/read-cache.ts';

/**
 * How long an installation Bolt fetched (for every request in multi-workspace mode: a read, a decryption, a parse)
 * is kept in memory. A reinstall or an uninstall through this process forgets it at once (also one that wrote the
 * store directly, as the uninstall handler does); another instance's is seen within this long.
 */
export const INSTALLATION_TTL_MS = 2000;

/** Slack installations (multi-workspace mode) in SQLite; the JSON carries bot tokens, so it is sealed. */
export class SqliteInstallationStore implements InstallationStore {
  /** The decrypted JSON, by installation id. */
  private readonly recent = new ReadCache<string>(installationWrites, INSTALLATION_TTL_MS);

  constructor(
    private readonly store: Store,
    private readonly key: Buffer,
  ) {}

  private idOf(q: {
    isEnterpriseInstall?: boolean;
    enterprise?: { id: string } | undefined;
    team?: { id: string } | undefined;
    enterpriseId?: string;
    teamId?: string;
  }): string {
    const enterpriseId = q.enterprise?.id ?? q.enterpriseId;
    const teamId = q.team?.id ?? q.teamId;
    const id = q.isEnterpriseInstall && enterpriseId ? `E:${enterpriseId}` : teamId;
    if (!id) throw new Error('installation has no team or enterprise id');
    return id;
  }

  async storeInstallation(installation: Installation): Promise<void> {
    const id = this.idOf(installation);
    const teamId = installation.team?.id;
    const installationEnc = encrypt(this.key, JSON.stringify(installation));
    await this.store.tx(async (s) => {
      if (teamId) await s.workspaces.ensure(teamId, installation.team?.name);
      await s.installations.put(id, installationEnc);
      // A reinstall within the retention period: the workspace's data stays.
      if (teamId) await s.workspaces.markInstalled(teamId);
    });
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v1' | 'v2', boolean>> {
    const id = this.idOf(query);
    const json = await this.recent.read(id, async () => {
      const enc = await this.store.installations.get(id);
      if (!enc) throw new Error('no installation for this workspace');
      return decrypt(this.key, enc);
    });
    return JSON.parse(json); // a fresh object each time: nothing a caller does to it reaches the next one
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.store.installations.delete(this.idOf(query));
  }

  /** The bot token for a team, for work outside a Slack request. */
  async botToken(teamId: string): Promise<string | undefined> {
    try {
      const inst = await this.fetchInstallation({ teamId, isEnterpriseInstall: false, enterpriseId: undefined });
      return inst.bot?.token;
    } catch {
      return undefined;
    }
  }
}
