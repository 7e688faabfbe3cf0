import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema.ts';
import { cachingStatements } from './statement-cache.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Opens (creating if needed) the SQLite database, sets WAL + foreign keys, and applies pending migrations. */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // drizzle's queries reuse their prepared statements; `$client` stays the plain connection.
  const db = drizzle(cachingStatements(sqlite), { schema }) as Db;
  db.$client = sqlite;
  migrate(db, { migrationsFolder });
  return db;
}

export function closeDatabase(db: Db): void {
  if (db.$client.open) db.$client.close();
}

export { schema };
