import type { Conn } from '../conn.ts';
import type { Db } from '../sqlite/client.ts';
import type * as sqliteSchema from '../sqlite/schema.ts';
import type { PgDb } from './client.ts';
import * as schema from './schema.ts';

type PgTx = Parameters<Parameters<PgDb['transaction']>[0]>[0];

/** SQLSTATEs after which the whole transaction may simply be run again: serialization failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);
/**
 * Several instances on one hot row (a realm's rate row, the outbox head, one invoice) lose to each other often: the
 * loser waits a random, growing while (full jitter, up to 250 ms) and runs again, so that they spread out instead of
 * colliding again at once; 20 runs is about 3 s of waiting at worst.
 */
const MAX_ATTEMPTS = 20;
const backoffMs = (attempt: number) => Math.random() * Math.min(250, 2 ** attempt);

/**
 * How a store reaches Postgres. Statements outside a transaction take any pooled connection. A transaction runs
 * SERIALIZABLE: SQLite gives every transaction the whole database to itself, and the stores' read-then-write
 * sequences (a duplicate check before a move, an upsert after a read) rely on that; on Postgres the same promise is
 * kept by serializable isolation, and a transaction that lost to a concurrent one is run again (backed off, up to 20 times), so
 * `fn` must only touch the database through the Conn it is given.
 */
export class PgConn implements Conn {
  readonly dialect = 'postgres' as const;
  /** The Postgres tables under the SQLite schema's types (same export names and columns; a test keeps them so). */
  readonly t = schema as unknown as typeof sqliteSchema;

  private constructor(
    private readonly pg: PgDb | PgTx,
    readonly inTx: boolean,
  ) {}

  static open(db: PgDb): PgConn {
    return new PgConn(db, false);
  }

  /** The Postgres drizzle database (or transaction), typed as Conn's: the builder API stores use is the same. */
  get db(): Db {
    return this.pg as unknown as Db;
  }

  async run<T>(f: (db: Db) => T | PromiseLike<T>): Promise<Awaited<T>> {
    return await f(this.db);
  }

  async tx<T>(fn: (c: Conn) => Promise<T>): Promise<T> {
    if (this.inTx) return fn(this);
    for (let attempt = 1; ; attempt++) {
      try {
        return await (this.pg as PgDb).transaction((tx) => fn(new PgConn(tx, true)), {
          isolationLevel: 'serializable',
        });
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !RETRYABLE.has(sqlState(err) ?? '')) throw err;
        await new Promise((r) => setTimeout(r, backoffMs(attempt)));
      }
    }
  }
}

/** The SQLSTATE of a pg error, also when drizzle has wrapped it (DrizzleQueryError keeps it as `cause`). */
export function sqlState(err: unknown): string | undefined {
  for (let e = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}
