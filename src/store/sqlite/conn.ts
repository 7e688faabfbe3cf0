import type { Db } from './client.ts';

/**
 * How a SQLite store reaches the database. better-sqlite3 is synchronous and has one connection, so an async
 * transaction needs a gate: while `tx` has BEGIN open, statements from other callers wait (they would otherwise run
 * inside it); statements issued through the transaction's own Conn run straight away. Across processes, BEGIN
 * IMMEDIATE and the busy timeout keep writers apart.
 */
export class SqliteConn {
  private gate: Promise<void> | null = null;

  private constructor(
    readonly db: Db,
    private readonly root: SqliteConn | null,
  ) {}

  static open(db: Db): SqliteConn {
    return new SqliteConn(db, null);
  }

  /** True for the Conn handed to a transaction's callback. */
  get inTx(): boolean {
    return this.root !== null;
  }

  /** Runs one synchronous drizzle call; outside a transaction it first waits for any open one to end. */
  async run<T>(f: (db: Db) => T): Promise<T> {
    if (!this.root) while (this.gate) await this.gate;
    return f(this.db);
  }

  /**
   * Runs fn inside one transaction; fn must issue every statement through the Conn it is given. Commits when fn
   * resolves, rolls back when it throws. A tx inside a tx joins the outer one.
   */
  async tx<T>(fn: (c: SqliteConn) => Promise<T>): Promise<T> {
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
