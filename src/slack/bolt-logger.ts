import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../log.ts';

/** Routes Bolt's and the WebClient's logs through our JSON logger (which redacts secrets). */
export function boltLogger(log: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  const fmt = (msgs: unknown[]) => msgs.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  return {
    debug: (...m) => log.debug(fmt(m), { component: 'bolt' }),
    info: (...m) => log.info(fmt(m), { component: 'bolt' }),
    warn: (...m) => log.warn(fmt(m), { component: 'bolt' }),
    error: (...m) => log.error(fmt(m), { component: 'bolt' }),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
