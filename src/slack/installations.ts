import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Store } from '../store/index.ts';
import { encrypt, decrypt } from '../crypto.ts';

/** Slack installations (multi-workspace mode) in SQLite; the JSON carries bot tokens, so it is sealed. */
export class SqliteInstallationStore implements InstallationStore {
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
    const enc = await this.store.installations.get(this.idOf(query));
    if (!enc) throw new Error('no installation for this workspace');
    return JSON.parse(decrypt(this.key, enc));
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
