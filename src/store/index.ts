/**
 * The storage seam: the only code that touches the database. One async store per aggregate (src/store/<name>.ts,
 * written once against `Conn`), and `tx(fn)` to run several of them in one transaction. Nothing outside src/store
 * imports drizzle or a schema. Each dialect (sqlite/, later postgres/) supplies a schema, a client with its
 * migrations, and a Conn.
 */
import type { Conn } from './conn.ts';
import { ConnectionStore } from './connections.ts';
import { InstallationStore } from './installations.ts';
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

export interface Store {
  readonly conn: Conn;
  /** Runs fn in one transaction; every store it is handed writes through that transaction. */
  tx<T>(fn: (s: Store) => Promise<T>): Promise<T>;
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
  // Invoice side (store-invoices).
}

export function createStore(conn: Conn): Store {
  return {
    conn,
    tx: (fn) => conn.tx((c) => fn(createStore(c))),
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
    // Invoice side (store-invoices).
  };
}
