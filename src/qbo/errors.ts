/** The one error type the rest of the app sees from QuickBooks, whatever library or HTTP layer raised it. */
export type QboErrorKind =
  | 'validation' // QBO refused the data (400 Fault): not retryable as is
  | 'auth' // 401: token expired or revoked
  | 'invalid_grant' // refresh token rejected: the admin must reconnect
  | 'throttled' // 429
  | 'server' // 5xx
  | 'network' // no answer
  | 'not_connected'; // no usable connection stored

export class QboError extends Error {
  readonly kind: QboErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly detail?: string;
  readonly element?: string;
  readonly retryable: boolean;
  /** A 429's Retry-After, when QBO sent one. */
  readonly retryAfterMs?: number;

  constructor(
    kind: QboErrorKind,
    message: string,
    opts: { status?: number; code?: string; detail?: string; element?: string; cause?: unknown; retryAfterMs?: number } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'QboError';
    this.kind = kind;
    this.status = opts.status;
    this.code = opts.code;
    this.detail = opts.detail;
    this.element = opts.element;
    this.retryable = kind === 'throttled' || kind === 'server' || kind === 'network';
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/** No answer within the time we allowed (withTimeout): a network error, told apart from the others. */
export class QboTimeout extends QboError {
  constructor(message: string) {
    super('network', message);
    this.name = 'QboTimeout';
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET']);

/** Retry-After in seconds or as an HTTP date, in ms from now; undefined when absent or unreadable. */
export function retryAfterMs(value: unknown, now = Date.now()): number | undefined {
  if (value == null || value === '') return undefined;
  const s = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const at = Date.parse(s);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Normalises whatever node-quickbooks/axios/fetch produced (AxiosError, a Fault body, a plain Error). */
export function toQboError(err: unknown, status?: number, body?: unknown, headers?: { get(name: string): string | null }): QboError {
  if (err instanceof QboError) return err;
  const e = err as any;
  status ??= e?.response?.status ?? e?.status;
  body ??= e?.response?.data ?? (e?.Fault || e?.fault ? e : undefined);
  const fault = (body as any)?.Fault ?? (body as any)?.fault;
  const first = fault?.Error?.[0] ?? fault?.error?.[0];
  const message: string = first?.Message ?? first?.message ?? e?.message ?? 'QuickBooks request failed';
  const opts = {
    status,
    code: first?.code != null ? String(first.code) : undefined,
    detail: first?.Detail ?? first?.detail,
    element: first?.element,
    cause: err,
  };
  if (status === 401) return new QboError('auth', 'QuickBooks rejected the access token', opts);
  if (status === 429 || opts.code === '3001') {
    const after = retryAfterMs(headers?.get('retry-after') ?? e?.response?.headers?.['retry-after']);
    return new QboError('throttled', 'QuickBooks is throttling requests', { ...opts, retryAfterMs: after });
  }
  if (status && status >= 500) return new QboError('server', `QuickBooks answered ${status}: ${message}`, opts);
  if (fault || status === 400) return new QboError('validation', message, opts);
  if (
    !status &&
    (NETWORK_CODES.has(e?.code) ||
      NETWORK_CODES.has(e?.cause?.code) ||
      e?.name === 'AbortError' ||
      /socket hang up|network|fetch failed/i.test(e?.message ?? ''))
  )
    return new QboError('network', `Could not reach QuickBooks (${e?.code ?? e?.cause?.code ?? e?.message})`, opts);
  if (status && status >= 400) return new QboError('validation', message, opts);
  return new QboError('network', message, opts);
}
