import { describe, expect, it } from 'vitest';
import { calendarDaysBetween, localDate, startOfNextDay } from './calendar';

describe('calendar days in a zone', () => {
  it('counts days by the local date, not by 24-hour spans', () => {
    const end = new Date('2026-12-03T07:39:00Z'); // 08:39 in Berlin
    expect(calendarDaysBetween(new Date('2026-11-26T08:00:00Z'), end, 'Europe/Berlin')).toBe(7);
    expect(calendarDaysBetween(new Date('2026-11-26T23:30:00Z'), end, 'Europe/Berlin')).toBe(6); // already 27 Nov there
    expect(calendarDaysBetween(new Date('2026-12-03T01:00:00Z'), end, 'Europe/Berlin')).toBe(0);
    expect(calendarDaysBetween(new Date('2026-12-05T12:00:00Z'), end, 'Europe/Berlin')).toBe(-2);
    expect(calendarDaysBetween(new Date('2026-11-26T08:00:00Z'), end, 'Pacific/Auckland')).toBe(7);
  });

  it('finds the next local midnight, also on the nights the clocks change', () => {
    expect(startOfNextDay(new Date('2026-05-04T10:00:00Z'), 'Europe/Berlin').toISOString()).toBe('2026-05-04T22:00:00.000Z');
    expect(startOfNextDay(new Date('2026-03-28T12:00:00Z'), 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfNextDay(new Date('2026-03-29T12:00:00Z'), 'Europe/Berlin').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(startOfNextDay(new Date('2026-10-25T12:00:00Z'), 'Europe/Berlin').toISOString()).toBe('2026-10-25T23:00:00.000Z');
    expect(startOfNextDay(new Date('2026-05-04T10:00:00Z'), 'America/New_York').toISOString()).toBe('2026-05-05T04:00:00.000Z');
    expect(localDate(new Date('2026-05-04T23:30:00Z'), 'Asia/Kolkata')).toBe('2026-05-05');
  });
});
