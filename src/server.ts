import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { createEngine, type Engine } from './engine.ts';
import { createSlackApp } from './slack/app.ts';
import type { SlackDeps } from './slack/deps.ts';
import { customRoutes } from './http/routes.ts';
import { connectDeps } from './slack/connect.ts';
import { wireNotifications } from './slack/notify.ts';
import { wireApprovals } from './slack/approvals.ts';
import { wireConnectionNotices } from './slack/connection-notices.ts';
import { wireQboChangeNotices } from './slack/qbo-change-notices.ts';
import { keepConnections } from './http/keep-alive.ts';
import { startRetention } from './slack/lifecycle.ts';
import { startExpiryChecks } from './slack/expiry-notices.ts';
import { resumeReceived, type ReadOptions } from './invoices/intake.ts';
import { recoveryGuard } from './invoices/recovery-leases.ts';
import { intakeIdle } from './slack/intake.ts';
import { notificationsIdle, resumeCards } from './slack/notify.ts';

export function readOptions(config: Config): ReadOptions {
  return { maxBytes: config.slack.maxFileBytes, timeoutMs: config.intake.readTimeoutMs, maxAttempts: config.intake.readMaxAttempts };
}

export interface RunningApp {
  engine: Engine;
  app: App;
  deps: SlackDeps;
  /** Where the HTTP server listens (Slack events, QBO OAuth routes, /healthz). */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts everything in order: database (migrations) → QBO core → Slack app + routes → worker. */
export async function startApp(config: Config, log: Logger): Promise<RunningApp> {
  const startedAt = new Date();
  const engine = await createEngine(config, log);
  // The HTTP routes call the use cases; the Slack side fills in their ports (admin check, announcements).
  const { app, deps } = createSlackApp(engine, (d) => customRoutes({ engine, config, log, connect: connectDeps(d) }));
  const unwireNotices = wireNotifications(deps);
  const unwireConnection = wireConnectionNotices(deps);
  const unwireChanges = wireQboChangeNotices(deps);
  const unwireApprovals = wireApprovals(deps);
  const unwire = async () => {
    unwireApprovals();
    unwireConnection();
    unwireChanges();
    await unwireNotices(); // the outbox loop finishes what it is sending
  };
  let port = config.port;
  if (config.slack.appToken) {
    await app.start();
  } else {
    const server = (await app.start({ port: config.port, host: config.host } as any)) as unknown as Server;
    port = (server.address() as AddressInfo).port;
    keepConnections(server);
  }
  await engine.worker.start();
  await resumeCards(deps);
  const stopCdc = engine.changes.startPeriodic(config.qbo.cdcIntervalMs);
  const stopRetention = startRetention(engine, config.dataRetentionDays);
  const stopExpiry = startExpiryChecks(deps);
  // A reading worker warms up (pdf.js, OCR: off the main thread; never awaited: closing the pool ends it), and any
  // invoice a crash left stored but unread gets read (and its card posted) without waiting for it.
  void engine.extractor.warmUp();
  const background = resumeReceived(
    { profiles: engine.store.profiles, invoices: engine.invoices, files: engine.files, lists: engine.lists, log, extractor: engine.extractor },
    startedAt,
    readOptions(config),
    recoveryGuard(engine, readOptions(config)),
  ).catch((err) => log.error('resuming unread invoices failed', { error: err }));
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  log.info('app started', { port, mode: config.slack.appToken ? 'socket' : 'http', workspaces: config.slack.botToken ? 'single' : 'multi' });
  let stopping: Promise<void> | null = null;
  return {
    engine,
    app,
    deps,
    url: `http://${host}:${port}`,
    port,
    stop() {
      stopping ??= (async () => {
        await app.stop().catch((err) => log.warn('slack app stop failed', { error: err })); // no new requests
        await background;
        await intakeIdle(deps); // files being read finish and are stored
        await engine.worker.stop(); // syncs in flight finish; queued ones stay queued for the next start
        await notificationsIdle(); // people hear about what just happened
        stopCdc();
        stopRetention();
        stopExpiry();
        await unwire();
        await engine.close();
        log.info('app stopped');
      })();
      return stopping;
    },
  };
}
