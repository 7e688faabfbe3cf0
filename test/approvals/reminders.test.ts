import { describe, expect, it } from 'vitest';
import { addBusinessHours, parsePeriodHours, reminderDue } from '../../src/approvals/reminders.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('approval reminders', () => {
  it('24 business hours skip the weekend', () => {
    expect(iso(addBusinessHours(at('2026-03-03T10:00:00Z'), 24))).toBe('2026-03-04T10:00:00.000Z'); // Tue → Wed
    expect(iso(addBusinessHours(at('2026-03-06T15:00:00Z'), 24))).toBe('2026-03-09T15:00:00.000Z'); // Fri → Mon
    expect(iso(addBusinessHours(at('2026-03-07T09:00:00Z'), 24))).toBe('2026-03-10T00:00:00.000Z'); // Sat counts from Mon 00:00
    expect(iso(addBusinessHours(at('2026-03-06T10:00:00Z'), 4))).toBe('2026-03-06T14:00:00.000Z');
  });

  it('one reminder, then the admins once, then nothing more', () => {
    const activatedAt = at('2026-03-03T10:00:00Z');
    expect(reminderDue({ activatedAt, remindedAt: null, escalatedAt: null }, at('2026-03-04T09:59:00Z'))).toEqual({
      kind: 'none',
      nextAt: at('2026-03-04T10:00:00Z'),
    });
    expect(reminderDue({ activatedAt, remindedAt: null, escalatedAt: null }, at('2026-03-04T10:00:00Z')).kind).toBe('remind');
    const remindedAt = at('2026-03-04T10:05:00Z');
    expect(reminderDue({ activatedAt, remindedAt, escalatedAt: null }, at('2026-03-05T10:00:00Z')).kind).toBe('none');
    expect(reminderDue({ activatedAt, remindedAt, escalatedAt: null }, at('2026-03-05T10:05:00Z')).kind).toBe('escalate');
    expect(reminderDue({ activatedAt, remindedAt, escalatedAt: at('2026-03-05T10:06:00Z') }, at('2026-04-01T00:00:00Z'))).toEqual({
      kind: 'none',
      nextAt: null,
    });
  });

  it('periods follow the policy', () => {
    const activatedAt = at('2026-03-03T10:00:00Z');
    expect(
      reminderDue({ activatedAt, remindedAt: null, escalatedAt: null }, at('2026-03-03T12:00:00Z'), {
        reminderHours: 2,
        escalationHours: 1,
      }).kind,
    ).toBe('remind');
    expect(parsePeriodHours('48')).toBe(48);
    expect(parsePeriodHours('0')).toBeNull();
    expect(parsePeriodHours('1.5')).toBeNull();
    expect(parsePeriodHours('1000')).toBeNull();
  });
});
