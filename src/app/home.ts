import type { Invoice } from '../invoices/service.ts';

/** The invoice side App Home needs. */
export interface HomeInvoiceAccess {
  list(teamId: string, q: { limit: number; person?: string }): Promise<Invoice[]>;
}

/**
 * The invoices App Home lists: those who see all (admins, payers) see the workspace's latest; anyone else only
 * those they uploaded or submitted.
 */
export function homeInvoices(
  invoices: HomeInvoiceAccess,
  p: { teamId: string; userId: string; seesAll: boolean; limit?: number },
): Promise<Invoice[]> {
  const limit = p.limit ?? 10;
  return p.seesAll ? invoices.list(p.teamId, { limit }) : invoices.list(p.teamId, { limit, person: p.userId });
}
