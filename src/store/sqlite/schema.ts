/**
 * The SQLite schema (drizzle + better-sqlite3), split in two files only to keep each short; drizzle-kit
 * (drizzle.config.ts) and SqliteConn read this module. The Postgres twin is ../postgres/schema.ts.
 */
export * from './schema-core.ts';
export * from './schema-later.ts';
