import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import { redact, type Logger } from '../log.ts';

// Bolt passes objects (API arguments, responses) as message parts: scrubbed before they become text.
const text = (m: unknown) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(redact(m)));

/**
 * Bolt's and the WebClient's logger interface on top of ours (pino, with redaction): each line carries
 * `component` (`bolt`, or the name Bolt gives it via setName). LOG_LEVEL decides what is written; Bolt's own
 * setLevel is remembered for getLevel only.
 */
export function boltLogger(log: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  let out = log.child({ component: 'bolt' });
  const fmt = (msgs: unknown[]) => msgs.map(text).join(' ');
  // Bolt and the WebClient log API arguments (whole views) at debug on every request: not formatted unless written.
  const RANK = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, silent: 5 } as const;
  const writes = (l: 'debug' | 'info') => RANK[log.level] <= RANK[l];
  return {
    debug: (...m) => {
      if (writes('debug')) out.debug(fmt(m));
    },
    info: (...m) => {
      if (writes('info')) out.info(fmt(m));
    },
    warn: (...m) => out.warn(fmt(m)),
    error: (...m) => out.error(fmt(m)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: (name) => {
      out = log.child({ component: name });
    },
  };
}
