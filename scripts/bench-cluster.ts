// npm run --silent bench:cluster [-- --invoices N] [--instances N] [--window-ms N] [--seed N] [--logs DIR]
// Several app instances (separate processes) on one PostgreSQL database (a fresh one on the server at DATABASE_URL
// when it is set, else on a throwaway local server started and stopped here), one Slack fake delivering each event to a random
// instance (some to two), one QBO emulator enforcing Intuit's limits (window scaled down), three companies, tokens
// expiring mid-run and one instance SIGKILLed and restarted. Prints ONE JSON object; progress and problems on stderr.
import { runCluster } from './cluster/bench.ts';
import { startThrowawayServer } from './cluster/database.ts';

const args = process.argv.slice(2);
const num = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : dflt;
};
const str = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const log = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);
const server = process.env.DATABASE_URL ? null : startThrowawayServer(log);
const serverUrl = process.env.DATABASE_URL || server!.url;
const report = await runCluster({
  serverUrl,
  logsDir: str('logs'),
  instances: num('instances', 3),
  invoices: num('invoices', 300),
  windowMs: num('window-ms', 6000),
  latencyMs: num('latency-ms', 20),
  seed: num('seed', 1),
  settleMs: num('settle-ms', 300_000),
  log,
}).finally(() => server?.stop());
log(`notes: ${JSON.stringify(report.notes)}`);
for (const p of report.problems.slice(0, 20)) log(`problem: ${p}`);
process.stdout.write(`${JSON.stringify(report.figures)}\n`);
process.exit(0);
