import type Database from 'better-sqlite3';

/** How many distinct SQL texts keep their prepared statement (least recently used ones are dropped past it). */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * The better-sqlite3 connection as drizzle's session sees it: `prepare` hands back one prepared statement per SQL
 * text instead of compiling it again on every query (drizzle prepares each query it runs; compiling was ~6% of the
 * app's CPU under bench:ack). Everything else is the connection itself.
 *
 * drizzle switches a statement into raw (array) mode for selects with fields and uses plain mode otherwise, and the
 * mode sticks to the statement, so a cached reader is put back in plain mode each time it is handed out. Only drizzle
 * gets this view: code using `$client.prepare` directly (pluck, expand) keeps its own statements. Statements belong
 * to this one connection and hold no data, so several processes on one database are unaffected; SQLite re-compiles a
 * statement itself when the schema changes.
 */
export function cachingStatements(sqlite: Database.Database, size = STATEMENT_CACHE_SIZE): Database.Database {
  const cache = new Map<string, Database.Statement>();
  const prepare = (source: string): Database.Statement => {
    let stmt = cache.get(source);
    if (stmt) {
      cache.delete(source); // re-inserted below: the Map's order is the recency order
      if (stmt.reader) stmt.raw(false);
    } else {
      stmt = sqlite.prepare(source);
      if (cache.size >= size) cache.delete(cache.keys().next().value as string);
    }
    cache.set(source, stmt);
    return stmt;
  };
  return new Proxy(sqlite, {
    get(target, prop) {
      if (prop === 'prepare') return prepare;
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
