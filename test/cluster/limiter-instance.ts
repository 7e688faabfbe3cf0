// One app instance's QBO limiter, in its own process (the test runs two on one database file):
// `tsx limiter-instance.ts <db: file path or postgres:// URL> <holder> <url> <mode> <n> <windowMs> <perMinute> <leaseMs>`
//   run:   n requests to <url>/work (varied durations), then prints "done"
//   hold:  n requests to <url>/hold (answered when the test says), prints "holding" once all n are in flight
//   pause: one request, then a 429's pause of n ms, prints "paused"
import { openDatabase } from '../../src/store/sqlite/client.ts';
import { SqliteConn } from '../../src/store/sqlite/conn.ts';
import { openPostgres } from '../../src/store/postgres/client.ts';
import { PgConn } from '../../src/store/postgres/conn.ts';
import type { Conn } from '../../src/store/conn.ts';
import { QboRateStore } from '../../src/store/qbo-rate.ts';
import { SharedLimiters } from '../../src/qbo/shared-limiter.ts';

const [dbPath, holder, url, mode, n, windowMs, perMinute, leaseMs] = process.argv.slice(2);
const REALM = '9341453050160001';
const conn: Conn = dbPath.startsWith('postgres://') ? PgConn.open(await openPostgres(dbPath, { max: 4 })) : SqliteConn.open(openDatabase(dbPath));
const limits = new SharedLimiters(new QboRateStore(conn), {
  holder,
  maxConcurrent: 10,
  perMinute: Number(perMinute),
  windowMs: Number(windowMs),
  leaseMs: Number(leaseMs),
});
const limiter = limits.for(REALM);
const say = (s: string) => process.stdout.write(`${s}\n`);

async function main() {
  const count = Number(n);
  if (mode === 'run') {
    await Promise.all(
      Array.from({ length: count }, (_, i) => limiter.run(() => fetch(`${url}/work?ms=${5 + ((i * 37) % 60)}`).then((r) => r.text()))),
    );
    say('done');
  } else if (mode === 'hold') {
    let started = 0;
    for (let i = 0; i < count; i++) {
      void limiter.run(() => {
        if (++started === count) say('holding');
        return fetch(`${url}/hold`).then((r) => r.text());
      });
    }
  } else if (mode === 'pause') {
    await limiter.run(async () => {});
    limiter.pause(count);
    await new Promise((r) => setTimeout(r, 50)); // the pause is stored in the background
    say('paused');
  }
}
main();
setInterval(() => {}, 1000);
