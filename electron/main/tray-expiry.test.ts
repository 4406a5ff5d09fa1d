/**
 * The tray says what the banner says: its secret item is worded from the services' reminder status (level and
 * calendar days), never from a date of its own.
 */
import { describe, expect, it } from 'vitest';
import { reminderSettingsSchema } from '../../shared/schedule';
import { evaluateReminders } from '../services/schedule/reminder-policy';
import { trayModel } from './tray-model';

function both(now: string, expiresAt: string, timeZone: string) {
  const { status } = evaluateReminders(
    { configured: true, expiresAt, source: 'graph', expiredFlag: false, checkedAt: null, hint: 'abc••••••' },
    reminderSettingsSchema.parse({}),
    new Date(now),
    timeZone,
  );
  const tray = trayModel({ schedule: null, reminders: status, syncing: false, canRun: true, now: new Date(now) });
  return { banner: status.title, tray: tray.items.find((i) => i?.id === 'secret')?.label, badge: tray.badge };
}

describe('the tray and the banner agree on the secret', () => {
  it('on the days left, in the admin’s zone where the UTC date differs', () => {
    // 23:30 on 3 December in Auckland; the secret ends at 09:00 on 11 December there: 8 days, 6 days 9½ hours.
    const r = both('2026-12-03T10:30:00Z', '2026-12-10T20:00:00Z', 'Pacific/Auckland');
    expect(r.banner).toBe('The client secret expires in 8 days');
    expect(r.tray).toBe('Client secret expires in 8 days: replace it…');
    expect(r.badge).toBe('warning');
  });

  it('on the day itself and once expired', () => {
    const today = both('2026-12-31T08:00:00Z', '2026-12-31T10:00:00Z', 'Europe/Berlin');
    expect(today.banner).toBe('The client secret expires today');
    expect(today.tray).toBe('Client secret expires today: replace it…');
    const gone = both('2026-12-31T10:00:00Z', '2026-12-31T10:00:00Z', 'Europe/Berlin');
    expect(gone.banner).toBe('The client secret has expired');
    expect(gone.tray).toBe('Client secret expired: replace it…');
    expect(gone.badge).toBe('error');
  });
});
