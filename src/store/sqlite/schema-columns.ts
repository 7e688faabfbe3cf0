/** Column helpers shared by the SQLite schema files (not part of the schema's exports). */
import { sql } from 'drizzle-orm';
import { text } from 'drizzle-orm/sqlite-core';

export const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;
export const createdAt = () => text('created_at').notNull().default(now);
export const updatedAt = () => text('updated_at').notNull().default(now);
