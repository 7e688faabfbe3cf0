/**
 * The storage seam: the only code that touches the database. One async store per aggregate (src/store/<name>.ts,
 * written once against `Conn`), and `tx(fn)` to run several of them in one transaction. Nothing outside src/store
 * imports drizzle or a schema. Each dialect (sqlite/, later postgres/) supplies a schema, a client with its
 * migrations, and a Conn.
 */
import type { Conn } from './conn.ts';
// --- store-invoices: invoice aggregate
import { InvoiceFileStore } from './invoice-files.ts';
import { InvoiceHub, InvoiceStore } from './invoices.ts';
import { JobStore } from './jobs.ts';
// --- end store-invoices

export type { Conn } from './conn.ts';
export { SqliteConn } from './sqlite/conn.ts';
// --- store-invoices: invoice aggregate
export { InvoiceStore, InvoiceHub, InvoiceNotFound, sha256 } from './invoices.ts';
export type { Invoice, InvoiceEvent, InvoiceStatus, NewInvoice, ConfirmedFields, StatusChange, Moved, TransitionHook, TxnType } from './invoices.ts';
export { InvoiceFileStore } from './invoice-files.ts';
export { JobStore } from './jobs.ts';
export type { Job, JobStatus } from './jobs.ts';
// --- end store-invoices

export interface Store {
  conn: Conn;
  // --- store-invoices: invoice aggregate
  invoices: InvoiceStore;
  files: InvoiceFileStore;
  jobs: JobStore;
  // --- end store-invoices
  /** Runs fn in one transaction with stores bound to it; invoice status events are emitted after it committed. */
  tx<T>(fn: (s: Store) => Promise<T>): Promise<T>;
}

interface Shared {
  // --- store-invoices: invoice aggregate
  invoiceHub: InvoiceHub;
  // --- end store-invoices
}

function build(conn: Conn, shared: Shared, afterCommit?: (f: () => void) => void): Store {
  return {
    conn,
    // --- store-invoices: invoice aggregate
    invoices: new InvoiceStore(conn, shared.invoiceHub, afterCommit),
    files: new InvoiceFileStore(conn),
    jobs: new JobStore(conn),
    // --- end store-invoices
    async tx<T>(fn: (s: Store) => Promise<T>): Promise<T> {
      if (conn.inTx) return fn(this);
      const later: Array<() => void> = [];
      const out = await conn.tx((t) => fn(build(t, shared, (f) => later.push(f))));
      for (const f of later) f();
      return out;
    },
  };
}

export function createStore(conn: Conn): Store {
  return build(conn, {
    // --- store-invoices: invoice aggregate
    invoiceHub: new InvoiceHub(),
    // --- end store-invoices
  });
}
