/**
 * Calendar days in an IANA time zone, without a date library: what "expires in 7 days", "tomorrow" and "today"
 * mean to the admin, whose day starts at their own midnight.
 */

const dayMs = 86_400_000;

/** This computer's IANA time zone (falls back to UTC where the runtime cannot tell): the admin's, unless told. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** `YYYY-MM-DD` of `date` in `timeZone`. */
export function localDate(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

/** `HH:MM` of `date` in `timeZone`. */
export function localTime(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
}

/** Calendar days from `now`'s date to `end`'s date in `timeZone`: 0 on the day itself, negative after. */
export function calendarDaysBetween(now: Date, end: Date, timeZone: string): number {
  const a = Date.parse(`${localDate(now, timeZone)}T00:00:00Z`);
  const b = Date.parse(`${localDate(end, timeZone)}T00:00:00Z`);
  return Math.round((b - a) / dayMs);
}

/**
 * The app's one "days left" rule, used by the live test, the terminal, the reminders, the dashboard and the tray:
 * calendar days from today's date to the expiry date in the admin's zone. Counting 24-hour spans instead made a
 * secret created a year ago read 364 days in one place (rounded down) and 365 in another (rounded).
 */
export function daysLeftUntil(expiresAt: Date, now: Date, timeZone: string = systemTimeZone()): number {
  return calendarDaysBetween(now, expiresAt, timeZone);
}

/** Whether the secret has expired: by the instant, not the date (on its last day it works until the minute). */
export function hasExpired(expiresAt: Date, now: Date): boolean {
  return expiresAt.getTime() <= now.getTime();
}

/** The offset of `timeZone` from UTC at `at`, in milliseconds (positive east of Greenwich). */
function offsetAt(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The first instant of the next calendar day after `now` in `timeZone` (DST-safe). */
export function startOfNextDay(now: Date, timeZone: string): Date {
  const [y, m, d] = localDate(now, timeZone).split('-').map(Number) as [number, number, number];
  const midnightAsUtc = Date.UTC(y, m - 1, d + 1);
  // Local midnight = UTC midnight minus the offset; the offset is looked up twice in case it changes in between.
  let guess = midnightAsUtc - offsetAt(new Date(midnightAsUtc), timeZone);
  guess = midnightAsUtc - offsetAt(new Date(guess), timeZone);
  return new Date(Math.max(guess, now.getTime() + 1));
}
