/**
 * Whether a failed statement broke a unique constraint, on either dialect: Postgres SQLSTATE 23505, SQLite's
 * SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY. drizzle wraps the driver's error (DrizzleQueryError, whose message is only
 * "Failed query: …"), so the whole `cause` chain is looked at, not the top message.
 */
export function isUniqueViolation(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
    if (/UNIQUE constraint failed|duplicate key value violates unique constraint/.test(String((e as { message?: unknown }).message ?? '')))
      return true;
  }
  return false;
}

/** SQLSTATEs a later attempt gets past: serialization failure, deadlock, connection lost, server shutting down, too many connections. */
const TRANSIENT_SQLSTATE = /^(40001|40P01|08[0-9A-Z]{3}|57P0[123]|53300)$/;
/** SQLite's equivalents: another process holds the write lock past the busy timeout. */
const TRANSIENT_SQLITE = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED']);

/**
 * Whether a database error is one that trying the same work again later gets past (the database was busy or away
 * for a moment), on either dialect: a job that hits it is retried by the queue, not failed for good.
 */
export function isTransientDbError(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_SQLITE.has(code))) return true;
  }
  return false;
}
