// HTTP plumbing of the Slack fake: request bodies, form/JSON arguments, responses, the sign-in page.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalid, SlackError } from './views.ts';
import type { Args } from './methods.ts';

export const JSON_FIELDS = ['blocks', 'view', 'attachments', 'metadata'];

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const ch of req) chunks.push(ch as Buffer);
  return Buffer.concat(chunks);
}

export function parseApiArgs(req: IncomingMessage, raw: Buffer, query: URLSearchParams): { args: Args; json: boolean } {
  const args: Args = Object.fromEntries(query.entries());
  const ct = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  let json = false;
  if (raw.length) {
    if (ct === 'application/json') {
      json = true;
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new SlackError('invalid_json');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new SlackError('invalid_json');
      Object.assign(args, body);
    } else if (ct === 'application/x-www-form-urlencoded' || ct === '') {
      for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) args[k] = v;
    } else {
      throw new SlackError('invalid_form_data', [`[ERROR] unsupported Content-Type '${ct}' (the fake takes form or JSON)`]);
    }
  }
  for (const f of JSON_FIELDS) {
    if (typeof args[f] === 'string') {
      try {
        args[f] = JSON.parse(args[f]);
      } catch {
        if (f === 'blocks') throw new SlackError('invalid_blocks_format');
        throw invalid([`[ERROR] ${f} must be valid JSON [json-pointer:/${f}]`]);
      }
    }
  }
  return { args, json };
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const s = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    ...headers,
  });
  res.end(s);
}

export const SIGN_IN_PAGE =
  '<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8"><title>Slack</title></head><body>' +
  '<h1>Sign in to your workspace</h1><form action="/signin" method="post"><input name="email"><button>Sign in</button></form></body></html>';

export function redact(args: Args): Args {
  const o: Args = {};
  for (const [k, v] of Object.entries(args)) o[k] = /token|secret/i.test(k) ? '[redacted]' : v;
  return o;
}
