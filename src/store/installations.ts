import { eq } from 'drizzle-orm';
import type { Conn } from './conn.ts';
import { WriteCounts } from './read-cache.ts';

/** Bumped by every write of an installation in this process: a copy read earlier is stale once its count moved. */
export const installationWrites = new WriteCounts();
const wrote = (id: string) => installationWrites.bump(id);

/** Slack installations, by team id (or `E:<enterprise>`); the sealed JSON is stored as given. */
export class InstallationStore {
  constructor(private readonly c: Conn) {}

  async put(id: string, installationEnc: string): Promise<void> {
    const s = this.c.t.slackInstallations;
    wrote(id);
    await this.c.run((db) =>
      db
        .insert(s)
        .values({ id, installationEnc })
        .onConflictDoUpdate({ target: s.id, set: { installationEnc, updatedAt: Date.now() } }),
    );
    wrote(id); // and once written: a read between the two saw the old row
  }

  async get(id: string): Promise<string | null> {
    const s = this.c.t.slackInstallations;
    const [row] = await this.c.run((db) => db.select({ enc: s.installationEnc }).from(s).where(eq(s.id, id)).limit(1));
    return row?.enc ?? null;
  }

  async delete(id: string): Promise<void> {
    const s = this.c.t.slackInstallations;
    wrote(id);
    await this.c.run((db) => db.delete(s).where(eq(s.id, id)));
    wrote(id);
  }
}
