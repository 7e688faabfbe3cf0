/**
 * Column helpers shared by the SQLite schema files (not part of the schema's exports). Every timestamp is epoch
 * milliseconds (UTC) in an integer column, on both dialects (the Postgres twins are in ../postgres/schema-core.ts).
 */
import { sql } from 'drizzle-orm';
import { integer } from 'drizzle-orm/sqlite-core';

/** The current time in epoch ms (SQLite >= 3.42 for unixepoch's 'subsec'). */
export const nowMs = sql`(cast(unixepoch('subsec') * 1000 as integer))`;
/** A timestamp column: epoch ms. */
export const ms = (name: string) => integer(name);
/** A timestamp column that the database fills in with the current time when a row is inserted without it. */
export const msNow = (name: string) => ms(name).notNull().default(nowMs);
export const createdAt = () => msNow('created_at');
export const updatedAt = () => msNow('updated_at');
