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
