// What nobody but an admin (or a payer, for payments) may change, read straight from the app's SQLite database, so a
// benchmark running the app as a child process can compare it around a fuzz run.

/** The smallest slice of better-sqlite3 this needs (an open Database, read-only is enough). */
export interface SqliteReader {
  prepare(sql: string): { all(...params: unknown[]): unknown[] };
}

export function protectedState(db: SqliteReader): Record<string, unknown> {
  const q = (sql: string) => db.prepare(sql).all();
  return {
    settings: q(
      'select team_id, auto_sync, default_purchase_account_id, default_type, default_expense_account_id, admin_user_ids, payer_user_ids from settings order by team_id',
    ),
    connections: q('select team_id, realm_id, status, refresh_token_enc is not null as has_token from qbo_connections order by team_id'),
    workspaceRealms: q('select team_id, qbo_realm_id from workspaces order by team_id'),
    links: q('select team_id, kind, name, qbo_entity, qbo_id from profiles order by id'),
    bindings: q('select team_id, channel_id, project_profile_id from channel_bindings order by team_id, channel_id'),
    // Invoices anyone may create; paying one or allowing a duplicate is not anyone's to do.
    payments: q('select id, qbo_payment_id, allow_duplicate from invoices where qbo_payment_id is not null or allow_duplicate = 1 order by id'),
  };
}
