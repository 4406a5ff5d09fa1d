import { describe, expect, it } from 'vitest';
import { describeCron, presetFor, schedulePresets } from './schedule';

describe('describeCron', () => {
  it.each([
    ['0 2 * * *', 'Every day at 02:00'],
    ['0 2 * * 1-5', 'Weekdays (Monday to Friday) at 02:00'],
    ['0 2 * * MON-FRI', 'Weekdays (Monday to Friday) at 02:00'],
    ['0 * * * *', 'Every hour'],
    ['15 * * * *', 'Every hour at :15'],
    ['0,30 * * * *', 'Every hour at :00 and :30'],
    ['0 */4 * * *', 'Every 4 hours (00:00, 04:00, 08:00, 12:00, 16:00 and 20:00)'],
    ['*/15 * * * *', 'Every 15 minutes'],
    ['* * * * *', 'Every minute'],
    ['30 6,18 * * *', 'Every day at 06:30 and 18:30'],
    ['0 8-18 * * 1-5', 'Every hour from 08:00 to 18:00, on weekdays (Monday to Friday)'],
    ['0 3 * * 0', 'Every Sunday at 03:00'],
    ['0 3 * * 7', 'Every Sunday at 03:00'],
    ['0 3 * * 1,3,5', 'Every Monday, Wednesday and Friday at 03:00'],
    ['0 3 * * 6,0', 'Weekends at 03:00'],
    ['0 1 1 * *', 'On the 1st of every month at 01:00'],
    ['0 1 1,15 * *', 'On the 1st and 15th of every month at 01:00'],
    ['0 0 1 1 *', 'On the 1st of January at 00:00'],
    ['@daily', 'Every day at 00:00'],
    ['@hourly', 'Every hour'],
    ['*/10 8-17 * * 1-5', 'Every 10 minutes from 08:00 to 17:59, on weekdays (Monday to Friday)'],
    ['0 12 * 6-8 1', 'Every Monday in June, July and August at 12:00'],
    ['0 0 2 * * *', 'Every day at 02:00'],
    ['  0   2 * *   * ', 'Every day at 02:00'],
  ])('%s → %s', (cron, words) => {
    expect(describeCron(cron)).toBe(words);
  });

  it('falls back to a field-by-field sentence for syntax it cannot phrase', () => {
    expect(describeCron('0 2 L * *')).toBe('Custom schedule: minute 0, hour 2, day of month L, month *, day of week *');
    expect(describeCron('15 0 2 * * *')).toMatch(/^Custom schedule: second 15/);
    expect(describeCron('nonsense')).toBe('Custom schedule (nonsense)');
  });

  it('knows its presets', () => {
    expect(schedulePresets.map((p) => p.id)).toEqual(['hourly', 'every-4-hours', 'daily', 'weekdays']);
    expect(presetFor(' 0  2 * * 1-5')?.id).toBe('weekdays');
    expect(presetFor('5 2 * * *')).toBeUndefined();
  });
});
