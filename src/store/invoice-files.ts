import { eq } from 'drizzle-orm';
import type { Conn } from './conn.ts';

/**
 * Invoice files' bytes, in their own table (`invoice_files`): invoice lists and queue queries select invoices and
 * never touch this table, so a page of invoices never carries their PDFs. `InvoiceStore.create` writes the row.
 */
export class InvoiceFileStore {
  constructor(private readonly c: Conn) {}

  bind(t: Conn): InvoiceFileStore {
    return new InvoiceFileStore(t);
  }

  /** The stored file (empty when it was too large to keep, or none is stored). */
  async bytes(invoiceId: number): Promise<Buffer> {
    const { invoiceFiles: f } = this.c.t;
    const [row] = await this.c.run((db) => db.select({ b: f.bytes }).from(f).where(eq(f.invoiceId, invoiceId)).limit(1));
    return row?.b ?? Buffer.alloc(0);
  }

  /** Replaces the stored bytes (tests; a re-fetched file). */
  async put(invoiceId: number, bytes: Buffer): Promise<void> {
    const { invoiceFiles: f } = this.c.t;
    await this.c.run((db) => db.insert(f).values({ invoiceId, bytes }).onConflictDoUpdate({ target: f.invoiceId, set: { bytes } }));
  }
}
