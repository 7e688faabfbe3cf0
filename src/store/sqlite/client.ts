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
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // drizzle's queries reuse their prepared statements; `$client` stays the plain connection.
  const db = drizzle(cachingStatements(sqlite), { schema }) as Db;
  db.$client = sqlite;
  migrateWithoutCascades(db);
  return db;
}

/**
 * Applies pending migrations with foreign keys off (SQLite's procedure for table rebuilds: with them on, the
 * DROP TABLE of a rebuild deletes the rows of every table referencing it `ON DELETE cascade`, and PRAGMA
 * foreign_keys is a no-op inside the migrator's transaction), then checks that every reference still holds.
 */
function migrateWithoutCascades(db: Db): void {
  const sqlite = db.$client;
  const applied = (): number => {
    const t = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
    return t ? (sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n : 0;
  };
  const before = applied();
  sqlite.pragma('foreign_keys = OFF');
  try {
    migrate(db, { migrationsFolder });
    const broken = applied() === before ? [] : (sqlite.pragma('foreign_key_check') as unknown[]);
    if (broken.length > 0) throw new Error(`migrations left ${broken.length} broken foreign key reference(s)`);
  } finally {
    sqlite.pragma('foreign_keys = ON');
  }
}

export function closeDatabase(db: Db): void {
  if (db.$client.open) db.$client.close();
}

export { schema };
