/**
 * The scheduler's catch-up and retry policy: which slot is due after the last one handled (missed slots give one
 * catch-up run, not one per slot), and how many times, after what waits, a failed scheduled run is tried again.
 */
import type { ScheduleSettings } from '../../../shared/schedule';
import type { CronSchedule } from './cron';

export const minute = 60_000;

/** Attempts per slot (first run included) and the waits between them. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly backoffMs: readonly number[];
}

/** The policy from the scheduler's options: by default 3 attempts, 5 then 20 minutes apart. */
export function retryPolicy(retry?: { readonly maxAttempts?: number; readonly backoffMs?: readonly number[] }): RetryPolicy {
  return {
    maxAttempts: Math.max(1, retry?.maxAttempts ?? 3),
    backoffMs: retry?.backoffMs ?? [5 * minute, 20 * minute],
  };
}

/** How long to wait after attempt `n` failed before attempt `n + 1`. */
export function backoffAfter(policy: RetryPolicy, n: number): number {
  const { backoffMs } = policy;
  return backoffMs[Math.min(n - 1, backoffMs.length - 1)] ?? 5 * minute;
}

/** The next slot after the last one handled (it may already be due). */
export function upcoming(s: Pick<ScheduleSettings, 'lastSlotAt'>, cron: CronSchedule, now: Date): Date | null {
  return cron.nextAfter(s.lastSlotAt ? new Date(s.lastSlotAt) : now);
}

/** The latest slot after `lastSlotAt` that is due by `now`, or null. */
export function latestDueSlot(lastSlotAt: string, cron: CronSchedule, now: Date): Date | null {
  const first = cron.nextAfter(new Date(lastSlotAt));
  if (!first || first.getTime() > now.getTime()) return null;
  // Several slots were missed: remember the latest, for the record; one run covers them all.
  let latest = first;
  for (let i = 0; i < 10_000; i++) {
    const next = cron.nextAfter(latest);
    if (!next || next.getTime() > now.getTime()) break;
    latest = next;
  }
  return latest;
}
