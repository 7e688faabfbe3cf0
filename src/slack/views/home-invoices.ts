import type { Invoice } from '../../invoices/service.ts';

/** App Home section listing recent invoices with status, failures with Retry (built by the intake feature). */
export function invoiceHomeBlocks(_invoices: Invoice[]): any[] {
  return [];
}
