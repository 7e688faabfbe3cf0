import type { Config } from '../config.ts';
import type { Conn } from './conn.ts';
import { closeDatabase, openDatabase } from './sqlite/client.ts';
import { SqliteConn } from './sqlite/conn.ts';

/** An open database of the configured kind, migrated, behind the one Conn every store shares. */
export interface OpenedStore {
  kind: Conn['dialect'];
  conn: Conn;
  close(): Promise<void>;
}

/**
 * Opens what `config.database` names: PostgreSQL at DATABASE_URL (a pool; migrations applied under an advisory
 * lock), else the SQLite file at DATABASE_PATH. The engine creates exactly one of these per process.
 */
export async function openStore(database: Config['database'], opts: { poolSize?: number } = {}): Promise<OpenedStore> {
  if (database.kind === 'postgres') {
    // node-postgres and the Postgres schema load only when DATABASE_URL selects them (SQLite starts without them).
    const [{ closePostgres, openPostgres }, { PgConn }] = await Promise.all([import('./postgres/client.ts'), import('./postgres/conn.ts')]);
    const db = await openPostgres(database.url, { max: opts.poolSize });
    return { kind: 'postgres', conn: PgConn.open(db), close: () => closePostgres(db) };
  }
  const db = openDatabase(database.path);
  return { kind: 'sqlite', conn: SqliteConn.open(db), close: async () => closeDatabase(db) };
}
