import { availableParallelism } from 'node:os';
import { z } from 'zod';

/**
 * Every environment variable the app reads, parsed once. `loadConfig` never reads process.env itself unless
 * asked to, so tests and the demo build a config from plain objects.
 */

const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

const key32 = z
  .string()
  .trim()
  .refine((v) => Buffer.from(v, 'base64').length === 32, {
    message: 'must be 32 random bytes, base64-encoded (generate one with: openssl rand -base64 32)',
  });

const optionalUrl = z.url().optional();

export const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info'),
  PUBLIC_URL: z.url({ message: 'must be the https URL where browsers reach this app, e.g. https://invoices.example.com' }),
  DATABASE_PATH: z.string().min(1).default('./data/app.db'),
  /** postgres://user:password@host:port/db selects PostgreSQL (several instances share it); unset: SQLite at DATABASE_PATH. */
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\/\S+$/, {
      message: 'must be a PostgreSQL URL (postgres://user:password@host:5432/dbname); unset it to use SQLite at DATABASE_PATH',
    })
    .optional(),
  APP_ENCRYPTION_KEY: key32,

  // Slack
  SLACK_SIGNING_SECRET: z.string().min(1),
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', { message: 'must be a bot token (xoxb-…)' }).optional(),
  SLACK_CLIENT_ID: z.string().min(1).optional(),
  SLACK_CLIENT_SECRET: z.string().min(1).optional(),
  SLACK_STATE_SECRET: z.string().min(1).optional(),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', { message: 'must be an app-level token (xapp-…)' }).optional(),
  SLACK_API_URL: z.url().default('https://slack.com/api/'),
  SLACK_ADMIN_USER_IDS: list.default([]),
  SLACK_FILE_HOSTS: list.default(['files.slack.com']),
  MAX_FILE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),

  // QuickBooks Online
  QBO_CLIENT_ID: z.string().min(1),
  QBO_CLIENT_SECRET: z.string().min(1),
  QBO_ENVIRONMENT: z.enum(['sandbox', 'production']).default('sandbox'),
  QBO_REDIRECT_URI: optionalUrl,
  QBO_API_BASE_URL: optionalUrl,
  QBO_AUTHORIZE_URL: optionalUrl,
  QBO_TOKEN_URL: optionalUrl,
  QBO_REVOKE_URL: optionalUrl,
  QBO_APP_URL: optionalUrl,
  QBO_MINOR_VERSION: z.coerce.number().int().min(75).default(75),
  QBO_MAX_CONCURRENT: z.coerce.number().int().min(1).max(10).default(10),
  QBO_MAX_PER_MINUTE: z.coerce.number().int().min(1).max(500).default(500),
  QBO_RATE_WINDOW_MS: z.coerce.number().int().min(1000).max(60_000).default(60_000),
  /**
   * Keep QBO's per-company limits in the database, shared by every instance on it (on by default with Postgres;
   * set it when several processes share one SQLite file). Off: each process keeps them in memory.
   */
  QBO_SHARED_LIMITS: z.enum(['true', 'false']).optional(),
  /** The app's monthly quota of metered (CorePlus) calls at Intuit: /healthz and bench:sync show what is left. */
  QBO_METERED_BUDGET_PER_MONTH: z.coerce.number().int().min(1).default(500_000),
  /** Intuit's webhook verifier token; unset: POST /qbo/webhooks answers 503 and only change data capture runs. */
  QBO_WEBHOOK_TOKEN: z.string().min(1).optional(),
  /** How often change data capture runs per connected company (and once at start-up). */
  QBO_CDC_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(15 * 60_000),
  /** How long an uninstalled workspace's data is kept (a reinstall within it finds everything). */
  DATA_RETENTION_DAYS: z.coerce.number().min(0).default(30),

  // Worker
  WORKER_POLL_MS: z.coerce.number().int().positive().default(500),
  WORKER_MAX_ATTEMPTS: z.coerce.number().int().positive().default(8),
  WORKER_BACKOFF_BASE_MS: z.coerce.number().int().positive().default(2000),
  /** A running job's lease; renewed every third of it while the job runs, so a dead holder's job is free soon. */
  WORKER_LEASE_MS: z.coerce.number().int().min(100).default(45_000),
  /** On SIGTERM, how long running jobs may still finish before they are handed back to the queue for another instance. */
  WORKER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  // A pinned vendor rule with auto-book: how long the card's Undo stays before the invoice is booked (issue 14).
  AUTO_BOOK_UNDO_SECONDS: z.coerce.number().min(0).default(120),

  // Intake
  /** Total time a file's download from Slack may take (a trickling download is cut off, and the person told). */
  SLACK_DOWNLOAD_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  /** Total time a file's reading may take before it is given up as "could not be read safely". */
  READ_TIMEOUT_MS: z.coerce.number().int().positive().default(90_000),
  /** Reads of one stored file that may be started; a file whose reading killed the process is not read forever. */
  READ_MAX_ATTEMPTS: z.coerce.number().int().positive().default(2),

  // Reading files (worker threads)
  /** Worker threads reading files (PDF parsing, rendering, OCR) off the main thread: cores − 1, at least 1. */
  EXTRACT_WORKERS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(Math.max(1, availableParallelism() - 1)),
  /** Pages of a scan or photo read by OCR per file; past it the file is kept with the fields read so far. */
  EXTRACT_MAX_PAGES: z.coerce.number().int().min(1).max(500).default(20),
  /** Seconds one file's reading may take (OCR is seconds a page); past it, as for EXTRACT_MAX_PAGES. */
  EXTRACT_MAX_SECONDS: z.coerce.number().positive().max(3600).default(60),
});

/** Slack needs one of two modes; checked on the raw values so it is reported together with every other problem. */
function slackModeProblems(env: Record<string, string | undefined>): string[] {
  const oauthNames = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;
  const someOauth = oauthNames.some((n) => env[n]);
  if (!env.SLACK_BOT_TOKEN && !someOauth) {
    return [
      'SLACK_BOT_TOKEN is missing: set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID + SLACK_CLIENT_SECRET + SLACK_STATE_SECRET (many workspaces)',
    ];
  }
  if (env.SLACK_BOT_TOKEN && someOauth) return ['SLACK_BOT_TOKEN: set either SLACK_BOT_TOKEN or the SLACK_CLIENT_* variables, not both'];
  if (someOauth) return oauthNames.filter((n) => !env[n]).map((n) => `${n}: required for multi-workspace installs`);
  return [];
}

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env;
  port: number;
  host: string;
  logLevel: Env['LOG_LEVEL'];
  publicUrl: string;
  databasePath: string;
  /** Which database the app uses: PostgreSQL when DATABASE_URL is set, else the SQLite file at DATABASE_PATH. */
  database: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };
  encryptionKey: Buffer;
  slack: {
    signingSecret: string;
    botToken?: string;
    clientId?: string;
    clientSecret?: string;
    stateSecret?: string;
    appToken?: string;
    apiUrl: string;
    adminUserIds: string[];
    fileHosts: string[];
    maxFileBytes: number;
  };
  qbo: {
    clientId: string;
    clientSecret: string;
    environment: 'sandbox' | 'production';
    redirectUri: string;
    apiBaseUrl: string;
    authorizeUrl: string;
    tokenUrl: string;
    revokeUrl: string;
    appUrl: string;
    minorVersion: number;
    maxConcurrent: number;
    maxPerMinute: number;
    meteredBudgetPerMonth: number;
    /** Length of QBO's rate window (Intuit: 60 s; the emulator may scale it down). */
    rateWindowMs: number;
    /** Limits kept in the database for all instances (true), or in this process (false); undefined: by dialect. */
    sharedLimits: boolean | undefined;
    webhookToken: string | undefined;
    cdcIntervalMs: number;
  };
  dataRetentionDays: number;
  worker: { pollMs: number; maxAttempts: number; backoffBaseMs: number; leaseMs: number; shutdownGraceMs: number };
  intake: { downloadTimeoutMs: number; readTimeoutMs: number; readMaxAttempts: number };
  /** A pinned vendor rule's auto-book: the Undo window before the booking. */
  autoBook: { undoMs: number };
  extract: { workers: number; maxPages: number; maxSeconds: number };
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Configuration is incomplete or invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const stripSlash = (u: string) => u.replace(/\/+$/, '');

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "not set" (a blank line in an .env file should not count as a value).
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(raw);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => {
        const name = String(i.path[0] ?? '');
        return raw[name] === undefined ? `${name} is missing` : `${name}: ${i.message}`;
      });
  problems.push(...slackModeProblems(raw));
  if (!parsed.success || problems.length) throw new ConfigError([...new Set(problems)]);
  const env = parsed.data;
  const sandbox = env.QBO_ENVIRONMENT === 'sandbox';
  const publicUrl = stripSlash(env.PUBLIC_URL);
  return {
    env,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    publicUrl,
    databasePath: env.DATABASE_PATH,
    database: env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'sqlite', path: env.DATABASE_PATH },
    encryptionKey: Buffer.from(env.APP_ENCRYPTION_KEY, 'base64'),
    slack: {
      signingSecret: env.SLACK_SIGNING_SECRET,
      botToken: env.SLACK_BOT_TOKEN,
      clientId: env.SLACK_CLIENT_ID,
      clientSecret: env.SLACK_CLIENT_SECRET,
      stateSecret: env.SLACK_STATE_SECRET,
      appToken: env.SLACK_APP_TOKEN,
      apiUrl: env.SLACK_API_URL.endsWith('/') ? env.SLACK_API_URL : `${env.SLACK_API_URL}/`,
      adminUserIds: env.SLACK_ADMIN_USER_IDS,
      fileHosts: env.SLACK_FILE_HOSTS.map((h) => h.toLowerCase()),
      maxFileBytes: env.MAX_FILE_BYTES,
    },
    qbo: {
      clientId: env.QBO_CLIENT_ID,
      clientSecret: env.QBO_CLIENT_SECRET,
      environment: env.QBO_ENVIRONMENT,
      redirectUri: env.QBO_REDIRECT_URI ?? `${publicUrl}/qbo/callback`,
      apiBaseUrl: stripSlash(env.QBO_API_BASE_URL ?? (sandbox ? 'https://sandbox-quickbooks.api.intuit.com' : 'https://quickbooks.api.intuit.com')),
      authorizeUrl: env.QBO_AUTHORIZE_URL ?? 'https://appcenter.intuit.com/connect/oauth2',
      tokenUrl: env.QBO_TOKEN_URL ?? 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
      revokeUrl: env.QBO_REVOKE_URL ?? 'https://developer.api.intuit.com/v2/oauth2/tokens/revoke',
      appUrl: stripSlash(env.QBO_APP_URL ?? (sandbox ? 'https://app.sandbox.qbo.intuit.com' : 'https://app.qbo.intuit.com')),
      minorVersion: env.QBO_MINOR_VERSION,
      maxConcurrent: env.QBO_MAX_CONCURRENT,
      maxPerMinute: env.QBO_MAX_PER_MINUTE,
      rateWindowMs: env.QBO_RATE_WINDOW_MS,
      sharedLimits: env.QBO_SHARED_LIMITS === undefined ? undefined : env.QBO_SHARED_LIMITS === 'true',
      meteredBudgetPerMonth: env.QBO_METERED_BUDGET_PER_MONTH,
      webhookToken: env.QBO_WEBHOOK_TOKEN,
      cdcIntervalMs: env.QBO_CDC_INTERVAL_MS,
    },
    dataRetentionDays: env.DATA_RETENTION_DAYS,
    worker: {
      pollMs: env.WORKER_POLL_MS,
      maxAttempts: env.WORKER_MAX_ATTEMPTS,
      backoffBaseMs: env.WORKER_BACKOFF_BASE_MS,
      leaseMs: env.WORKER_LEASE_MS,
      shutdownGraceMs: env.WORKER_SHUTDOWN_GRACE_MS,
    },
    intake: {
      downloadTimeoutMs: env.SLACK_DOWNLOAD_TIMEOUT_MS,
      readTimeoutMs: env.READ_TIMEOUT_MS,
      readMaxAttempts: env.READ_MAX_ATTEMPTS,
    },
    extract: { workers: env.EXTRACT_WORKERS, maxPages: env.EXTRACT_MAX_PAGES, maxSeconds: env.EXTRACT_MAX_SECONDS },
    autoBook: { undoMs: Math.round(env.AUTO_BOOK_UNDO_SECONDS * 1000) },
  };
}
