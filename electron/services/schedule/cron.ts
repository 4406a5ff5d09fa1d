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
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^Cron\w*:\s*/, '') : String(error);
    return {
      ok: false,
      code: 'invalid-cron',
      message: `This is not a cron pattern the app understands: ${detail}. Use 5 fields: minute hour day-of-month month day-of-week, e.g. “0 2 * * *”.`,
    };
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
