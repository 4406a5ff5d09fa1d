/**
 * Secret-expiry reminders: checked at start-up, every few hours, exactly when the next threshold is reached,
 * and whenever the connection changes (validation, sync, manual date, rotation). What fired is kept in
 * `settings.reminders`, so each threshold notifies once across restarts.
 */
import type { ReminderStatus } from '../../../shared/contract/schedule';
import { AppError } from '../../../shared/errors';
import type { Clock, Logger, Notifier } from '../ports';
import type { Settings } from '../../../shared/settings';
import type { SettingsStore } from '../settings/settings-store';
import { systemTimeZone } from './cron';
import { currentExpiry, evaluateReminders, unknownKey, type CurrentExpiry } from './reminder-policy';

export interface ReminderServiceOptions {
  readonly settings: SettingsStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly notifier: Notifier;
  /** Told whenever the status changes (the app core emits `reminders:changed`). */
  readonly onChange?: (status: ReminderStatus) => void;
  /** How often to look again while running (default 4 hours). */
  readonly checkEveryMs?: number;
  /** The admin's zone, whose calendar days count (default: this computer's). */
  readonly timeZone?: string;
}

export interface ReminderService {
  start(): void;
  stop(): void;
  /** Evaluates now, sends a due notification, stores what fired; returns the status. */
  check(): ReminderStatus;
  status(): ReminderStatus;
  /** Hides the banner until the next threshold; an expired secret cannot be snoozed. */
  snooze(): ReminderStatus;
  /** After a rotation: remember the replaced secret so the admin is reminded to delete it in the portal. */
  recordReplaced(old: {
    readonly hint: string;
    readonly expiresAt: string | null;
    readonly keyId?: string | null;
    readonly displayName?: string | null;
  }): ReminderStatus;
  /** The admin deleted the old secret in the portal. */
  confirmOldDeleted(): ReminderStatus;
  /** What is known of the secret in use (for the scheduler's failure messages). */
  expiry(): CurrentExpiry;
}

/** Creates the reminder service; `start()` checks at once and then keeps checking. */
export function createReminderService(options: ReminderServiceOptions): ReminderService {
  const { settings, clock, logger, notifier } = options;
  const checkEveryMs = options.checkEveryMs ?? 4 * 3_600_000;
  const timeZone = options.timeZone ?? systemTimeZone();
  let started = false;
  let cancelTimer: (() => void) | undefined;
  let lastEmitted = '';

  // Settings a newer version wrote are read-only (settings-store.ts): the reminders sent are then remembered for
  // this run only, so the admin is still told once and the app still starts.
  let unsaved: Settings['reminders'] | undefined;
  const remembered = () => unsaved ?? settings.get().reminders;
  const expiry = () => currentExpiry(settings.get().connection, remembered().observed);

  function emit(status: ReminderStatus): void {
    const key = JSON.stringify(status);
    if (key === lastEmitted) return;
    lastEmitted = key;
    options.onChange?.(status);
  }

  function check(): ReminderStatus {
    const evaluation = evaluateReminders(expiry(), remembered(), clock.now(), timeZone);
    if (JSON.stringify(evaluation.settings) !== JSON.stringify(remembered())) {
      // Stored before notifying: a crash in between loses one reminder rather than repeating it forever.
      if (settings.readOnly) unsaved = evaluation.settings;
      else settings.update((s) => ({ ...s, reminders: evaluation.settings }));
    }
    if (evaluation.notification) {
      logger.info('reminders: secret expiry reminder', { level: evaluation.status.level, daysLeft: evaluation.status.daysLeft });
      notifier.notify(evaluation.notification);
    }
    if (started) arm(evaluation.nextChangeAt);
    emit(evaluation.status);
    return evaluation.status;
  }

  function arm(nextChangeAt: Date | null): void {
    cancelTimer?.();
    const now = clock.now().getTime();
    const untilChange = nextChangeAt ? nextChangeAt.getTime() - now : Infinity;
    cancelTimer = clock.setTimeout(check, Math.max(0, Math.min(checkEveryMs, untilChange)));
  }

  /** The status without side effects (no notification, nothing stored). */
  function status(): ReminderStatus {
    return evaluateReminders(expiry(), remembered(), clock.now(), timeZone).status;
  }

  return {
    start() {
      if (started) return;
      started = true;
      check();
    },
    stop() {
      started = false;
      cancelTimer?.();
      cancelTimer = undefined;
    },
    check,
    status,
    snooze() {
      const evaluation = evaluateReminders(expiry(), settings.get().reminders, clock.now(), timeZone);
      const { level, threshold } = evaluation.status;
      if (level === 'expired') {
        throw new AppError(
          'cannot-snooze-expired',
          'An expired secret cannot be snoozed: syncs fail until a new secret replaces it.',
        );
      }
      const key = threshold ?? (level === 'unknown' ? unknownKey : null);
      if (key === null) return evaluation.status;
      settings.update((s) => ({ ...s, reminders: { ...evaluation.settings, snoozedThreshold: key } }));
      logger.info('reminders: snoozed until the next threshold', { threshold: key });
      return check();
    },
    recordReplaced(old) {
      settings.update((s) => ({
        ...s,
        reminders: {
          ...s.reminders,
          oldSecret: {
            hint: old.hint,
            expiresAt: old.expiresAt,
            keyId: old.keyId ?? null,
            displayName: old.displayName ?? null,
            replacedAt: clock.now().toISOString(),
          },
        },
      }));
      return check();
    },
    confirmOldDeleted() {
      settings.update((s) => ({ ...s, reminders: { ...s.reminders, oldSecret: null } }));
      return check();
    },
    expiry,
  };
}
