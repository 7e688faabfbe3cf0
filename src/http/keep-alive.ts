import type { Server } from 'node:http';

/**
 * How long the HTTP server keeps an idle connection open (Node's default is 5 s). Longer than the 60 s idle timeout
 * of the usual load balancers (a shorter server timeout makes them send requests down closed connections), and it
 * spares Slack a new TCP connection per quiet spell.
 *
 * Why it matters for acks: Node 20's libuv accepts ONE pending connection per event-loop iteration (libuv#3696).
 * Under load an iteration of this app runs every established connection's ready requests (~3 ms of CPU each), so a
 * burst of new connections is accepted one per iteration: bench:ack's 50 fresh connections per round waited up to
 * 1 s (quiet machine) to 20 s (busy one) in the listen queue before the app saw their first request, while every
 * request on an open connection was answered in < 200 ms. That was the p99 tail, not the database. Connections kept
 * open are never in that queue.
 */
export const KEEP_ALIVE_MS = 65_000;

export function keepConnections(server: Server, keepAliveMs = KEEP_ALIVE_MS): void {
  server.keepAliveTimeout = keepAliveMs;
  // A request's headers must be allowed longer than the idle wait, or Node may close a reused connection early.
  server.headersTimeout = Math.max(server.headersTimeout, keepAliveMs + 1_000);
}
