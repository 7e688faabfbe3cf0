import type { Config } from './config.ts';
import { openDatabase, closeDatabase, type Db } from './store/sqlite/client.ts';
import type { Logger } from './log.ts';
import { QboOAuth } from './qbo/oauth.ts';
import { QboConnections } from './qbo/connections.ts';
import { QboClient } from './qbo/client.ts';
import { MeteredCalls } from './qbo/metered.ts';
import { Limiters } from './qbo/limiter.ts';
import { QboLists } from './qbo/lists.ts';
import type { Invoices } from './invoices/service.ts';
import { createStore, SqliteConn, type InvoiceFileStore, type Store } from './store/index.ts';
import { Worker } from './invoices/worker.ts';
import { SyncEngine } from './invoices/sync.ts';
import { QboChanges } from './qbo/changes.ts';
import { ExtractPool } from './invoices/extract/pool.ts';

/** The Slack-free core, wired once: database, QBO (OAuth, tokens, client, lists), invoices, queue, sync, file reading. */
export interface Engine {
  config: Config;
  log: Logger;
  db: Db;
  /** The storage seam: async stores (invoices, files, jobs, …) and `store.tx`. */
  store: Store;
  oauth: QboOAuth;
  connections: QboConnections;
  qbo: QboClient;
  /** Intuit's metered calls (reads, queries, CDC) counted per workspace, company and month. */
  metered: MeteredCalls;
  lists: QboLists;
  invoices: Invoices;
  /** Invoice files' bytes (their own table; invoice queries never load them). */
  files: InvoiceFileStore;
  worker: Worker;
  sync: SyncEngine;
  /** QuickBooks → app: webhooks and change data capture. */
  changes: QboChanges;
  /** Reads shared files (PDF, XML, OCR) in worker threads, within a page and time budget per file. */
  extractor: ExtractPool;
  close(): Promise<void>;
}

export function createEngine(config: Config, log: Logger): Engine {
  const db = openDatabase(config.databasePath);
  const oauth = new QboOAuth(config.qbo);
  const connections = new QboConnections(db, config.encryptionKey, oauth, log);
  const limiters = new Limiters(config.qbo.maxConcurrent, config.qbo.maxPerMinute, config.qbo.rateWindowMs);
  const metered = new MeteredCalls(db, config.qbo.meteredBudgetPerMonth);
  const qbo = new QboClient(config.qbo, connections, limiters, log, metered);
  const lists = new QboLists(db, qbo);
  const store = createStore(SqliteConn.open(db));
  const invoices = store.invoices;
  const worker = new Worker(store.jobs, log, {
    // Each company gets up to QBO's own concurrency; several companies can sync side by side.
    concurrency: config.qbo.maxConcurrent * 3,
    perTeamConcurrency: config.qbo.maxConcurrent,
    pollMs: config.worker.pollMs,
    maxAttempts: config.worker.maxAttempts,
    backoffBaseMs: config.worker.backoffBaseMs,
    leaseMs: config.worker.leaseMs,
  });
  const sync = new SyncEngine({ db, log, qbo, connections, lists, invoices, files: store.files, worker, appUrl: config.qbo.appUrl });
  connections.onCompanyChanged = (teamId) => void sync.companyChanged(teamId).catch((err) => log.error('resetting invoices after a change of company failed', { teamId, error: err }));
  const changes = new QboChanges({ db, qbo, lists, invoices, worker, log });
  const extractor = new ExtractPool({ size: config.extract.workers, maxPages: config.extract.maxPages, maxSeconds: config.extract.maxSeconds });
  return {
    config,
    log,
    db,
    store,
    oauth,
    connections,
    qbo,
    metered,
    lists,
    invoices,
    files: store.files,
    worker,
    sync,
    changes,
    extractor,
    async close() {
      // Reads still running end first (as `unsafe`), while the database is still open for their outcome.
      await extractor.close();
      await worker.stop();
      closeDatabase(db);
    },
  };
}
