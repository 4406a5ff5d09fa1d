/**
 * The secret-expiry reminder rules, pure: which threshold is reached, what to say, what to show, what to fire.
 *
 * Thresholds are 30, 14, 7, 3, 1 days before and the day itself (0); "expired" is one more step (-1). Each fires
 * once per expiry date: firing one marks every earlier (larger) threshold as done too, so a laptop that was off
 * for a month warns once, at the threshold it wakes up in, not five times. A different expiry date (a rotation,
 * a corrected manual date) starts afresh.
 */
import type { ConnectionSettings } from '../../../shared/contract/connection';
import {
  reminderThresholds,
  type ReminderLevel,
  type ReminderStatus,
  type ReminderThreshold,
} from '../../../shared/contract/schedule';
import type { ReminderSettings } from '../../../shared/schedule';
import type { SecretExpirySource } from '../../../shared/validation';
import type { Notification } from '../ports';
import { daysLeftUntil, hasExpired, localDate, localTime, startOfNextDay } from './calendar';

/** The step "has expired". */
export const expiredKey = -1;
/** The step "expiry unknown" (only used for snoozing the banner). */
export const unknownKey = 99;

/** What is known of the secret in use, taken from `settings.connection`. */
export interface CurrentExpiry {
  readonly configured: boolean;
  readonly expiresAt: string | null;
  readonly source: SecretExpirySource;
  /** Entra refused the secret as expired (AADSTS7000222), whatever the date says. */
  readonly expiredFlag: boolean;
  readonly checkedAt: string | null;
  /** The secret in use, masked. */
  readonly hint: string;
}

/**
 * Reads the expiry of the secret in use from the connection settings. A stored expiry that belongs to another
 * secret (different hint) is ignored; the admin's manual date fills in when Graph could not tell.
 */
export function currentExpiry(connection: ConnectionSettings, observed: ReminderSettings['observed'] = null): CurrentExpiry {
  const configured = connection.tenantId !== '' && connection.clientId !== '' && connection.secretHint !== '';
  const own = connection.secretExpiry?.secretHint === connection.secretHint ? connection.secretExpiry : undefined;
  // A later read after a sync wins over an older validation of the same secret (the date may have been changed).
  const fresher =
    observed !== null && observed.secretHint === connection.secretHint && (!own || observed.checkedAt > own.checkedAt);
  const stored = fresher
    ? { expiresAt: observed.expiresAt, source: 'graph' as const, expired: false, checkedAt: observed.checkedAt }
    : own;
  const manual =
    connection.manualExpiresAt && !Number.isNaN(Date.parse(connection.manualExpiresAt))
      ? new Date(connection.manualExpiresAt).toISOString()
      : null;
  const fromGraph = stored?.expiresAt ?? null;
  return {
    configured,
    expiresAt: fromGraph ?? manual,
    source: fromGraph ? (stored?.source ?? 'graph') : manual ? 'manual' : 'unknown',
    expiredFlag: stored?.expired ?? false,
    checkedAt: stored?.checkedAt ?? null,
    hint: connection.secretHint,
  };
}

/** The threshold reached with `daysLeft` calendar days left (the smallest one not below it), or null above 30. */
export function thresholdFor(daysLeft: number): ReminderThreshold | null {
  let reached: ReminderThreshold | null = null;
  for (const t of reminderThresholds) if (daysLeft <= t) reached = t;
  return reached;
}

interface Step {
  readonly level: ReminderLevel;
  readonly daysLeft: number | null;
  readonly threshold: ReminderThreshold | null;
  /** The reminder step for firing and snoozing: a threshold, {@link expiredKey}, {@link unknownKey} or null. */
  readonly key: number | null;
}

function stepOf(expiry: CurrentExpiry, now: Date, timeZone: string): Step {
  // Calendar days in the admin's zone: "in 7 days" is a week from today's date, "today" ends at their midnight.
  const daysLeft = expiry.expiresAt ? daysLeftUntil(new Date(expiry.expiresAt), now, timeZone) : null;
  const past = expiry.expiresAt !== null && hasExpired(new Date(expiry.expiresAt), now);
  if (expiry.expiredFlag || past) return { level: 'expired', daysLeft, threshold: null, key: expiredKey };
  if (daysLeft === null) return { level: 'unknown', daysLeft, threshold: null, key: expiry.configured ? unknownKey : null };
  const threshold = thresholdFor(daysLeft);
  if (threshold === null) return { level: 'ok', daysLeft, threshold, key: null };
  return { level: daysLeft <= 7 ? 'urgent' : 'soon', daysLeft, threshold, key: threshold };
}

/** The headline: what happens, in as few words as possible. */
function titleOf(expiry: CurrentExpiry, step: Step, timeZone: string): string {
  if (!expiry.configured) return 'No connection is set up';
  switch (step.level) {
    case 'expired':
      return 'The client secret has expired';
    case 'unknown':
      return 'The client secret’s expiry date is unknown';
    case 'ok':
      return `The client secret expires on ${localDate(new Date(expiry.expiresAt ?? 0), timeZone)}`;
    case 'soon':
    case 'urgent':
      if (step.daysLeft === 0) return 'The client secret expires today';
      if (step.daysLeft === 1) return 'The client secret expires tomorrow';
      return `The client secret expires in ${step.daysLeft ?? 0} days`;
  }
}

/** The detail under the headline: when exactly, and what to do. */
function messageOf(expiry: CurrentExpiry, step: Step, timeZone: string): string {
  if (!expiry.configured) return 'No connection to Entra is set up yet.';
  const at = expiry.expiresAt ? new Date(expiry.expiresAt) : null;
  const when = at ? `${localDate(at, timeZone)} at ${localTime(at, timeZone)}` : '';
  switch (step.level) {
    case 'expired':
      return at
        ? `It expired on ${when}. Syncs fail until a new secret replaces it.`
        : 'Entra refused it as expired. Syncs fail until a new secret replaces it.';
    case 'unknown':
      return 'Enter the date shown in Certificates & secrets (Expires column) so the app can remind you in time.';
    case 'ok':
      return `${step.daysLeft ?? 0} days left.`;
    case 'soon':
    case 'urgent':
      return `It expires on ${when}. Create a new secret and replace it before then, or syncs will fail.`;
  }
}

/** The outcome of one evaluation: the status to show, the settings to store, and a notification to send. */
export interface ReminderEvaluation {
  readonly status: ReminderStatus;
  readonly settings: ReminderSettings;
  readonly notification: Notification | null;
  /** When the next step is reached (a threshold or the expiry itself), to check again exactly then. */
  readonly nextChangeAt: Date | null;
}

/** Evaluates the reminders at `now`; pure. */
export function evaluateReminders(
  expiry: CurrentExpiry,
  stored: ReminderSettings,
  now: Date,
  timeZone: string,
): ReminderEvaluation {
  let state = stored;
  if (state.expiresAt !== expiry.expiresAt) {
    // Another date: the reminders of the old one are moot (rotation, or the admin corrected the date).
    state = { ...state, expiresAt: expiry.expiresAt, fired: [], snoozedThreshold: null };
  }
  const step = stepOf(expiry, now, timeZone);
  let notification: Notification | null = null;
  const fires = expiry.configured && step.key !== null && step.key !== unknownKey && !state.fired.includes(step.key);
  if (fires && step.key !== null) {
    const key = step.key;
    notification = {
      id: `secret-expiry-${expiry.expiresAt ?? 'refused'}-${key}`,
      title: titleOf(expiry, step, timeZone),
      body: messageOf(expiry, step, timeZone),
      severity: key === expiredKey || key <= 1 ? 'error' : 'warning',
      action: 'rotation',
    };
    // Earlier (larger) thresholds are done too: one reminder per step reached, not a backlog.
    const done = [...reminderThresholds.filter((t) => t >= key), ...(key === expiredKey ? [expiredKey] : [])];
    state = { ...state, fired: [...new Set([...state.fired, ...done])].sort((a, b) => b - a) };
  }
  const snoozed = step.key !== null && state.snoozedThreshold === step.key;
  const showBanner = expiry.configured && step.key !== null && (step.level === 'expired' || !snoozed);
  const status: ReminderStatus = {
    configured: expiry.configured,
    expiresAt: expiry.expiresAt,
    daysLeft: step.daysLeft,
    source: expiry.source,
    level: expiry.configured ? step.level : 'unknown',
    threshold: step.threshold,
    title: titleOf(expiry, step, timeZone),
    message: messageOf(expiry, step, timeZone),
    snoozed,
    showBanner,
    oldSecret: state.oldSecret,
    checkedAt: expiry.checkedAt,
  };
  return { status, settings: state, notification, nextChangeAt: nextChange(expiry, step, now, timeZone) };
}

/** When the day count can change next: the admin's next midnight, or the moment the secret expires. */
function nextChange(expiry: CurrentExpiry, step: Step, now: Date, timeZone: string): Date | null {
  if (!expiry.expiresAt || step.level === 'expired') return null;
  const end = new Date(Math.max(Date.parse(expiry.expiresAt), now.getTime() + 1));
  const midnight = startOfNextDay(now, timeZone);
  return midnight.getTime() < end.getTime() ? midnight : end;
}
