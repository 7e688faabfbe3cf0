/**
 * The storage seam: the only code that touches the database. One async store per aggregate (src/store/<name>.ts,
 * written once against `Conn`), and `tx(fn)` to run several of them in one transaction. Nothing outside src/store
 * imports drizzle or a schema. Each dialect (sqlite/, later postgres/) supplies a schema, a client with its
 * migrations, and a Conn.
 */
import type { Conn } from './conn.ts';
import { ConnectionStore } from './connections.ts';
import { InstallationStore } from './installations.ts';
import { InvoiceFileStore } from './invoice-files.ts';
import { InvoiceHub, InvoiceStore } from './invoices.ts';
import { JobStore } from './jobs.ts';
import { ListStore } from './lists.ts';
import { MeteredStore } from './metered.ts';
import { NoticeStore } from './notices.ts';
import { OAuthStateStore } from './oauth-states.ts';
import { ProcessedEventStore } from './processed-events.ts';
import { ProfileStore } from './profiles.ts';
import { QboChangeStore } from './qbo-changes.ts';
import { WorkspaceStore } from './workspace.ts';

export type { Conn } from './conn.ts';
export { SqliteConn } from './sqlite/conn.ts';
export { InvoiceStore, InvoiceHub, InvoiceNotFound, sha256 } from './invoices.ts';
export type { Invoice, InvoiceEvent, InvoiceStatus, NewInvoice, ConfirmedFields, StatusChange, Moved, TransitionHook, TxnType } from './invoices.ts';
export { InvoiceFileStore } from './invoice-files.ts';
export { JobStore } from './jobs.ts';
export type { Job, JobStatus } from './jobs.ts';

export interface Store {
  readonly conn: Conn;
  /** Runs fn in one transaction with stores bound to it; invoice status events are emitted after it committed. */
  tx<T>(fn: (s: Store) => Promise<T>): Promise<T>;
  // Invoice side (store-invoices).
  readonly invoices: InvoiceStore;
  readonly files: InvoiceFileStore;
  readonly jobs: JobStore;
  // Workspace side (store-workspace).
  readonly workspaces: WorkspaceStore;
  readonly connections: ConnectionStore;
  readonly lists: ListStore;
  readonly profiles: ProfileStore;
  readonly installations: InstallationStore;
  readonly notices: NoticeStore;
  readonly processedEvents: ProcessedEventStore;
  readonly oauthStates: OAuthStateStore;
  readonly metered: MeteredStore;
  readonly qboChanges: QboChangeStore;
}

interface Shared {
  invoiceHub: InvoiceHub;
}

function build(conn: Conn, shared: Shared, afterCommit?: (f: () => void) => void): Store {
  return {
    conn,
    async tx<T>(fn: (s: Store) => Promise<T>): Promise<T> {
      if (conn.inTx) return fn(this);
      const later: Array<() => void> = [];
      const out = await conn.tx((t) => {
        later.length = 0; // a Postgres transaction that lost a race runs again: only the committed attempt's emits
        return fn(build(t, shared, (f) => later.push(f)));
      });
      for (const f of later) f();
      return out;
    },
    // Invoice side (store-invoices).
    invoices: new InvoiceStore(conn, shared.invoiceHub, afterCommit),
    files: new InvoiceFileStore(conn),
    jobs: new JobStore(conn),
    // Workspace side (store-workspace).
    workspaces: new WorkspaceStore(conn),
    connections: new ConnectionStore(conn),
    lists: new ListStore(conn),
    profiles: new ProfileStore(conn),
    installations: new InstallationStore(conn),
    notices: new NoticeStore(conn),
    processedEvents: new ProcessedEventStore(conn),
    oauthStates: new OAuthStateStore(conn),
    metered: new MeteredStore(conn),
    qboChanges: new QboChangeStore(conn),
  };
}

export function createStore(conn: Conn): Store {
  return build(conn, { invoiceHub: new InvoiceHub() });
}
