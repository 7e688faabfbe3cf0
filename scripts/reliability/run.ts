import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { seeded } from '../../emulators/qbo/limits.ts';
import { countBooks } from './accounting.ts';
import { newState, runCrashTrials, settle } from './crash-trials.ts';
import { runHostileFiles } from './hostile-run.ts';
import { measureRecovery } from './recovery.ts';
import Database from 'better-sqlite3';
import { startWorld, type World } from './world.ts';

/** `bench:reliability` as a function (the bench prints it; a small version runs in `npm test`). */

export interface ReliabilityOptions {
  trials: number;
  /** Share of QBO API calls answered with a fault during the crash trials. */
  faultRate: number;
  /** Whether the faults include 429s (each costs the app a minute's wait). */
  throttleFaults: boolean;
  seed: number;
  /** Hostile files to read: 'all', or a few by name (tests). */
  hostile: 'all' | 'none' | string[];
  /** Full-size bombs (hundreds of MB once inflated), as in the issue; off by default on a shared machine. */
  fullSizeBombs: boolean;
  fuzzCases: number;
  settleMs: number;
  /** How long a trial waits for the QBO call it means to kill at (create, answer, upload) before killing anyway. */
  hookWaitMs: number;
  log: (s: string) => void;
}

/** The small version (`npm test`, `--quick`): one kill per moment, faults without 429s, the cheap hostile files. */
export const QUICK = {
  trials: 6,
  throttleFaults: false,
  hostile: ['non-file', 'lying-size', 'off-host-url', 'redirect-off-host', 'cyclic-page-tree'],
  fuzzCases: 0,
  settleMs: 60_000,
  hookWaitMs: 10_000,
};

/** Exactly the keys issue 11 names (plus notes). */
export const REPORT_KEYS = [
  'crashTrials',
  'invoices',
  'transactionsExpected',
  'transactionsFound',
  'duplicates',
  'lost',
  'stuck',
  'attachmentsMissing',
  'recoverySecondsAfterRestart',
  'faultsInjected',
  'refreshesPerExpiry',
  'fuzzCases',
  'fuzzServerErrors',
  'fuzzForbiddenChanges',
  'hostileFiles',
  'hostileFileCrashes',
  'maxEventLoopStallMs',
] as const;

export interface ReliabilityReport {
  crashTrials: number;
  invoices: number;
  transactionsExpected: number;
  transactionsFound: number;
  duplicates: number;
  lost: number;
  stuck: number;
  attachmentsMissing: number;
  recoverySecondsAfterRestart: number | null;
  faultsInjected: number;
  refreshesPerExpiry: number | null;
  fuzzCases: number;
  fuzzServerErrors: number;
  fuzzForbiddenChanges: number;
  hostileFiles: number;
  hostileFileCrashes: number;
  maxEventLoopStallMs: number | null;
  notes: string[];
}

/** The security branch's fuzzer (scripts/reliability/fuzz.ts) against the running app, if it is here. */
async function fuzz(world: World, cases: number, notes: string[]) {
  const path = join(import.meta.dirname, 'fuzz.ts');
  if (!cases) return { fuzzCases: 0, fuzzServerErrors: 0, fuzzForbiddenChanges: 0 };
  if (!existsSync(path)) {
    notes.push('fuzz: scripts/reliability/fuzz.ts (branch security) is not here yet; fuzz keys left at 0');
    return { fuzzCases: 0, fuzzServerErrors: 0, fuzzForbiddenChanges: 0 };
  }
  type Fuzz = {
    runFuzz: (o: Record<string, unknown>) => Promise<{
      fuzzCases: number;
      fuzzServerErrors: number;
      fuzzForbiddenChanges: number;
      forbiddenChecked?: boolean;
      failures?: unknown[];
    }>;
    protectedState: (db: unknown) => unknown;
  };
  const mod = (await import(path)) as Fuzz;
  const sqlite = new Database(world.env.DATABASE_PATH, { readonly: true });
  try {
    const invoiceIds = world.rows().map((r) => r.id);
    const r = await mod.runFuzz({
      baseUrl: world.app!.url,
      driver: world.driver,
      cases,
      seed: 1,
      invoiceIds,
      snapshot: () => mod.protectedState(sqlite),
    });
    if (r.failures?.length) notes.push(`fuzz: ${JSON.stringify(r.failures.slice(0, 5))}`);
    if (r.forbiddenChecked === false) notes.push('fuzz: forbidden changes not checked');
    return {
      fuzzCases: r.fuzzCases,
      fuzzServerErrors: r.fuzzServerErrors,
      fuzzForbiddenChanges: r.fuzzForbiddenChanges,
    };
  } finally {
    sqlite.close();
  }
}

export async function runReliability(o: ReliabilityOptions): Promise<ReliabilityReport> {
  const notes: string[] = [];
  const world = await startWorld();
  try {
    const state = newState(`RB${o.seed}`);
    const refreshesBefore = world.qbo.stats.refreshGrants;
    world.qbo.setRandomFaults(o.faultRate > 0 ? { rate: o.faultRate, seed: o.seed, throttle: o.throttleFaults } : null);
    if (!o.throttleFaults) notes.push('faults: no 429s in this run (each makes the app wait a minute)');
    await runCrashTrials(world, state, {
      trials: o.trials,
      rand: seeded(o.seed + 1),
      log: o.log,
      hookWaitMs: o.hookWaitMs,
    });
    await settle(world, state, o.settleMs, o.log);
    const faultsInjected = world.qbo.stats.faultsInjected;
    world.qbo.setRandomFaults(null);
    await settle(world, state, 30_000);
    const refreshes = world.qbo.stats.refreshGrants - refreshesBefore;
    o.log('measuring recovery after a restart');
    const recovery = await measureRecovery(world, state, { batch: 3 });
    if (recovery === null) notes.push('recovery: the batch and the fresh invoice were not all booked within 6 minutes of the restart');
    const books = countBooks(world, state);
    if (books.problems.length) notes.push(...books.problems.slice(0, 20).map((p) => `books: ${p}`));
    o.log('hostile files');
    const hostile = await runHostileFiles(world, { which: o.hostile, fullSize: o.fullSizeBombs, log: o.log });
    notes.push(...hostile.notes);
    if (!world.app) await world.start();
    const fz = await fuzz(world, o.fuzzCases, notes);
    if (!o.fullSizeBombs) notes.push('hostile: bombs sized down (tens of MB inflated) for a shared machine; --full-bombs for the issue sizes');
    notes.push(`kills by moment: ${JSON.stringify(state.kills)}; token expiries: ${state.expiries}, refreshes: ${refreshes}`);
    return {
      crashTrials: Object.values(state.kills).reduce((a, b) => a + b, 0),
      invoices: books.invoices,
      transactionsExpected: books.transactionsExpected,
      transactionsFound: books.transactionsFound,
      duplicates: books.duplicates,
      lost: books.lost,
      stuck: books.stuck,
      attachmentsMissing: books.attachmentsMissing,
      recoverySecondsAfterRestart: recovery,
      faultsInjected,
      refreshesPerExpiry: state.expiries ? Math.round((refreshes / state.expiries) * 100) / 100 : null,
      ...fz,
      hostileFiles: hostile.files,
      hostileFileCrashes: hostile.crashes,
      maxEventLoopStallMs: hostile.maxStallMs,
      notes,
    };
  } finally {
    await world.close();
  }
}
