import type { Engine } from '../engine.ts';
import { JobStore } from '../store/index.ts';
import type { ResumeGuard } from './intake.ts';

/**
 * Start-up recovery with several instances on one database: an invoice left `received` is read again only when no
 * live instance is reading it (its intake job, `intake:<team>:<file>`, is not running under another holder's
 * unexpired lease), and only by one recovering instance (the read runs as a job under `resume-read:<id>`, claimed
 * like any other). A recovery job left by a killed instance needs no handler of its own: the next start's recovery
 * reads the invoice (it is still `received`), so the taken-back job just ends.
 */

export const RESUME_READ = 'intake.resume_read';

export function intakeJobKey(teamId: string, fileId: string): string {
  return `intake:${teamId}:${fileId}`;
}

export function recoveryGuard(engine: Engine): ResumeGuard {
  const jobs = new JobStore(engine.conn);
  engine.worker.register(RESUME_READ, async () => {});
  return async (inv, read) => {
    if (inv.slackFileId) {
      const intake = await jobs.active(intakeJobKey(inv.teamId, inv.slackFileId));
      const live = intake?.status === 'running' && intake.lockedBy !== engine.instanceId && (intake.leaseUntil ?? 0) > Date.now();
      if (live) {
        engine.log.info('not reading an invoice another instance is reading', { invoiceId: inv.id, instance: intake.lockedBy });
        return;
      }
    }
    await engine.worker.runNow(RESUME_READ, { invoiceId: inv.id }, { dedupeKey: `resume-read:${inv.id}` }, () => read());
  };
}
