import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { startApp, type RunningApp } from './server.ts';

/** `npm start`: validate configuration, start, and shut down gracefully on SIGTERM/SIGINT. */
async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n\nSee README.md → "Running it for real" for what each variable means.\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel, { service: 'qbo-slack' });
  // Signal handlers first: a SIGTERM during start-up still shuts down cleanly once the app is up.
  let running: RunningApp | null = null;
  let signalled: string | null = null;
  const shutdown = () => {
    if (!running || !signalled) return;
    log.info('shutting down', { signal: signalled });
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    running.stop().then(
      () => process.exit(0),
      (err) => {
        log.error('shutdown failed', { error: err });
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      signalled = signal;
      shutdown();
    });
  }
  running = await startApp(config, log);
  shutdown();
}

main().catch((err) => {
  process.stderr.write(`Failed to start: ${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
});
