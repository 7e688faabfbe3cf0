import { asc, eq } from 'drizzle-orm';
import type { Conn } from './conn.ts';

/** One split line of an invoice, as the review modal saved it. */
export interface InvoiceLine {
  description: string;
  amountCents: number | null;
  projectProfileId: number | null;
  costCodeProfileId: number | null;
}

/** An invoice's split lines. No rows means one line for the full amount (the invoice's own project and cost code). */
export class InvoiceLinesStore {
  constructor(private readonly c: Conn) {}

  async list(invoiceId: number): Promise<InvoiceLine[]> {
    const t = this.c.t.invoiceLines;
    const rows = await this.c.run((db) => db.select().from(t).where(eq(t.invoiceId, invoiceId)).orderBy(asc(t.position)));
    return rows.map((r) => ({
      description: r.description,
      amountCents: r.amountCents,
      projectProfileId: r.projectProfileId,
      costCodeProfileId: r.costCodeProfileId,
    }));
  }

  /** Replaces the lines in one transaction (an empty list goes back to one line). */
  async replace(invoiceId: number, lines: InvoiceLine[]): Promise<void> {
    await this.c.tx(async (tx) => {
      const t = tx.t.invoiceLines;
      await tx.run((db) => db.delete(t).where(eq(t.invoiceId, invoiceId)));
      if (lines.length === 0) return;
      await tx.run((db) => db.insert(t).values(lines.map((l, position) => ({ invoiceId, position, ...l }))));
    });
  }
}
