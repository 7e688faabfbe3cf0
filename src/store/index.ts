/**
 * The storage seam: the only code that touches the database. One async store per aggregate (src/store/<name>.ts,
 * written once against `Conn`), and `tx(fn)` to run several of them in one transaction. Nothing outside src/store
 * imports drizzle or a schema. Each dialect (sqlite/, later postgres/) supplies a schema, a client with its
 * migrations, and a Conn.
 */
export type { Conn } from './conn.ts';
export { SqliteConn } from './sqlite/conn.ts';
