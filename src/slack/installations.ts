import { eq } from 'drizzle-orm';
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Db } from '../store/sqlite/client.ts';
import { slackInstallations, workspaces } from '../store/sqlite/schema.ts';
import { encrypt, decrypt } from '../crypto.ts';
import { ensureWorkspace } from '../workspace/settings.ts';

/** Slack installations (multi-workspace mode) in SQLite; the JSON carries bot tokens, so it is sealed. */
export class SqliteInstallationStore implements InstallationStore {
  constructor(private readonly db: Db, private readonly key: Buffer) {}

  private idOf(q: { isEnterpriseInstall?: boolean; enterprise?: { id: string } | undefined; team?: { id: string } | undefined; enterpriseId?: string; teamId?: string }): string {
    const enterpriseId = q.enterprise?.id ?? q.enterpriseId;
    const teamId = q.team?.id ?? q.teamId;
    const id = q.isEnterpriseInstall && enterpriseId ? `E:${enterpriseId}` : teamId;
    if (!id) throw new Error('installation has no team or enterprise id');
    return id;
  }

  async storeInstallation(installation: Installation): Promise<void> {
    const id = this.idOf(installation);
    if (installation.team?.id) ensureWorkspace(this.db, installation.team.id, installation.team.name);
    const installationEnc = encrypt(this.key, JSON.stringify(installation));
    this.db
      .insert(slackInstallations)
      .values({ id, installationEnc })
      .onConflictDoUpdate({ target: slackInstallations.id, set: { installationEnc, updatedAt: new Date().toISOString() } })
      .run();
    // A reinstall within the retention period: the workspace's data stays.
    if (installation.team?.id) this.db.update(workspaces).set({ uninstalledAt: null }).where(eq(workspaces.teamId, installation.team.id)).run();
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v1' | 'v2', boolean>> {
    const row = this.db.select().from(slackInstallations).where(eq(slackInstallations.id, this.idOf(query))).get();
    if (!row) throw new Error('no installation for this workspace');
    return JSON.parse(decrypt(this.key, row.installationEnc));
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    this.db.delete(slackInstallations).where(eq(slackInstallations.id, this.idOf(query))).run();
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
