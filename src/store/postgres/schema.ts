/**
 * The Postgres schema: the twin of ../sqlite/schema.ts (same export names, tables and columns; see schema-core.ts
 * for how types map), split in two files only to keep each short. drizzle-kit and PgConn read this module.
 */
export * from './schema-core.ts';
export * from './schema-later.ts';
