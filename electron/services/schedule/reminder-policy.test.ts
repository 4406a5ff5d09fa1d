/**
 * The one expiry rule at its boundaries: level and days left as calendar days in the admin's zone, the same
 * number the live test (and so the terminal) reports for the same instants.
 */
import { describe, expect, it } from 'vitest';
import { reminderSettingsSchema } from '../../../shared/schedule';
import { matchSecretExpiry } from '../entra/secret-expiry';
import { evaluateReminders, type CurrentExpiry } from './reminder-policy';

const secret = 'abc8Q~' + 'z'.repeat(34);

function expiry(expiresAt: string | null, expiredFlag = false): CurrentExpiry {
  return { configured: true, expiresAt, source: 'graph', expiredFlag, checkedAt: null, hint: 'abc••••••' };
}

/** The status at `now` in `zone`, and the days left the live test counts for the same secret at the same instant. */
function at(now: string, expiresAt: string, zone: string) {
  const { status } = evaluateReminders(expiry(expiresAt), reminderSettingsSchema.parse({}), new Date(now), zone);
  const tested = matchSecretExpiry(
    [{ keyId: 'k', hint: 'abc', startDateTime: '2020-01-01T00:00:00Z', endDateTime: expiresAt }],
    secret,
    new Date(now),
    false,
    zone,
  );
  return { level: status.level, daysLeft: status.daysLeft, title: status.title, tested: tested.expiry.daysLeft };
}

describe('the reminder status: one rule for level and days left', () => {
  const end = '2026-12-31T10:00:00Z'; // 11:00 in Berlin

  it('turns amber at 30 days, at the admin’s midnight, not 30 × 24 hours before', () => {
    expect(at('2026-11-30T22:59:00Z', end, 'Europe/Berlin')).toMatchObject({ level: 'ok', daysLeft: 31, tested: 31 });
    // 00:00 on 1 December in Berlin: 30 days and 11 hours before the expiry, already "30 days".
    expect(at('2026-11-30T23:00:00Z', end, 'Europe/Berlin')).toMatchObject({ level: 'soon', daysLeft: 30, tested: 30 });
  });

  it('turns red at 7 days', () => {
    expect(at('2026-12-23T22:59:00Z', end, 'Europe/Berlin')).toMatchObject({ level: 'soon', daysLeft: 8, tested: 8 });
    expect(at('2026-12-23T23:00:00Z', end, 'Europe/Berlin')).toMatchObject({ level: 'urgent', daysLeft: 7, tested: 7 });
    expect(at('2026-12-23T23:00:00Z', end, 'Europe/Berlin').title).toBe('The client secret expires in 7 days');
  });

  it('says "today" on the day of expiry until the minute it expires, then expired', () => {
    expect(at('2026-12-30T23:00:00Z', end, 'Europe/Berlin')).toMatchObject({
      level: 'urgent',
      daysLeft: 0,
      tested: 0,
      title: 'The client secret expires today',
    });
    expect(at('2026-12-31T09:59:59Z', end, 'Europe/Berlin')).toMatchObject({ level: 'urgent', daysLeft: 0 });
    expect(at('2026-12-31T10:00:00Z', end, 'Europe/Berlin')).toMatchObject({
      level: 'expired',
      daysLeft: 0,
      title: 'The client secret has expired',
    });
  });

  it('counts the days since after expiry, negative', () => {
    expect(at('2027-01-02T12:00:00Z', end, 'Europe/Berlin')).toMatchObject({ level: 'expired', daysLeft: -2, tested: -2 });
  });

  it('counts calendar days across a change of the clocks', () => {
    // Berlin moves to summer time on 28 March 2027: 00:30 on 28 March to 00:15 on 4 April is 6 days 22¾ hours.
    expect(at('2027-03-27T23:30:00Z', '2027-04-03T22:15:00Z', 'Europe/Berlin')).toMatchObject({
      level: 'urgent',
      daysLeft: 7,
      tested: 7,
    });
    // And back on 25 October 2026: 23:30 on 24 October to 00:30 on 1 November is 7 days and 2 hours, still 8 dates.
    expect(at('2026-10-24T21:30:00Z', '2026-10-31T23:30:00Z', 'Europe/Berlin')).toMatchObject({
      level: 'soon',
      daysLeft: 8,
      tested: 8,
    });
  });

  it('uses the admin’s date where it differs from the UTC date', () => {
    // 23:30 on 3 December in Auckland (10:30 UTC, still 3 December there too) to 09:00 on 11 December (20:00 UTC on the 10th).
    expect(at('2026-12-03T10:30:00Z', '2026-12-10T20:00:00Z', 'Pacific/Auckland')).toMatchObject({
      level: 'soon',
      daysLeft: 8,
      tested: 8,
    });
    expect(at('2026-12-03T10:30:00Z', '2026-12-10T20:00:00Z', 'UTC')).toMatchObject({ level: 'urgent', daysLeft: 7 });
    // Noon on 2 December in Los Angeles (20:00 UTC) to 19:00 on 9 December there (03:00 UTC on the 10th).
    expect(at('2026-12-02T20:00:00Z', '2026-12-10T03:00:00Z', 'America/Los_Angeles')).toMatchObject({
      level: 'urgent',
      daysLeft: 7,
      tested: 7,
    });
  });

  it('a secret created a year ago reads 365 days left, the same in the test as in the reminders', () => {
    // Validated a few minutes after it was created: 364.99 days of 24 hours, 365 calendar days.
    expect(at('2026-12-02T06:05:00Z', '2027-12-02T06:00:00Z', 'Europe/Berlin')).toMatchObject({
      level: 'ok',
      daysLeft: 365,
      tested: 365,
    });
  });

  it('an expired flag from Entra wins over the date', () => {
    const { status } = evaluateReminders(
      expiry('2027-06-01T00:00:00Z', true),
      reminderSettingsSchema.parse({}),
      new Date('2026-12-02T12:00:00Z'),
      'UTC',
    );
    expect(status.level).toBe('expired');
  });
});
