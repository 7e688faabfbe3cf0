import type { Config } from './config.ts';
import { openStore, type OpenedStore } from './store/open.ts';
import type { Logger } from './log.ts';
import { createStore, type Conn, type InvoiceFileStore, type Store } from './store/index.ts';
import { InvoiceLinesStore } from './store/invoice-lines.ts';
import { VendorRulesStore } from './store/vendor-rules.ts';
import { QboOAuth } from './qbo/oauth.ts';
import { QboConnections } from './qbo/connections.ts';
import { QboClient } from './qbo/client.ts';
import { MeteredCalls } from './qbo/metered.ts';
import { Limiters, type CompanyLimits } from './qbo/limiter.ts';
import { SharedLimiters } from './qbo/shared-limiter.ts';
import { QboRateStore } from './store/qbo-rate.ts';
import { RefreshLockStore } from './store/refresh-locks.ts';
import { newInstanceId } from './invoices/worker-instance.ts';
import { QboLists } from './qbo/lists.ts';
import type { Invoices } from './invoices/service.ts';
import { Worker } from './invoices/worker.ts';
import { SyncEngine } from './invoices/sync.ts';
import { QboChanges } from './qbo/changes.ts';
import { ExtractPool } from './invoices/extract/pool.ts';
import { ApprovalStore } from './store/approvals.ts';
import { ApprovalService } from './approvals/service.ts';
import { approvalTx } from './approvals/news.ts';
import { AutoBook } from './invoices/auto-book.ts';

/** The Slack-free core, wired once: database, QBO (OAuth, tokens, client, lists), invoices, queue, sync, file reading. */
export interface Engine {
  config: Config;
  log: Logger;
  /** Which database this engine runs on (DATABASE_URL → postgres, else the SQLite file at DATABASE_PATH). */
  databaseKind: Conn['dialect'];
  /** The storage seam's connection: async stores (src/store/*) run through it, one transaction gate per database. */
  conn: Conn;
  /** Every aggregate's async store, all on `conn` (src/store). */
  store: Store;
  /** Split lines and vendor rules (issue 14). */
  invoiceLines: InvoiceLinesStore;
  vendorRules: VendorRulesStore;
  /** A pinned vendor rule's auto-book, with its Undo window (issue 14). */
  autoBook: AutoBook;
  /** This process's instance id (`host:pid:random`): holder of its job leases and QBO rate slots. */
  instanceId: string;
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
  /** Approval rules and decisions (issue 16): the gate before `ready`. */
  approvals: ApprovalService;
  close(): Promise<void>;
}

export async function createEngine(config: Config, log: Logger): Promise<Engine> {
  // One Conn per process: its transaction gate (SQLite) and pool (Postgres) only work when every store shares it.
  const opened = await openStore(config.database);
  const { conn } = opened;
  const store = createStore(conn);
  const oauth = new QboOAuth(config.qbo);
  const connections = new QboConnections(store.connections, config.encryptionKey, oauth, log);
  const instanceId = newInstanceId();
  // One refresh per expiry across every instance on this database (a per-workspace lease; refreshes are rare).
  connections.shareRefreshes(new RefreshLockStore(conn), instanceId);
  const limiters = companyLimits(config, conn, instanceId, log);
  const metered = new MeteredCalls(store.metered, config.qbo.meteredBudgetPerMonth);
  const qbo = new QboClient(config.qbo, connections, limiters, log, metered);
  const lists = new QboLists(store.lists, qbo);
  const invoices = store.invoices;
  const worker = newWorker(config, store, log, instanceId);
  const invoiceLines = new InvoiceLinesStore(conn);
  const vendorRules = new VendorRulesStore(conn);
  const approvals = newApprovals(store, invoices, lists, invoiceLines);
  const sync = new SyncEngine({
    store,
    log,
    qbo,
    connections,
    lists,
    invoices,
    files: store.files,
    worker,
    appUrl: config.qbo.appUrl,
    invoiceLines,
    vendorRules,
    approvals,
  });
  approvals.onApproved = (invoiceId, actor) => sync.submit(invoiceId, actor);
  const autoBook = new AutoBook({
    store,
    log,
    invoices,
    jobs: store.jobs,
    worker,
    vendorRules,
    connections,
    lists,
    undoMs: config.autoBook.undoMs,
    submit: (id, actor) => sync.submit(id, actor),
  });
  connections.onCompanyChanged = (teamId) =>
    void sync.companyChanged(teamId).catch((err) => log.error('resetting invoices after a change of company failed', { teamId, error: err }));
  const changes = new QboChanges({ store, qbo, lists, invoices, worker, log });
  const extractor = new ExtractPool({ size: config.extract.workers, maxPages: config.extract.maxPages, maxSeconds: config.extract.maxSeconds });
  return {
    config,
    log,
    databaseKind: opened.kind,
    conn,
    store,
    invoiceLines,
    vendorRules,
    autoBook,
    instanceId,
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
    approvals,
    close: () => closeEngine(extractor, worker, limiters, opened),
  };
}

/** Stops reading, the queue and the shared limits, then closes the database. */
async function closeEngine(extractor: ExtractPool, worker: Worker, limiters: CompanyLimits, opened: OpenedStore): Promise<void> {
  // Reads still running end first (as `unsafe`), while the database is still open for their outcome.
  await extractor.close();
  await worker.stop();
  if (limiters instanceof SharedLimiters) limiters.stop();
  await opened.close();
}

/** The job queue: up to QBO's own concurrency per company, several companies side by side. */
function newWorker(config: Config, store: Store, log: Logger, instanceId: string): Worker {
  return new Worker(store.jobs, log, {
    // Each company gets up to QBO's own concurrency; several companies can sync side by side.
    concurrency: config.qbo.maxConcurrent * 3,
    perTeamConcurrency: config.qbo.maxConcurrent,
    pollMs: config.worker.pollMs,
    maxAttempts: config.worker.maxAttempts,
    backoffBaseMs: config.worker.backoffBaseMs,
    leaseMs: config.worker.leaseMs,
    shutdownGraceMs: config.worker.shutdownGraceMs,
    instanceId,
  });
}

/** The approval gate (issue 16), naming projects, cost codes and vendors from the profiles and the QBO lists. */
function newApprovals(store: Store, invoices: Invoices, lists: QboLists, invoiceLines: InvoiceLinesStore): ApprovalService {
  const approvalStore = new ApprovalStore(store.conn);
  return new ApprovalService({
    store: approvalStore,
    invoices,
    // A decision, its status change and the DMs it calls for (outbox rows) commit together.
    tx: approvalTx(store, approvalStore),
    names: {
      project: async (teamId, id) => (await store.profiles.get(teamId, id))?.name ?? null,
      costCode: async (teamId, id) => (await store.profiles.get(teamId, id))?.name ?? null,
      vendor: async (teamId, id) => (await lists.get(teamId, 'Vendor', id))?.name ?? null,
    },
    linesOf: (invoiceId) => invoiceLines.list(invoiceId),
  });
}

/**
 * QBO's per-company limits: in the database, shared by every instance on it, with Postgres (several instances is
 * what it is for) or when QBO_SHARED_LIMITS=true; otherwise in this process's memory, which costs nothing per request
 * (the shared one adds about 1.4 ms per request on SQLite, see README).
 */
function companyLimits(config: Config, conn: Conn, holder: string, log: Logger): CompanyLimits {
  const { maxConcurrent, maxPerMinute, rateWindowMs, sharedLimits } = config.qbo;
  if (!(sharedLimits ?? conn.dialect === 'postgres')) return new Limiters(maxConcurrent, maxPerMinute, rateWindowMs);
  return new SharedLimiters(new QboRateStore(conn), { holder, maxConcurrent, perMinute: maxPerMinute, windowMs: rateWindowMs, log });
}
