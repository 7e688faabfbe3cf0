import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema.ts';

export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Any 64-bit key, the same in every instance: pg_advisory_lock serialises migrations across processes. */
export const MIGRATION_LOCK_KEY = 7_431_290_417n;

/**
 * int8 (count(*), bigint columns) and numeric (sum()) arrive as numbers, as SQLite gives them, instead of pg's
 * default strings. Set on pg's global registry because drizzle passes its own per-query parsers, which fall back to
 * it (a pool's `types` would be ignored). Safe here: epoch ms, counts and cents stay far below 2^53.
 */
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export interface PostgresOptions {
  /** Pool size per instance (default 10). */
  max?: number;
}

/**
 * Connects a pool to `url` and applies pending migrations while holding a session-level advisory lock, so that
 * instances starting together migrate one after the other (the later ones find nothing left to do).
 */
export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<PgDb> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  // An idle client's connection dropping (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  try {
    await migrateLocked(pool);
  } catch (err) {
    await pool.end();
    throw new Error(`cannot open PostgreSQL at ${serverOf(url)} (DATABASE_URL): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return drizzle(pool, { schema }) as PgDb;
}

/** Where `url` points, for messages: user, host, port and database — never the password. */
function serverOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'an unreadable URL';
  }
}

async function migrateLocked(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    try {
      await migrate(drizzle(client, { schema }), { migrationsFolder });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
    }
  } finally {
    client.release();
  }
}

export async function closePostgres(db: PgDb): Promise<void> {
  if (!db.$client.ended) await db.$client.end();
}

export { schema };
