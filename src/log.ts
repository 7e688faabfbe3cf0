/**
 * Structured JSON logs through pino, one object a line on stdout: `{"level":"info","time":"…","msg":"…",…}`.
 * Secrets are kept out twice over: pino's `redact` censors the known secret paths (tokens, client and signing
 * secrets, authorization headers, refresh tokens), and every record and child binding is scrubbed first, so a value
 * under any key that looks like a secret, or anything shaped like a Slack/Intuit token anywhere, never reaches a line.
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';

const SECRET_KEY = /token|secret|password|authorization|cookie|signature|code_verifier|^code$/i;
const SECRET_VALUE =
  /\b(xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9._-]+|AB11[A-Za-z0-9]{20,}|RT1-[A-Za-z0-9-]+)\b/g;
const CENSOR = '[redacted]';

const SECRET_FIELDS = [
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'botToken',
  'bot_token',
  'idToken',
  'clientSecret',
  'client_secret',
  'signingSecret',
  'signing_secret',
  'encryptionKey',
  'password',
  'authorization',
];
/** The paths pino censors itself (top level, one level down, and request/response headers). */
export const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  ...['headers', 'req.headers', 'request.headers', 'config.headers'].flatMap((h) => [`${h}.authorization`, `${h}.cookie`]),
];

/**
 * Deep scrub: secret-looking keys censored, token-shaped substrings removed, errors reduced to name/message/code
 * and their cause, scrubbed the same (drizzle wraps a database error as "Failed query: …"; the SQLSTATE that says
 * what happened — 40001, 23505 — is on its cause).
 */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(SECRET_VALUE, CENSOR);
  if (value instanceof Error) {
    const code = (value as Error & { code?: unknown }).code;
    const cause = value.cause !== undefined && depth < 3 ? { cause: redact(value.cause, depth + 1) } : {};
    return { name: value.name, message: redact(value.message), ...(code ? { code } : {}), ...cause };
  }
  if (Array.isArray(value)) return depth > 5 ? '[…]' : value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    if (depth > 5) return '[…]';
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? CENSOR : redact(v, depth + 1);
    return out;
  }
  return value;
}

export interface Logger {
  trace(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger whose every line carries `fields` (one per request, job, …). */
  child(fields: Record<string, unknown>): Logger;
  level: Level;
}

function pinoFor(level: Level, base: Record<string, unknown>, write?: (line: string) => void): PinoLogger {
  // Without `write`, a synchronous stdout destination: lines are not lost when the process exits right after.
  const dest: DestinationStream = write
    ? { write: (s: string) => write(s.endsWith('\n') ? s.slice(0, -1) : s) }
    : pino.destination({ dest: 1, sync: true });
  return pino(
    {
      level,
      base: redact(base) as Record<string, unknown>,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: CENSOR },
      // Errors are already reduced by redact() (name, message, code — no stack, which may quote request data).
      serializers: { err: (e: unknown) => e },
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (b) => redact(b) as Record<string, unknown>,
        log: (o) => redact(o) as Record<string, unknown>,
      },
    },
    dest,
  );
}

function wrap(p: PinoLogger, level: Level): Logger {
  const at = (lvl: Exclude<Level, 'silent'>) => (msg: string, fields?: Record<string, unknown>) =>
    p[lvl](fields ?? {}, typeof msg === 'string' ? msg.replace(SECRET_VALUE, CENSOR) : String(msg));
  return {
    level,
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => wrap(p.child(fields), level),
  };
}

/** `write` receives each line without its newline (tests collect them); by default lines go to stdout. */
export function createLogger(level: Level = 'info', base: Record<string, unknown> = {}, write?: (line: string) => void): Logger {
  return wrap(pinoFor(level, base, write), level);
}

export const silentLogger = createLogger('silent', {}, () => {});
