import type { Db } from './sqlite/client.ts';
import type * as schema from './sqlite/schema.ts';

/**
 * What every store is written against, whatever the dialect. Store code uses drizzle's query builder and awaits it
 * (never `.get()/.all()/.run()`, which only SQLite has), takes its tables from `c.t`, counts changed rows with
 * `.returning()`, and keeps anything dialect-specific (FTS, upsert quirks) behind `c.dialect`. The SQLite schema is
 * the typing reference; the Postgres schema has the same export names and columns (a test compares them).
 */
export interface Conn {
  readonly dialect: 'sqlite' | 'postgres';
  /** The dialect's drizzle database (typed as SQLite's; the builder API store code uses is the same on both). */
  readonly db: Db;
  /** The dialect's tables, same names and columns in both. */
  readonly t: typeof schema;
  /** True for the Conn handed to a transaction's callback. */
  readonly inTx: boolean;
  /** Runs one query (or a few, without a transaction around them); awaits thenable builders. */
  run<T>(f: (db: Db) => T | PromiseLike<T>): Promise<Awaited<T>>;
  /**
   * Runs fn in one transaction, every statement through the Conn it is given; a tx inside a tx joins the outer one.
   * On Postgres (serializable) fn runs again when it lost to a concurrent transaction, so anything it collects
   * outside the database must start afresh on each run.
   */
  tx<T>(fn: (c: Conn) => Promise<T>): Promise<T>;
}
