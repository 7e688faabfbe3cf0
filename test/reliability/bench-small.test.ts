import { describe, expect, it } from 'vitest';
import { QUICK, REPORT_KEYS, runReliability } from '../../scripts/reliability/run.ts';

/**
 * The small version of `npm run bench:reliability`: the real app as a child process, killed (SIGKILL) once at each
 * moment of an invoice's life and started again on the same database, with QBO faults; then a restart with creates
 * in flight, and a few hostile files. Nothing may be lost, doubled or left stuck, and no file may crash the app.
 */
describe('bench:reliability (small)', () => {
  it('kills at every moment lose nothing, double nothing and leave nothing stuck', async () => {
    const r = await runReliability({ ...QUICK, faultRate: 0.2, seed: 7, fullSizeBombs: false, log: () => {} });
    expect(
      Object.keys(r)
        .filter((k) => k !== 'notes')
        .sort(),
    ).toEqual([...REPORT_KEYS].sort());
    const detail = r.notes.join('\n');
    expect(r.crashTrials, detail).toBe(6);
    expect({ duplicates: r.duplicates, lost: r.lost, stuck: r.stuck, attachmentsMissing: r.attachmentsMissing }, detail).toEqual({
      duplicates: 0,
      lost: 0,
      stuck: 0,
      attachmentsMissing: 0,
    });
    expect(r.transactionsFound, detail).toBe(r.transactionsExpected);
    expect(r.invoices, detail).toBeGreaterThanOrEqual(r.crashTrials);
    expect(r.faultsInjected).toBeGreaterThan(0);
    expect(r.recoverySecondsAfterRestart, detail).not.toBeNull();
    expect(r.recoverySecondsAfterRestart!, detail).toBeLessThan(10);
    expect(r.hostileFiles).toBe(QUICK.hostile.length);
    expect(r.hostileFileCrashes, detail).toBe(0);
  }, 240_000);
});
