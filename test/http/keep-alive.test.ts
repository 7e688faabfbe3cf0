import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { startStack, type Stack } from '../harness.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 30_000);
afterAll(() => stack?.stop());

/** One GET on a kept-alive connection: the status and the Keep-Alive header the server answered with. */
function get(url: string): Promise<{ status: number; keepAlive: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { connection: 'keep-alive' } }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, keepAlive: String(res.headers['keep-alive'] ?? ''), connection: res.headers.connection }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP connections', () => {
  it('are kept open 65 s between requests (past a load balancer idle timeout), not Node’s 5 s', async () => {
    const r = await get(`${stack.app.url}/healthz`);
    expect(r.status).toBe(200);
    expect(r.connection).toBe('keep-alive');
    // Clients (Slack, undici, load balancers) read this to decide how long they may reuse the connection.
    expect(r.keepAlive).toBe('timeout=65');
  });
});
