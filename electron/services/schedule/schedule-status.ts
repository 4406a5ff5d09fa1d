/**
 * What Settings → Schedule shows: the schedule's status (state, next run, retry, the problem in words) and the
 * preview of a pattern being typed. Pure: the scheduler passes in what it knows.
 */
import type { SchedulePreview, ScheduleState, ScheduleStatus } from '../../../shared/contract/schedule';
import { describeCron, type ScheduleSettings } from '../../../shared/schedule';
import { upcoming } from './catch-up-policy';
import type { CronParseResult, CronSchedule } from './cron';
import { hhmm } from './run-outcome';

/** A saved pattern compiled for its zone, or why it cannot run. */
export type CompiledCron = CronSchedule | { code: string; message: string };

/** What the scheduler knows when it is asked for its status. */
export interface StatusFacts {
  readonly settings: ScheduleSettings;
  readonly zone: string;
  readonly systemTimeZone: string;
  readonly cron: CompiledCron;
  readonly now: Date;
  /** A scheduled attempt is in flight. */
  readonly running: boolean;
  readonly retry: { readonly attempt: number; readonly at: Date } | undefined;
  readonly maxAttempts: number;
}

/** The schedule's status as the contract reports it. */
export function scheduleStatus(facts: StatusFacts): ScheduleStatus {
  const { settings: s, zone, cron, now, retry, maxAttempts } = facts;
  const valid = 'nextAfter' in cron;
  const active = s.enabled && !s.paused && valid;
  const next = active ? upcoming(s, cron, now) : null;
  // A slot already due (the check runs in a moment) shows as now.
  const nextRun = next && next.getTime() < now.getTime() ? now : next;
  const failed = s.lastOutcome?.status === 'failed' && !s.lastOutcome.resolvedAt;
  let state: ScheduleState;
  if (!s.enabled) state = 'off';
  else if (s.paused) state = 'paused';
  else if (facts.running) state = 'running';
  else if (retry) state = 'retrying';
  else if (failed || !valid) state = 'failed';
  else state = 'waiting';
  let problem: ScheduleStatus['problem'] = null;
  if (s.enabled && !valid) problem = { code: cron.code, message: `The saved schedule cannot run: ${cron.message}` };
  else if (retry && s.lastOutcome?.error) {
    problem = {
      code: s.lastOutcome.error.code,
      message: `The scheduled sync failed (attempt ${retry.attempt - 1} of ${maxAttempts}): ${s.lastOutcome.error.message} It will try again at ${hhmm(retry.at, zone)}.`,
    };
  } else if (failed && s.lastOutcome?.error) problem = { code: s.lastOutcome.error.code, message: s.lastOutcome.error.message };
  return {
    enabled: s.enabled,
    cron: s.cron,
    timeZone: s.timeZone,
    effectiveTimeZone: zone,
    systemTimeZone: facts.systemTimeZone,
    paused: s.paused,
    startAtLogin: s.startAtLogin,
    description: valid ? describeCron(s.cron) : '',
    state,
    nextRunAt: nextRun?.toISOString() ?? null,
    retry: retry ? { attempt: retry.attempt, maxAttempts, at: retry.at.toISOString() } : null,
    lastOutcome: s.lastOutcome,
    problem,
  };
}

/** The preview of a pattern in a zone: its description and next five runs, or why it is invalid. */
export function schedulePreview(cron: string, parsed: CronParseResult, zone: string, now: Date): SchedulePreview {
  if (!parsed.ok)
    return {
      valid: false,
      error: { code: parsed.code, message: parsed.message },
      description: '',
      nextRuns: [],
      effectiveTimeZone: zone,
    };
  return {
    valid: true,
    description: describeCron(cron),
    nextRuns: parsed.schedule.nextRuns(5, now).map((d) => d.toISOString()),
    effectiveTimeZone: zone,
  };
}
