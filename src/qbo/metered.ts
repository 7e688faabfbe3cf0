import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../store/sqlite/client.ts';
import { qboMeteredCalls } from '../store/sqlite/schema.ts';

/** "2026-12": Intuit meters per calendar month. */
export const monthOf = (at: Date = new Date()) => at.toISOString().slice(0, 7);

export interface MeteredMonth {
  month: string;
  /** Every workspace together: Intuit's quota is the app's, not one company's. */
  total: number;
  budget: number;
  left: number;
  companies: number;
  maxPerCompany: number;
}

/**
 * Counts the calls Intuit meters (CorePlus: reads, queries, change data capture; creates and uploads are not), per
 * workspace, company and month, in the database so every instance and every restart add to the same count.
 */
export class MeteredCalls {
  constructor(
    private readonly db: Db,
    readonly budgetPerMonth: number,
  ) {}

  count(teamId: string, realmId: string, at: Date = new Date()): void {
    this.db
      .insert(qboMeteredCalls)
      .values({ teamId, realmId, month: monthOf(at), calls: 1 })
      .onConflictDoUpdate({ target: [qboMeteredCalls.teamId, qboMeteredCalls.realmId, qboMeteredCalls.month], set: { calls: sql`${qboMeteredCalls.calls} + 1` } })
      .run();
  }

  /** This month's metered calls of one workspace (all its companies). */
  forTeam(teamId: string, at: Date = new Date()): number {
    const row = this.db
      .select({ n: sql<number>`coalesce(sum(${qboMeteredCalls.calls}), 0)` })
      .from(qboMeteredCalls)
      .where(and(eq(qboMeteredCalls.teamId, teamId), eq(qboMeteredCalls.month, monthOf(at))))
      .get();
    return Number(row?.n ?? 0);
  }

  month(at: Date = new Date()): MeteredMonth {
    const month = monthOf(at);
    const row = this.db
      .select({ total: sql<number>`coalesce(sum(${qboMeteredCalls.calls}), 0)`, companies: sql<number>`count(*)`, max: sql<number>`coalesce(max(${qboMeteredCalls.calls}), 0)` })
      .from(qboMeteredCalls)
      .where(eq(qboMeteredCalls.month, month))
      .get();
    const total = Number(row?.total ?? 0);
    return { month, total, budget: this.budgetPerMonth, left: Math.max(0, this.budgetPerMonth - total), companies: Number(row?.companies ?? 0), maxPerCompany: Number(row?.max ?? 0) };
  }
}
