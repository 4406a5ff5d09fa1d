/**
 * Calendar days in an IANA time zone, without a date library: what "expires in 7 days", "tomorrow" and "today"
 * mean to the admin, whose day starts at their own midnight.
 */

const dayMs = 86_400_000;

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
