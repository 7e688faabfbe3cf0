import Database from 'better-sqlite3';
import pg from 'pg';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freshDatabase, type FreshDatabase } from '../../emulators/postgres.ts';

/**
 * The one database bench:cluster's instances share: a fresh database on a PostgreSQL server (the one at
 * DATABASE_URL, or a throwaway local server started and stopped here), or — for tests without a server — a SQLite
 * file. Read from outside the app to count what happened.
 */

export interface InvoiceRow {
  id: number;
  team_id: string;
  status: string;
  status_reason: string | null;
  slack_file_id: string | null;
  qbo_id: string | null;
}

export interface ClusterDatabase {
  kind: 'sqlite' | 'postgres';
  /** What every instance's environment gets (DATABASE_URL, or DATABASE_PATH). */
  env: Record<string, string>;
  rows(): Promise<InvoiceRow[]>;
  close(): Promise<void>;
}

const ROWS = 'SELECT id, team_id, status, status_reason, slack_file_id, qbo_id FROM invoices ORDER BY id';

/** A fresh database on the server at `serverUrl` (dropped at close), or a SQLite file in `dir` without one. */
export async function clusterDatabase(dir: string, serverUrl?: string): Promise<ClusterDatabase> {
  if (!serverUrl) {
    const path = join(dir, 'app.db');
    let sqlite: Database.Database | null = null;
    return {
      kind: 'sqlite',
      env: { DATABASE_PATH: path },
      async rows() {
        sqlite ??= new Database(path, { readonly: true, fileMustExist: true });
        return sqlite.prepare(ROWS).all() as InvoiceRow[];
      },
      async close() {
        sqlite?.close();
      },
    };
  }
  const fresh: FreshDatabase = await freshDatabase(serverUrl, 'qbo_cluster');
  const pool = new pg.Pool({ connectionString: fresh.url, max: 1 });
  pool.on('error', () => {});
  return {
    kind: 'postgres',
    env: { DATABASE_URL: fresh.url },
    async rows() {
      return (await pool.query(ROWS)).rows as InvoiceRow[];
    },
    async close() {
      await pool.end();
      await fresh.drop();
    },
  };
}

const THROWAWAY = resolve(import.meta.dirname, '../pg/throwaway.sh');

export interface ThrowawayServer {
  url: string;
  /** Stops the server and deletes its directory (synchronous, so it also runs from an `exit` handler). */
  stop(): void;
}

/**
 * A local PostgreSQL server for this run only (scripts/pg/throwaway.sh), stopped on every way out: stop(), the
 * process exiting (normally, by an uncaught error or process.exit), SIGINT, SIGTERM and SIGHUP.
 */
export function startThrowawayServer(log: (s: string) => void): ThrowawayServer {
  const dir = mkdtempSync(join(tmpdir(), 'qbo-cluster-pg-'));
  const started = spawnSync('bash', [THROWAWAY, 'start', dir], { encoding: 'utf8' });
  if (started.status !== 0) {
    spawnSync('bash', [THROWAWAY, 'stop', dir], { stdio: 'ignore' });
    throw new Error(`could not start a throwaway PostgreSQL server (scripts/pg/throwaway.sh): ${started.stderr.trim()}`);
  }
  const url = started.stdout.trim();
  let stopped = false;
  const onSignal = (signal: NodeJS.Signals) => {
    stop();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const stop = () => {
    if (stopped) return;
    stopped = true;
    spawnSync('bash', [THROWAWAY, 'stop', dir], { stdio: 'ignore' });
    process.off('exit', stop);
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, onSignal);
  };
  process.on('exit', stop);
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, onSignal);
  log(`throwaway PostgreSQL server on ${new URL(url).host} (stopped when this run ends)`);
  return { url, stop };
}
