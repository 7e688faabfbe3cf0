import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.ts';
import { boltLogger } from '../src/slack/bolt-logger.ts';

const BOT = 'xoxb-1111-2222-abcdefABCDEF';
const REFRESH = 'RT1-123-H0-99999999abcdefgh';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig_part-123';
const PLAIN = 'p7Q2v9Lm4Zx8Rt6Wk3Ys'; // no token shape: only its key can give it away

function capture(level: Parameters<typeof createLogger>[0] = 'trace', base: Record<string, unknown> = {}) {
  const lines: string[] = [];
  const log = createLogger(level, base, (l) => lines.push(l));
  return { log, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logger (pino)', () => {
  it('writes one JSON object a line with a level label, an ISO time and the message', () => {
    const { log, lines, records } = capture('info');
    log.info('app started', { port: 3000 });
    log.debug('hidden');
    log.warn('slow', { ms: 12 });
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
    const [a, b] = records();
    expect(a).toMatchObject({ level: 'info', msg: 'app started', port: 3000 });
    expect(new Date(String(a.time)).toISOString()).toBe(a.time);
    expect(b).toMatchObject({ level: 'warn', msg: 'slow', ms: 12 });
  });

  it('honours the level: error drops warn, silent drops everything', () => {
    const e = capture('error');
    e.log.warn('no');
    e.log.error('yes');
    expect(e.records().map((r) => r.msg)).toEqual(['yes']);
    const s = capture('silent');
    s.log.error('nothing');
    expect(s.lines).toEqual([]);
  });

  it('never writes secrets: known paths, secret-looking keys at any depth, token-shaped values, message text', () => {
    const { log, lines } = capture();
    log.info(`posting with ${BOT}`, {
      token: PLAIN,
      headers: { authorization: `Bearer ${PLAIN}`, 'content-type': 'application/json' },
      qbo: { clientSecret: PLAIN, tokens: { refresh_token: REFRESH } },
      deep: { a: { b: { c: { signingSecret: PLAIN } } } },
      note: `the refresh token is ${REFRESH} and the id token ${JWT}`,
      list: [{ access_token: PLAIN }, BOT],
      err: Object.assign(new Error(`bad token ${BOT}`), { code: 'invalid_auth' }),
    });
    const out = lines.join('\n');
    for (const s of [BOT, REFRESH, JWT, PLAIN]) expect(out).not.toContain(s);
    const r = JSON.parse(lines[0]);
    expect(r.msg).toBe('posting with [redacted]');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.err).toEqual({ name: 'Error', message: 'bad token [redacted]', code: 'invalid_auth' });
  });

  it("an error's cause is kept, scrubbed (a database error drizzle wrapped: its SQLSTATE)", () => {
    const { log, lines } = capture();
    const pgError = Object.assign(new Error(`could not serialize access near ${BOT}`), { code: '40001' });
    log.error('outbox claim failed', { error: new Error('Failed query: update "outbox" …', { cause: pgError }) });
    expect(lines.join('\n')).not.toContain(BOT);
    expect(JSON.parse(lines[0]).error).toEqual({
      name: 'Error',
      message: 'Failed query: update "outbox" …',
      cause: { name: 'Error', message: 'could not serialize access near [redacted]', code: '40001' },
    });
  });

  it('child loggers carry their bindings on every line, scrubbed like the fields', () => {
    const { log, records } = capture('info', { service: 'qbo-slack' });
    const job = log.child({ jobId: 42, kind: 'sync' });
    const req = job.child({ requestId: 'r-1', botToken: BOT });
    req.info('done', { attempt: 2 });
    log.info('parent');
    const [a, b] = records();
    expect(a).toMatchObject({
      service: 'qbo-slack',
      jobId: 42,
      kind: 'sync',
      requestId: 'r-1',
      attempt: 2,
      msg: 'done',
    });
    expect(JSON.stringify(a)).not.toContain(BOT);
    expect(b.jobId).toBeUndefined();
  });

  it("Bolt's logger interface goes through it, named and redacted", () => {
    const { log, records } = capture('debug');
    const bolt = boltLogger(log);
    bolt.setName('web-api:WebClient:0');
    bolt.warn('http request failed', new Error(`token ${BOT} revoked`), { retry: 1 });
    bolt.debug('apiCall', { token: PLAIN });
    const [w, d] = records();
    expect(w).toMatchObject({
      level: 'warn',
      component: 'web-api:WebClient:0',
      msg: 'http request failed token [redacted] revoked {"retry":1}',
    });
    expect(JSON.stringify(d)).not.toContain(PLAIN);
  });

  it("Bolt's debug lines below LOG_LEVEL are neither written nor formatted (Bolt passes whole API arguments)", () => {
    const { log, records } = capture('info');
    const bolt = boltLogger(log);
    let formatted = 0;
    const args = { toJSON: () => (formatted++, { view: 'large' }) };
    bolt.debug('apiCall', args);
    bolt.info('listening', args);
    expect(records()).toHaveLength(1);
    expect(formatted).toBe(1);
  });
});
