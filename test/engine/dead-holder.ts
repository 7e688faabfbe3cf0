// A process that claims jobs and dies holding them (the test SIGKILLs it): `tsx dead-holder.ts <db> <team> <n>`.
import { openDatabase } from '../../src/store/sqlite/client.ts';
import { createLogger } from '../../src/log.ts';
import { Worker } from '../../src/invoices/worker.ts';
import { createStore, SqliteConn } from '../../src/store/index.ts';

const [dbPath, teamId, count] = process.argv.slice(2);
const db = openDatabase(dbPath);
const worker = new Worker(createStore(SqliteConn.open(db)).jobs, createLogger('error'), {
  concurrency: 50,
  pollMs: 10,
  maxAttempts: 8,
  backoffBaseMs: 10,
});
let running = 0;
worker.register('test.hang', () => {
  running++;
  if (running === Number(count)) process.stdout.write('holding\n');
  return new Promise(() => {}); // never ends: the process is killed while it holds the job
});
for (let i = 0; i < Number(count); i++) await worker.enqueue('test.hang', { i }, { teamId });
await worker.start();
setInterval(() => {}, 1000);
