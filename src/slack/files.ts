import type { WebClient } from '@slack/web-api';

/**
 * Slack files: `files.info`, then a careful download of `url_private_download`. The bot token goes only to Slack's
 * own file hosts (SLACK_FILE_HOSTS), never to a URL a message could point elsewhere; redirects are followed by hand
 * under the same rule. Slack answers a request it does not accept with 200 and an HTML sign-in page, so the
 * content type and the first bytes are checked, and the body is cut off at the size limit.
 */

export interface SlackFileInfo {
  id: string;
  name: string;
  mimetype: string;
  filetype: string;
  size: number;
  user: string | null;
  urlPrivateDownload: string | null;
  /** ts of the message that shared it in `channelId` (the thread to answer in), when Slack says. */
  shareTs(channelId: string): string | null;
}

export function toFileInfo(f: any): SlackFileInfo {
  return {
    id: String(f.id),
    name: String(f.name ?? f.title ?? 'invoice'),
    mimetype: String(f.mimetype ?? 'application/octet-stream'),
    filetype: String(f.filetype ?? ''),
    size: Number(f.size ?? 0),
    user: f.user ?? null,
    urlPrivateDownload: f.url_private_download ?? f.url_private ?? null,
    shareTs(channelId: string) {
      for (const kind of ['public', 'private'] as const) {
        const s = f.shares?.[kind]?.[channelId];
        if (Array.isArray(s) && s[0]?.ts) return String(s[0].ts);
      }
      return null;
    },
  };
}

export async function fileInfo(client: WebClient, fileId: string): Promise<SlackFileInfo> {
  const res = await client.files.info({ file: fileId });
  if (!res.file) throw new Error(`files.info returned no file for ${fileId}`);
  return toFileInfo(res.file);
}

export type DownloadFailure = 'bad_host' | 'too_large' | 'sign_in_page' | 'http_error' | 'network' | 'timeout';

export type Download = { ok: true; bytes: Buffer; contentType: string } | { ok: false; reason: DownloadFailure; message: string };

export interface DownloadOptions {
  botToken: string;
  /** host or host:port entries (lower case) that may receive the bot token. */
  allowedHosts: string[];
  maxBytes: number;
  /** Total time for the whole download (every redirect and the body): a trickling download is cut off. */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Is this URL on one of Slack's file hosts (exact host, or host:port)? https only, except loopback (tests). */
export function isAllowedFileUrl(raw: string, allowedHosts: string[]): boolean {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  const hostname = u.hostname.toLowerCase();
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.has(hostname))) return false;
  const host = u.host.toLowerCase();
  return allowedHosts.some((h) => h === host || (!h.includes(':') && h === hostname && (u.port === '' || u.port === '443')));
}

const looksLikeHtml = (b: Buffer) => /^\s*(<!doctype html|<html|<head|<body)/i.test(b.subarray(0, 256).toString('latin1'));

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

export function tooLargeMessage(size: number | null, max: number): string {
  return `This file is too large${size ? ` (${formatBytes(size)})` : ''}: the limit is ${formatBytes(max)}. Share a smaller file, or enter the details by hand.`;
}

const TIMED_OUT: Download = {
  ok: false,
  reason: 'timeout',
  message: 'Slack took too long to send me this file, so I stopped. Share it again, or enter the details by hand.',
};

export async function downloadSlackFile(url: string, o: DownloadOptions): Promise<Download> {
  const deadline = AbortSignal.timeout(o.timeoutMs ?? 60_000);
  try {
    return await download(url, o, deadline);
  } catch (err) {
    if (deadline.aborted) return TIMED_OUT;
    // The connection broke while the body was arriving.
    if (err instanceof Error && /terminated|aborted|socket|ECONN/i.test(`${err.message} ${String((err as any).cause ?? '')}`)) {
      return { ok: false, reason: 'network', message: "I couldn't download this file from Slack. Try sharing it again." };
    }
    throw err;
  }
}

async function download(url: string, o: DownloadOptions, signal: AbortSignal): Promise<Download> {
  const doFetch = o.fetchImpl ?? fetch;
  let current = url;
  for (let hop = 0; hop < 4; hop++) {
    if (!isAllowedFileUrl(current, o.allowedHosts)) {
      return { ok: false, reason: 'bad_host', message: "This file isn't stored on Slack's file servers, so I won't download it." };
    }
    let res: Response;
    try {
      res = await doFetch(current, {
        headers: { Authorization: `Bearer ${o.botToken}` },
        redirect: 'manual',
        signal,
      });
    } catch {
      if (signal.aborted) return TIMED_OUT;
      return { ok: false, reason: 'network', message: "I couldn't download this file from Slack. Try sharing it again." };
    }
    if (res.status >= 300 && res.status < 400) {
      const loc = res.headers.get('location');
      await res.body?.cancel().catch(() => {});
      if (!loc) return { ok: false, reason: 'http_error', message: "Slack didn't hand over this file. Try sharing it again." };
      current = new URL(loc, current).toString();
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      return { ok: false, reason: 'http_error', message: `Slack refused the download (HTTP ${res.status}). Try sharing it again.` };
    }
    const contentType = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > o.maxBytes) {
      await res.body?.cancel().catch(() => {});
      return { ok: false, reason: 'too_large', message: tooLargeMessage(declared, o.maxBytes) };
    }
    const chunks: Buffer[] = [];
    let total = 0;
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > o.maxBytes) {
          await reader.cancel().catch(() => {});
          return { ok: false, reason: 'too_large', message: tooLargeMessage(null, o.maxBytes) };
        }
        chunks.push(Buffer.from(value));
      }
    }
    const bytes = Buffer.concat(chunks);
    if (contentType === 'text/html' || looksLikeHtml(bytes)) {
      return {
        ok: false,
        reason: 'sign_in_page',
        message:
          'Slack gave me a sign-in page instead of the file (the app may have lost access to it). Ask an admin to check the app is installed, then share the file again.',
      };
    }
    return { ok: true, bytes, contentType };
  }
  return { ok: false, reason: 'http_error', message: 'Too many redirects while downloading this file from Slack.' };
}
