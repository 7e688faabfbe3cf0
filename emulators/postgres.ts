import pg from 'pg';
import { randomBytes } from 'node:crypto';

/**
 * Databases of their own on a PostgreSQL server (a throwaway one from scripts/pg/throwaway.sh, or CI's): the stack,
 * the engine stack and bench:cluster each run the app on a fresh, empty database that the app migrates itself at
 * start-up, exactly as a first deploy does, and drop it afterwards.
 */

export interface FreshDatabase {
  /** DATABASE_URL for the app: the server's URL with the new database's name. */
  url: string;
  name: string;
  /** Drops the database (any connection still open to it is ended). */
  drop(): Promise<void>;
}

/** `url` with its database part replaced by `name`. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs `fn` on one connection to the server at `url`, closed afterwards. */
export async function onServer<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * CREATE DATABASE <prefix>_<random> on the server at `serverUrl` (any database on it; `postgres` will do), empty or
 * copied from `template`.
 */
export async function freshDatabase(serverUrl: string, prefix = 'qbo_app', template?: string): Promise<FreshDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, (c) => c.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`));
  let dropped: Promise<void> | null = null;
  return {
    url: withDatabase(serverUrl, name),
    name,
    drop() {
      dropped ??= onServer(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {});
      return dropped;
    },
  };
}

/** Runs one query on the database at `url` (for counting rows from outside the app, as bench:cluster does). */
export async function queryRows<R>(url: string, sql: string): Promise<R[]> {
  return onServer(url, async (c) => (await c.query(sql)).rows as R[]);
}

/**
 * Which database the test stacks run the app on: `TEST_APP_DATABASE=postgres` puts every stack on a fresh database
 * on the server at TEST_DATABASE_URL (`export TEST_DATABASE_URL=$(scripts/pg/throwaway.sh start)`); otherwise
 * SQLite in the stack's temp dir.
 */
export function stackDatabaseKind(env: NodeJS.ProcessEnv = process.env): 'sqlite' | 'postgres' {
  return env.TEST_APP_DATABASE === 'postgres' ? 'postgres' : 'sqlite';
}

/** The server the Postgres stacks use; an error naming what to set when there is none. */
export function stackServerUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.TEST_DATABASE_URL;
  if (!url) throw new Error('a Postgres stack needs a server: export TEST_DATABASE_URL=$(scripts/pg/throwaway.sh start)');
  return url;
}
