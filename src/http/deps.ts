import type { ConnectDeps } from '../app/connect.ts';
import type { Config } from '../config.ts';
import type { Engine } from '../engine.ts';
import type { Logger } from '../log.ts';

/** What the HTTP routes get: the Slack-free core and the use cases they call (no Slack types). */
export interface HttpDeps {
  engine: Engine;
  config: Config;
  log: Logger;
  /** The connect use case, with its ports (admin check, announcement) filled in by the Slack side. */
  connect: ConnectDeps;
}
