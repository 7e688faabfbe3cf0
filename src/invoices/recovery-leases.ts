import type { Engine } from '../engine.ts';
import { intakeDepsOf, readLeftUnread, type ReadOptions, type ResumeGuard } from './intake.ts';

/**
 * Start-up recovery with several instances on one database, through job leases. An invoice left `received` by a
 * Slack share is read by its intake job (`intake:<team>:<file>`) while that job is queued or running, whoever holds
 * it: taken over through its lease when its holder died (or taken back at this start), the job's attempt reads what
 * had been stored (src/app/intake.ts). Any other is read as a job of its own (`resume-read:<id>`), so of several
 * instances starting together one reads it, and if that one dies the job is taken over like any other.
 */

export const RESUME_READ = 'intake.resume_read';

export function intakeJobKey(teamId: string, fileId: string): string {
  return `intake:${teamId}:${fileId}`;
}

export function recoveryGuard(engine: Engine, opts: ReadOptions): ResumeGuard {
  const jobs = engine.store.jobs;
  const deps = intakeDepsOf(engine);
  engine.worker.register(RESUME_READ, (payload) => readLeftUnread(deps, Number(payload.invoiceId), opts));
  return async (inv, read) => {
    if (inv.slackFileId) {
      const intake = await jobs.active(intakeJobKey(inv.teamId, inv.slackFileId));
      if (intake) {
        engine.log.info('leaving an unread invoice to its intake job', { invoiceId: inv.id, job: intake.id });
        return;
      }
    }
    await engine.worker.runNow(RESUME_READ, { invoiceId: inv.id }, { dedupeKey: `resume-read:${inv.id}` }, () => read());
  };
}
