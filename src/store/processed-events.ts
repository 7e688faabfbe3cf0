import { eq, lt } from 'drizzle-orm';
import type { Conn } from './conn.ts';

/** Slack event ids already handled (Slack redelivers). */
export class ProcessedEventStore {
  constructor(private readonly c: Conn) {}

  async seen(eventId: string): Promise<boolean> {
    const p = this.c.t.processedEvents;
    const rows = await this.c.run((db) => db.select({ id: p.eventId }).from(p).where(eq(p.eventId, eventId)).limit(1));
    return rows.length > 0;
  }

  async remember(eventId: string, at: number): Promise<void> {
    const p = this.c.t.processedEvents;
    await this.c.run((db) => db.insert(p).values({ eventId, receivedAt: at }).onConflictDoNothing());
  }

  async forgetBefore(at: number): Promise<void> {
    const p = this.c.t.processedEvents;
    await this.c.run((db) => db.delete(p).where(lt(p.receivedAt, at)));
  }
}
