import type { SlackDeps } from './deps.ts';
import { dm } from './notify.ts';
import { esc, mrkdwn, plain } from './views/common.ts';
import { SA } from './views/settings.ts';

/**
 * Intuit's refresh tokens end for good at their hard expiry (at most 5 years after consent): only a new consent
 * works after it. The admins get one DM 30 days before and one 7 days before, each with a Reconnect button; a new
 * consent (a later hard expiry) makes them due again for the next one.
 */

const DAY = 86_400_000;
export const EXPIRY_STEPS = [30, 7] as const;
const cause = (days: number) => `qbo_expiry_${days}d`;

/** Built once: toLocaleDateString builds a formatter on every call (visible in /qbo status's CPU profile). */
const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "in 7 days (8 Dec 2026)". */
export function expiryText(at: number, now = Date.now()): string {
  const days = Math.max(0, Math.ceil((at - now) / DAY));
  const date = DATE.format(at);
  return days === 0 ? `today (${date})` : `in ${days} day${days === 1 ? '' : 's'} (${date})`;
}

export async function checkExpiringConnections(deps: SlackDeps, now = Date.now()): Promise<number> {
  const { notices, connections } = deps.engine.store;
  const rows = await connections.connected();
  let sent = 0;
  for (const c of rows) {
    if (!c.refreshHardExpiresAt) continue;
    const left = c.refreshHardExpiresAt - now;
    // The nearest step reached; a fresh consent (far off again) releases both.
    const step = [...EXPIRY_STEPS].reverse().find((d) => left <= d * DAY);
    if (step === undefined) {
      for (const d of EXPIRY_STEPS) await notices.resolve(c.teamId, cause(d));
      continue;
    }
    // Reaching 7 days first also settles the 30-day notice: one DM, not two at once.
    for (const d of EXPIRY_STEPS) if (d > step) await notices.claim(c.teamId, cause(d));
    if (!(await notices.claim(c.teamId, cause(step)))) continue;
    try {
      const client = await deps.clientFor(c.teamId);
      const admins = new Set(await deps.admins.list(client, c.teamId));
      if (c.connectedBy) admins.add(c.connectedBy);
      const when = expiryText(c.refreshHardExpiresAt, now);
      const line = `:hourglass: *QuickBooks must be reconnected ${when}*${c.companyName ? ` (${esc(c.companyName)})` : ''}. Intuit ends every authorization after a while; after that date invoices wait until an admin reconnects.`;
      await dm(deps, c.teamId, [...admins], {
        text: `QuickBooks must be reconnected ${when}. Open /qbo settings to reconnect.`,
        blocks: [
          { type: 'section', block_id: 'qbo_expiry', text: mrkdwn(line) },
          {
            type: 'actions',
            elements: [{ type: 'button', action_id: SA.open, text: plain('Reconnect QuickBooks'), style: 'primary', value: 'reconnect' }],
          },
        ],
      });
      sent++;
    } catch (err) {
      await notices.resolve(c.teamId, cause(step)); // try again at the next check
      deps.log.warn('expiry notice failed', { teamId: c.teamId, error: err });
    }
  }
  return sent;
}

/** At start-up and every 6 hours; returns the stop function. */
export function startExpiryChecks(deps: SlackDeps, everyMs = 6 * 3600_000): () => void {
  const run = () => void checkExpiringConnections(deps).catch((err) => deps.log.warn('expiry check failed', { error: err }));
  run();
  const t = setInterval(run, everyMs);
  t.unref?.();
  return () => clearInterval(t);
}
