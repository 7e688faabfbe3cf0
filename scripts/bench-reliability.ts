// npm run --silent bench:reliability [-- --quick] [--trials N] [--fault-rate 0.2] [--no-429] [--seed N] [--full-bombs] [--fuzz N]
// Runs the real app as a child process against the project's own emulators (started here), kills it hard at moments
// spread over an invoice's life, injects QBO faults, reads hostile files, and prints ONE JSON object (progress on
// stderr). See scripts/reliability/run.ts for what each key means.
import { QUICK, runReliability } from './reliability/run.ts';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const num = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : dflt;
};
const quick = flag('quick');

const report = await runReliability({
  ...(quick ? QUICK : {}),
  trials: num('trials', quick ? QUICK.trials : 36),
  faultRate: num('fault-rate', 0.2),
  throttleFaults: quick ? QUICK.throttleFaults : !flag('no-429'),
  seed: num('seed', 1),
  hostile: quick ? QUICK.hostile : 'all',
  fullSizeBombs: flag('full-bombs'),
  fuzzCases: num('fuzz', quick ? QUICK.fuzzCases : 1000),
  settleMs: quick ? QUICK.settleMs : 240_000,
  hookWaitMs: quick ? QUICK.hookWaitMs : 30_000,
  log: (s) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`),
});
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);
