/**
 * The storage seam: the only code that touches the database. One async store per aggregate, and `tx(fn)` to run
 * several of them in one transaction. Nothing outside src/store imports drizzle or a schema. Each dialect
 * (sqlite/ today) implements these interfaces; callers never know which one they have.
 */
export type { SqliteConn } from './sqlite/conn.ts';
