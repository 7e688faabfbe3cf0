/**
 * When an approver who has not acted is reminded, and when the admins are told. Periods count business hours only
 * (Monday to Friday, in UTC): an invoice waiting since Friday afternoon is not chased on Saturday. Pure functions.
 */

export const DEFAULT_REMINDER_HOURS = 24;
export const DEFAULT_ESCALATION_HOURS = 24;

export interface ReminderPolicy {
  /** Business hours after the step started before the approver is reminded (once). */
  reminderHours: number;
  /** Business hours after the reminder before the admins are told (once). */
  escalationHours: number;
}

export const DEFAULT_POLICY: ReminderPolicy = {
  reminderHours: DEFAULT_REMINDER_HOURS,
  escalationHours: DEFAULT_ESCALATION_HOURS,
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const isWeekend = (ms: number) => {
  const d = new Date(ms).getUTCDay();
  return d === 0 || d === 6;
};
const startOfNextDay = (ms: number) => Math.floor(ms / DAY) * DAY + DAY;

/** `start` plus `hours` of business time: weekend hours don't count (a start on a weekend counts from Monday 00:00). */
export function addBusinessHours(start: number, hours: number): number {
  let t = start;
  let left = hours * HOUR;
  while (left > 0) {
    if (isWeekend(t)) {
      t = startOfNextDay(t);
      continue;
    }
    const dayEnd = startOfNextDay(t);
    const step = Math.min(left, dayEnd - t);
    t += step;
    left -= step;
  }
  return t;
}

/** Where one pending step is in its reminders. */
export interface StepClock {
  /** When the step became the one waiting (epoch ms). */
  activatedAt: number;
  remindedAt: number | null;
  escalatedAt: number | null;
}

export type ReminderDue = { kind: 'remind'; dueAt: number } | { kind: 'escalate'; dueAt: number } | { kind: 'none'; nextAt: number | null };

/** What is due for a waiting step at `now`: the approver's one reminder, then the admins' one notice, then nothing. */
export function reminderDue(step: StepClock, now: number, policy: ReminderPolicy = DEFAULT_POLICY): ReminderDue {
  if (step.remindedAt == null) {
    const dueAt = addBusinessHours(step.activatedAt, policy.reminderHours);
    return now >= dueAt ? { kind: 'remind', dueAt } : { kind: 'none', nextAt: dueAt };
  }
  if (step.escalatedAt == null) {
    const dueAt = addBusinessHours(step.remindedAt, policy.escalationHours);
    return now >= dueAt ? { kind: 'escalate', dueAt } : { kind: 'none', nextAt: dueAt };
  }
  return { kind: 'none', nextAt: null };
}

/** A period an admin typed, in hours: 1 to 720 (30 days), whole hours. */
export function parsePeriodHours(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,3}$/.test(t)) return null;
  const n = Number(t);
  return n >= 1 && n <= 720 ? n : null;
}
