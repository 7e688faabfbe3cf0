import type { Conn } from '../conn.ts';
import type { Db } from './client.ts';
import * as schema from './schema.ts';

/**
 * How a store reaches SQLite. better-sqlite3 is synchronous and has one connection, so an async transaction needs
 * a gate: while `tx` has BEGIN open, statements from other callers wait (they would otherwise run inside it);
 * statements issued through the transaction's own Conn run straight away. Across processes, BEGIN IMMEDIATE and
 * the busy timeout keep writers apart.
 */
export class SqliteConn implements Conn {
  readonly dialect = 'sqlite' as const;
  readonly t = schema;
  private gate: Promise<void> | null = null;

  private constructor(
    readonly db: Db,
    private readonly root: SqliteConn | null,
  ) {}

  static open(db: Db): SqliteConn {
    return new SqliteConn(db, null);
  }

  get inTx(): boolean {
    return this.root !== null;
  }

  async run<T>(f: (db: Db) => T | PromiseLike<T>): Promise<Awaited<T>> {
    if (!this.root) while (this.gate) await this.gate;
    return await f(this.db);
  }

  async tx<T>(fn: (c: Conn) => Promise<T>): Promise<T> {
    if (this.root) return fn(this);
    while (this.gate) await this.gate;
    let open!: () => void;
    this.gate = new Promise<void>((r) => (open = r));
    const inner = new SqliteConn(this.db, this);
    try {
      this.db.$client.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(inner);
        this.db.$client.exec('COMMIT');
        return out;
      } catch (err) {
        if (this.db.$client.inTransaction) this.db.$client.exec('ROLLBACK');
        throw err;
      }
    } finally {
      this.gate = null;
      open();
    }
  }
}
