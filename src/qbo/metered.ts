import type { MeteredStore } from '../store/metered.ts';

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
    private readonly store: MeteredStore,
    readonly budgetPerMonth: number,
  ) {}

  count(teamId: string, realmId: string, at: Date = new Date()): Promise<void> {
    return this.store.add(teamId, realmId, monthOf(at));
  }

  /** This month's metered calls of one workspace (all its companies). */
  forTeam(teamId: string, at: Date = new Date()): Promise<number> {
    return this.store.forTeam(teamId, monthOf(at));
  }

  async month(at: Date = new Date()): Promise<MeteredMonth> {
    const month = monthOf(at);
    const { total, companies, max } = await this.store.month(month);
    return { month, total, budget: this.budgetPerMonth, left: Math.max(0, this.budgetPerMonth - total), companies, maxPerCompany: max };
  }
}
