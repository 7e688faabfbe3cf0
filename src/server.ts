import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import { createEngine, type Engine } from './engine.ts';
import { createSlackApp } from './slack/app.ts';
import type { SlackDeps } from './slack/deps.ts';
import { customRoutes } from './http/routes.ts';
import { wireNotifications } from './slack/notify.ts';
import { wireConnectionNotices } from './slack/connection-notices.ts';
import { warmUpExtraction } from './invoices/warmup.ts';

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
  const engine = createEngine(config, log);
  const { app, deps } = createSlackApp(engine, customRoutes);
  const unwireNotices = wireNotifications(deps);
  const unwireConnection = wireConnectionNotices(deps);
  const unwire = () => {
    unwireNotices();
    unwireConnection();
  };
  let port = config.port;
  if (config.slack.appToken) {
    await app.start();
  } else {
    const server = (await app.start({ port: config.port, host: config.host } as any)) as unknown as Server;
    port = (server.address() as AddressInfo).port;
  }
  engine.worker.start();
  const warm = warmUpExtraction(log);
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
        unwire();
        await warm; // never leave pdf.js mid-document
        await app.stop().catch((err) => log.warn('slack app stop failed', { error: err }));
        await engine.close(); // drains in-flight jobs, then closes the database
        log.info('app stopped');
      })();
      return stopping;
    },
  };
}
