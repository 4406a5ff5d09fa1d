/**
 * Runs syncs on the admin's cron schedule, in the main process, on the Clock port.
 *
 * - Never two at once: a slot that falls due while any sync runs is skipped and logged, not queued.
 * - Missed slots (the computer slept, the app started late) give one catch-up run, not one per slot:
 *   `settings.schedule.lastSlotAt` marks everything up to it as handled, and survives restarts.
 * - A failed run is retried with backoff a bounded number of times, then the schedule stays `failed` and says
 *   so (status, `schedule:changed`, a notification) until a sync succeeds. A run failing because the client
 *   secret expired is not retried and says exactly that.
 * - Timers are re-armed at least every `recheckMs`, and `wake()` (power resume) re-evaluates at once: timers do
 *   not count time the computer slept, the wall clock does.
 */
import type { ScheduleInput, SchedulePreview, ScheduleStatus } from '../../../shared/contract/schedule';
import { AppError } from '../../../shared/errors';
import { normalizeCron, type ScheduleSettings } from '../../../shared/schedule';
import type { Clock, Logger, Notifier } from '../ports';
import type { SettingsStore } from '../settings/settings-store';
import { backoffAfter, latestDueSlot, minute, retryPolicy, upcoming } from './catch-up-policy';
import { parseCron, systemTimeZone, type CronSchedule } from './cron';
import { failureNotification, hhmm, judgeFailure, recoveredNotification } from './run-outcome';
import { schedulePreview, scheduleStatus, type CompiledCron } from './schedule-status';
import type { ScheduledAttempt, ScheduledSync } from './sync-port';

export interface SchedulerOptions {
  readonly settings: SettingsStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly notifier: Notifier;
  readonly sync: ScheduledSync;
  /** Told whenever the status changes (the app core emits `schedule:changed`). */
  readonly onChange?: (status: ScheduleStatus) => void;
  /** This computer's zone (tests pin it). */
  readonly systemTimeZone?: () => string;
  /** What is known of the secret's expiry, to tell a failure caused by it. */
  readonly secretExpiry?: () => { readonly expired: boolean; readonly expiresAt: string | null };
  /** Attempts per slot (first run included) and the waits between them. Default 3 attempts, 5 then 20 minutes. */
  readonly retry?: { readonly maxAttempts?: number; readonly backoffMs?: readonly number[] };
  /** Re-check the wall clock at least this often (default 15 minutes). */
  readonly recheckMs?: number;
}

export interface Scheduler {
  start(): void;
  stop(): void;
  status(): ScheduleStatus;
  /** Validates and saves; throws AppError with a pattern error code and saves nothing when invalid. */
  save(input: ScheduleInput): ScheduleStatus;
  preview(cron: string, timeZone: string): SchedulePreview;
  pause(): ScheduleStatus;
  resume(): ScheduleStatus;
  setStartAtLogin(enabled: boolean): ScheduleStatus;
  /** Re-evaluates now: after the computer wakes, or the clock or time zone changed. */
  wake(): void;
  /** A sync finished outside the schedule (Sync now): a success clears a standing failure. */
  noteRunFinished(run: { readonly trigger: string; readonly dryRun: boolean; readonly status: string }): void;
  /** Resolves once no scheduled attempt is in flight (tests, shutdown). */
  idle(): Promise<void>;
}

/** Creates the scheduler; call `start()` once the sync service is ready. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { settings, clock, logger, notifier, sync } = options;
  const policy = retryPolicy(options.retry);
  const { maxAttempts } = policy;
  const recheckMs = options.recheckMs ?? 15 * minute;
  const zoneOfSystem = options.systemTimeZone ?? systemTimeZone;

  let started = false;
  let cancelTimer: (() => void) | undefined;
  let inFlight: Promise<void> | undefined;
  /** `targets`: a retry runs only the targets that failed (absent: every target). */
  let retry: { slotAt: string; attempt: number; at: Date; targets?: readonly string[] } | undefined;
  let lastEmitted = '';

  const config = (): ScheduleSettings => settings.get().schedule;
  const zoneOf = (s: Pick<ScheduleSettings, 'timeZone'>) => s.timeZone || zoneOfSystem();
  const write = (change: (s: ScheduleSettings) => ScheduleSettings) =>
    settings.update((all) => ({ ...all, schedule: change(all.schedule) })).schedule;

  // Parsing with a time zone costs milliseconds: keep the saved pattern's compiled form until it changes.
  let cache: { key: string; value: CompiledCron } | undefined;
  function compiled(s: ScheduleSettings): CompiledCron {
    const key = `${s.cron}|${zoneOf(s)}`;
    if (cache?.key !== key) {
      const parsed = parseCron(s.cron, zoneOf(s), clock.now());
      cache = { key, value: parsed.ok ? parsed.schedule : { code: parsed.code, message: parsed.message } };
    }
    return cache.value;
  }

  function status(): ScheduleStatus {
    const s = config();
    const zone = zoneOf(s);
    const cron = compiled(s);
    const now = clock.now();
    return scheduleStatus({
      settings: s,
      zone,
      systemTimeZone: zoneOfSystem(),
      cron,
      now,
      running: inFlight !== undefined,
      retry,
      maxAttempts,
    });
  }

  function changed(): void {
    const current = status();
    const key = JSON.stringify(current);
    if (key === lastEmitted) return;
    lastEmitted = key;
    options.onChange?.(current);
  }

  function arm(): void {
    cancelTimer?.();
    cancelTimer = undefined;
    if (!started) return;
    const s = config();
    const cron = compiled(s);
    const now = clock.now();
    let wait = recheckMs;
    if (s.enabled && !s.paused && 'nextAfter' in cron) {
      // From the last slot handled, not from now: around a DST gap croner may place a slot before a time it
      // would skip from, and a due slot is caught by the check anyway.
      const next = upcoming(s, cron, now);
      if (next) wait = Math.min(wait, next.getTime() - now.getTime());
      if (retry) wait = Math.min(wait, retry.at.getTime() - now.getTime());
    }
    cancelTimer = clock.setTimeout(tick, Math.max(0, wait));
  }

  /** The latest due slot after what was handled, or null. Anchors a schedule that has never been evaluated. */
  function dueSlot(s: ScheduleSettings, cron: CronSchedule, now: Date): Date | null {
    if (s.lastSlotAt === null) {
      write((c) => ({ ...c, lastSlotAt: now.toISOString() }));
      return null;
    }
    return latestDueSlot(s.lastSlotAt, cron, now);
  }

  function tick(): void {
    cancelTimer = undefined;
    const s = config();
    const cron = compiled(s);
    const now = clock.now();
    if (s.enabled && !s.paused && 'nextAfter' in cron) {
      const slot = dueSlot(s, cron, now);
      if (slot) {
        const late = now.getTime() - slot.getTime() > minute;
        write((c) => ({ ...c, lastSlotAt: now.toISOString() }));
        if (inFlight || sync.isRunning()) {
          skip(slot, inFlight !== undefined);
        } else {
          if (late) logger.info('schedule: catching up a missed run', { slotAt: slot.toISOString() });
          retry = undefined;
          attempt(slot.toISOString(), 1);
        }
      } else if (retry && retry.at.getTime() <= now.getTime() && !inFlight) {
        const { slotAt, attempt: n, targets } = retry;
        retry = undefined;
        if (sync.isRunning()) {
          // Sync now is running: this attempt waits for the next check instead of failing.
          retry = { slotAt, attempt: n, at: new Date(now.getTime() + minute), targets };
        } else attempt(slotAt, n, targets);
      }
    }
    arm();
    changed();
  }

  function skip(slot: Date, ours: boolean): void {
    const slotAt = slot.toISOString();
    logger.warn('schedule: a sync was still running when the next one was due; skipped it', {
      slotAt,
      scheduledRunStillRunning: ours,
    });
    if (ours) return;
    write((c) => ({
      ...c,
      lastOutcome: {
        slotAt,
        finishedAt: clock.now().toISOString(),
        status: 'skipped',
        attempts: 0,
        runId: null,
        error: {
          code: 'already-running',
          message: `Another sync was running at ${hhmm(slot, zoneOf(c))}, so the scheduled one was skipped.`,
        },
        resolvedAt: null,
      },
    }));
  }

  function attempt(slotAt: string, n: number, targets?: readonly string[]): void {
    logger.info('schedule: starting a scheduled sync', { slotAt, attempt: n, ...(targets ? { targets } : {}) });
    const done = (targets ? sync.runScheduled(targets) : sync.runScheduled()).then(
      (result) => finish(slotAt, n, result),
      (error: unknown) =>
        finish(slotAt, n, {
          status: 'failed',
          runId: null,
          error: { code: 'internal-error', message: error instanceof Error ? error.message : String(error) },
        }),
    );
    inFlight = done.finally(() => {
      inFlight = undefined;
      arm();
      changed();
    });
    changed();
  }

  function finish(slotAt: string, n: number, result: ScheduledAttempt): void {
    const now = clock.now();
    const succeeded = result.status === 'succeeded';
    const wasFailed = config().lastOutcome?.status === 'failed' && !config().lastOutcome?.resolvedAt;
    if (succeeded) {
      write((c) => ({
        ...c,
        lastOutcome: {
          slotAt,
          finishedAt: now.toISOString(),
          status: 'succeeded',
          attempts: n,
          runId: result.runId,
          error: null,
          resolvedAt: null,
        },
      }));
      logger.info('schedule: scheduled sync succeeded', { slotAt, attempt: n, runId: result.runId });
      if (wasFailed) {
        notifier.notify(recoveredNotification(slotAt));
      }
      return;
    }
    if (result.status === 'failed' && result.error?.code === 'already-running') {
      // Sync now won the race between our check and the start: that is a skip, not a failure.
      skip(new Date(slotAt), false);
      return;
    }
    if (result.status === 'failed' && result.error?.code === 'app-closing') return;
    const verdict = judgeFailure(result, options.secretExpiry?.(), now, n, maxAttempts);
    const { error } = verdict;
    write((c) => ({
      ...c,
      lastOutcome: {
        slotAt,
        finishedAt: now.toISOString(),
        status: 'failed',
        attempts: n,
        runId: result.runId,
        error,
        resolvedAt: null,
      },
    }));
    if (verdict.retry) {
      const wait = backoffAfter(policy, n);
      // Several targets: only those that failed are tried again; the others' runs stand.
      const targets = result.retryTargets?.length ? result.retryTargets : undefined;
      retry = { slotAt, attempt: n + 1, at: new Date(now.getTime() + wait), ...(targets ? { targets } : {}) };
      logger.warn('schedule: scheduled sync failed; will retry', {
        slotAt,
        attempt: n,
        code: error.code,
        retryAt: retry.at.toISOString(),
        ...(targets ? { targets } : {}),
      });
      return;
    }
    logger.error('schedule: scheduled sync failed', { slotAt, attempts: n, code: error.code });
    if (verdict.notify) notifier.notify(failureNotification(slotAt, verdict, n));
  }

  function checked(input: { cron: string; timeZone: string }) {
    const zone = input.timeZone.trim() || zoneOfSystem();
    const parsed = parseCron(input.cron, zone, clock.now());
    return { parsed, zone };
  }

  return {
    start() {
      if (started) return;
      started = true;
      tick();
    },
    stop() {
      started = false;
      cancelTimer?.();
      cancelTimer = undefined;
      retry = undefined;
    },
    status,
    save(input) {
      const { parsed } = checked(input);
      if (!parsed.ok) throw new AppError(parsed.code, parsed.message);
      const before = config();
      const patternChanged = before.cron !== normalizeCron(input.cron) || before.timeZone !== input.timeZone.trim();
      write((c) => ({
        ...c,
        enabled: input.enabled,
        cron: normalizeCron(input.cron),
        timeZone: input.timeZone.trim(),
        // Slots before saving are not "missed": a new or changed schedule starts from now.
        lastSlotAt: patternChanged || !before.enabled ? clock.now().toISOString() : c.lastSlotAt,
      }));
      if (patternChanged || !input.enabled) retry = undefined;
      logger.info('schedule: saved', {
        enabled: input.enabled,
        cron: input.cron.trim(),
        timeZone: input.timeZone.trim() || '(system)',
      });
      arm();
      changed();
      return status();
    },
    preview(cron, timeZone): SchedulePreview {
      const { parsed, zone } = checked({ cron, timeZone });
      return schedulePreview(cron, parsed, zone, clock.now());
    },
    pause() {
      write((c) => ({ ...c, paused: true }));
      retry = undefined;
      logger.info('schedule: paused');
      arm();
      changed();
      return status();
    },
    resume() {
      // Slots that fell while paused were meant to be skipped: start counting from now.
      write((c) => ({ ...c, paused: false, lastSlotAt: c.paused ? clock.now().toISOString() : c.lastSlotAt }));
      logger.info('schedule: resumed');
      arm();
      changed();
      return status();
    },
    setStartAtLogin(enabled) {
      write((c) => ({ ...c, startAtLogin: enabled }));
      changed();
      return status();
    },
    wake() {
      if (started) tick();
    },
    noteRunFinished(run) {
      if (run.dryRun || run.trigger === 'scheduled' || run.status !== 'succeeded') return;
      const last = config().lastOutcome;
      if (last?.status !== 'failed' || last.resolvedAt) return;
      write((c) => ({ ...c, lastOutcome: c.lastOutcome ? { ...c.lastOutcome, resolvedAt: clock.now().toISOString() } : null }));
      retry = undefined;
      arm();
      changed();
    },
    async idle() {
      for (let i = 0; i < 100 && inFlight; i++) await inFlight;
    },
  };
}
