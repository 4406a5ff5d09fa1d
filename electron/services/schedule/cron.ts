/**
 * Cron patterns evaluated with croner in an IANA time zone, with the guards the scheduler relies on.
 *
 * croner is used only as a calculator (its own timers are not): the scheduler runs on the Clock port so tests
 * control time. Two croner quirks are contained here: chained `nextRuns` can step backwards around a DST change
 * (so runs are enumerated one `nextRun` at a time and must strictly increase), and 7-field patterns with years
 * are refused so every pattern the app accepts can be described in words.
 */
import { Cron } from 'croner';
import { minScheduleIntervalMinutes, type SchedulePatternError } from '../../../shared/contract/schedule';
import { normalizeCron } from '../../../shared/schedule';

/** A valid pattern in a valid zone, ready to enumerate run times. */
export interface CronSchedule {
  readonly pattern: string;
  readonly timeZone: string;
  /** The first run strictly after `from`, or null when the pattern never matches again. */
  nextAfter(from: Date): Date | null;
  /** Up to `count` runs strictly after `from`, strictly increasing. */
  nextRuns(count: number, from: Date): Date[];
}

export type CronParseResult =
  | { readonly ok: true; readonly schedule: CronSchedule }
  | { readonly ok: false; readonly code: SchedulePatternError; readonly message: string };

// One definition of "this computer's zone", shared with the calendar-day rule.
export { systemTimeZone } from './calendar';

/** True when `zone` is an IANA zone the runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const maxSteps = 1_000;

/**
 * Parses `pattern` in `timeZone` and checks it runs at all, and not more often than every
 * {@link minScheduleIntervalMinutes} minutes (looking at the next runs from `now`).
 */
export function parseCron(pattern: string, timeZone: string, now: Date): CronParseResult {
  const normal = normalizeCron(pattern);
  if (!isValidTimeZone(timeZone)) {
    return {
      ok: false,
      code: 'invalid-time-zone',
      message: `“${timeZone}” is not a time zone this computer knows (use a name such as Europe/Berlin).`,
    };
  }
  let job: Cron;
  try {
    job = new Cron(normal, { paused: true, timezone: timeZone, mode: '5-or-6-parts' });
  } catch {
    return { ok: false, code: 'invalid-cron', message: explainInvalidCron(normal) };
  }
  const schedule = scheduleOf(job, normal, timeZone);
  const upcoming = schedule.nextRuns(12, now);
  if (upcoming.length === 0) {
    return {
      ok: false,
      code: 'never-runs',
      message: 'This pattern never matches a date (for example 30 February), so no sync would ever run.',
    };
  }
  const minGapMs = minScheduleIntervalMinutes * 60_000;
  for (let i = 1; i < upcoming.length; i++) {
    const gap = (upcoming[i]?.getTime() ?? 0) - (upcoming[i - 1]?.getTime() ?? 0);
    if (gap < minGapMs) {
      return {
        ok: false,
        code: 'too-frequent',
        message: `Syncs would start less than ${minScheduleIntervalMinutes} minutes apart. Choose a pattern with at least ${minScheduleIntervalMinutes} minutes between runs, e.g. “*/15 * * * *”.`,
      };
    }
  }
  return { ok: true, schedule };
}

/** The parts of a pattern, in order, and what each accepts: said by us, never by croner's messages. */
const partsOf5 = [
  { name: 'minute', accepts: '0 to 59' },
  { name: 'hour', accepts: '0 to 23' },
  { name: 'day of month', accepts: '1 to 31' },
  { name: 'month', accepts: '1 to 12 or JAN to DEC' },
  { name: 'day of week', accepts: '0 to 7 (0 and 7 are Sunday) or SUN to SAT' },
] as const;
const secondPart = { name: 'second', accepts: '0 to 59' } as const;

const example = 'For example “0 2 * * *” runs every day at 02:00.';

/**
 * Why croner refused `pattern`, in the app's words: the wrong number of parts, or the first part that is wrong on
 * its own (each is tried in a pattern where every other part is `*`), with what that part accepts.
 */
export function explainInvalidCron(pattern: string): string {
  const parts = pattern === '' ? [] : pattern.split(' ');
  if (parts.length !== 5 && parts.length !== 6) {
    const found = parts.length === 0 ? 'this one is empty' : `this one has ${parts.length}`;
    return `A cron expression has 5 parts separated by spaces: minute, hour, day of month, month and day of week (${found}). ${example}`;
  }
  const names = parts.length === 6 ? [secondPart, ...partsOf5] : partsOf5;
  for (const [i, part] of parts.entries()) {
    const alone = parts.map((_, j) => (j === i ? part : '*')).join(' ');
    try {
      new Cron(alone, { paused: true, mode: '5-or-6-parts' });
    } catch {
      const spec = names[i] ?? partsOf5[0];
      return `The ${spec.name} part “${part}” is not valid: use a number from ${spec.accepts}, a list (1,15), a range (1-5), a step (*/15) or * for every ${spec.name}. ${example}`;
    }
  }
  return `These parts do not make a schedule together. Check each of minute, hour, day of month, month and day of week. ${example}`;
}

function scheduleOf(job: Cron, pattern: string, timeZone: string): CronSchedule {
  // The scheduler asks for the slot after the same "last handled" time at every check: remember the last answer.
  let memo: { from: number; next: Date | null } | undefined;
  function nextAfter(from: Date): Date | null {
    if (memo?.from === from.getTime()) return memo.next;
    const next = search(from);
    memo = { from: from.getTime(), next };
    return next;
  }
  function search(from: Date): Date | null {
    let cursor = from;
    for (let step = 0; step < maxSteps; step++) {
      const next = job.nextRun(cursor);
      if (next === null) return null;
      if (next.getTime() > from.getTime()) return next;
      // croner answered with a time at or before `from` (DST edge): look again a second further on.
      cursor = new Date(Math.max(cursor.getTime(), next.getTime()) + 1_000);
    }
    return null;
  }
  return {
    pattern,
    timeZone,
    nextAfter,
    nextRuns(count, from) {
      const runs: Date[] = [];
      let cursor = from;
      while (runs.length < count) {
        const next = nextAfter(cursor);
        if (next === null) break;
        runs.push(next);
        cursor = next;
      }
      return runs;
    },
  };
}
