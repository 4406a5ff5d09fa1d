import { z } from 'zod';
import type { PortalLink } from '../clouds';
import type { SecretExpirySource, ValidationReport } from '../validation';

/**
 * Scheduled syncs, secret-expiry reminders and the guided secret rotation: requests, results and events.
 *
 * Cron patterns are evaluated in the main process (croner) in the admin's time zone; `schedule:preview` lets a
 * form show "what this means" and the next runs before saving. Reminders fire once per threshold
 * ({@link reminderThresholds}) across restarts; the tray, the dashboard banner and desktop notifications all read
 * the same {@link ReminderStatus}.
 */

/** A cron pattern: 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first. */
export const cronPatternSchema = z.string().trim().min(1).max(200);

/** An IANA time zone such as `Europe/Berlin`; empty means "this computer's time zone". */
export const timeZoneSchema = z.string().trim().max(100);

export const scheduleInputSchema = z
  .object({
    enabled: z.boolean(),
    cron: cronPatternSchema,
    timeZone: timeZoneSchema,
  })
  .strict();
export type ScheduleInput = z.infer<typeof scheduleInputSchema>;

export const scheduleRequests = {
  /** The schedule, its next run, whether it is paused, and how the last scheduled run went. */
  'schedule:get': z.undefined(),
  /** Saves the schedule; fails with a {@link SchedulePatternError} code and changes nothing. */
  'schedule:save': scheduleInputSchema,
  /** What a pattern means in words and its next 5 runs, without saving anything. */
  'schedule:preview': z.object({ cron: cronPatternSchema, timeZone: timeZoneSchema }).strict(),
  'schedule:pause': z.undefined(),
  'schedule:resume': z.undefined(),
  /** Start with the computer's sign-in, hidden in the tray (applied by the Electron host). */
  'schedule:setStartAtLogin': z.object({ enabled: z.boolean() }).strict(),

  /** Where the secret's expiry stands and whether a reminder is due. */
  'reminders:get': z.undefined(),
  /** Hides the current reminder until the next threshold is reached. */
  'reminders:snooze': z.undefined(),

  /** What the rotation steps need: the Certificates & secrets link, the secret in use (masked), its expiry. */
  'rotation:get': z.undefined(),
  /**
   * Tests a new secret against Entra (live progress on `connection:progress`) and, only when it works, replaces
   * the stored one; reminders then follow the new expiry and remind to delete the old secret.
   */
  'rotation:replace': z.object({ secret: z.string().min(1).max(1000) }).strict(),
  /** The admin says the old secret was deleted in the portal: stop reminding about it. */
  'rotation:confirmOldDeleted': z.undefined(),
  /**
   * Demo tenant only: creates a new client secret in the emulated app, as the portal's "New client secret" does,
   * and shows its value once. Refused (`not-demo`) for a real tenant, whose secrets the app never shows.
   */
  'rotation:demoNewSecret': z.object({ days: z.number().int().min(1).max(730).default(365) }).strict(),
} as const;

/** How the schedule stands right now, for the tray, the dashboard and the settings form. */
export type ScheduleState =
  /** No schedule: syncs run only with Sync now. */
  | 'off'
  | 'paused'
  /** Waiting for the next run. */
  | 'waiting'
  | 'running'
  /** The last scheduled run failed; another attempt is planned (`retry`). */
  | 'retrying'
  /** The last scheduled run failed after every attempt; it stays so until a run succeeds. */
  | 'failed';

/** The outcome of the last scheduled run (after its retries). */
export interface ScheduledRunOutcome {
  /** When the slot that started it was due (ISO). */
  readonly slotAt: string;
  readonly finishedAt: string;
  readonly status: 'succeeded' | 'failed' | 'skipped';
  /** How many attempts it took (1 = no retry). */
  readonly attempts: number;
  readonly runId: string | null;
  /** Why it failed or was skipped: `secret-expired`, `already-running`, `graph-read-failed`, … */
  readonly error: { readonly code: string; readonly message: string } | null;
  /** Set on a failed outcome when a later sync (e.g. Sync now) succeeded: the failure no longer stands. */
  readonly resolvedAt?: string | null;
}

export interface ScheduleStatus {
  readonly enabled: boolean;
  readonly cron: string;
  /** As saved (may be empty). */
  readonly timeZone: string;
  /** The zone the pattern is evaluated in: the saved one, else this computer's. */
  readonly effectiveTimeZone: string;
  /** This computer's time zone, for forms that offer it as the default. */
  readonly systemTimeZone: string;
  readonly paused: boolean;
  readonly startAtLogin: boolean;
  /** The pattern in words: "Every day at 02:00". */
  readonly description: string;
  readonly state: ScheduleState;
  /** The next scheduled run (ISO), or null when off, paused or the pattern never matches again. */
  readonly nextRunAt: string | null;
  /** The next retry of a failed run, when one is planned. */
  readonly retry: { readonly attempt: number; readonly maxAttempts: number; readonly at: string } | null;
  readonly lastOutcome: ScheduledRunOutcome | null;
  /** A message for people when the state needs attention (failed, retrying, invalid saved pattern). */
  readonly problem: { readonly code: string; readonly message: string } | null;
}

/**
 * Why a pattern cannot be saved: not cron, an unknown zone, never matching (30 February), or runs closer than
 * {@link minScheduleIntervalMinutes} apart (a sync every minute would hammer Graph and overlap itself).
 */
export type SchedulePatternError = 'invalid-cron' | 'invalid-time-zone' | 'never-runs' | 'too-frequent';

/** The shortest gap between two scheduled syncs. */
export const minScheduleIntervalMinutes = 5;

export interface SchedulePreview {
  readonly valid: boolean;
  readonly error?: { readonly code: SchedulePatternError; readonly message: string };
  /** The pattern in words, or '' when invalid. */
  readonly description: string;
  /** The next 5 runs (ISO), fewer when the pattern stops matching. */
  readonly nextRuns: readonly string[];
  readonly effectiveTimeZone: string;
}

/** Days before expiry at which a reminder fires; 0 is "on the day it expires". */
export const reminderThresholds = [30, 14, 7, 3, 1, 0] as const;
export type ReminderThreshold = (typeof reminderThresholds)[number];

/**
 * How urgent the expiry is, decided once in the services: drives the banner, the dashboard card's colour (`ok`
 * green, `soon` amber, `urgent` and `expired` red), the tray icon and tooltip; nothing else re-derives it from a date.
 * `unknown` = no date; `ok` = more than 30 days; `soon` = 30..8 days; `urgent` = 7..0 days; `expired` = past the
 * instant (or refused by Entra), also on its last calendar day.
 */
export type ReminderLevel = 'unknown' | 'ok' | 'soon' | 'urgent' | 'expired';

export interface ReminderStatus {
  /** Whether a connection is set up at all; without one there is nothing to remind about. */
  readonly configured: boolean;
  readonly expiresAt: string | null;
  /** Calendar days from today to the expiry date in this computer's zone: 0 on the day, negative after. */
  readonly daysLeft: number | null;
  readonly source: SecretExpirySource;
  readonly level: ReminderLevel;
  /** The threshold reached now (30, 14, 7, 3, 1, 0), or null above 30 days / unknown. */
  readonly threshold: ReminderThreshold | null;
  /** The headline for the banner and notification: "The client secret expires in 7 days". */
  readonly title: string;
  /** The detail under it: when exactly (in this computer's zone) and what to do. */
  readonly message: string;
  /** True when the admin snoozed the current threshold; the banner stays hidden until the next one. */
  readonly snoozed: boolean;
  /** Whether the dashboard should show the banner now (a threshold reached, not snoozed; always when expired). */
  readonly showBanner: boolean;
  /** After a rotation: the replaced secret should be deleted in the portal. */
  readonly oldSecret: OldSecretReminder | null;
  /** When expiry was last read (validation or sync), ISO. */
  readonly checkedAt: string | null;
}

export interface OldSecretReminder {
  /** Masked: `abc••••••`. */
  readonly hint: string;
  readonly expiresAt: string | null;
  /** The portal's "Secret ID" and description, when Graph told which credential it was. */
  readonly keyId: string | null;
  readonly displayName: string | null;
  readonly replacedAt: string;
}

export interface RotationInfo {
  readonly configured: boolean;
  readonly demo: boolean;
  /** Certificates & secrets of the app, in the right cloud's portal (null for the demo tenant or no app). */
  readonly credentialsLink: PortalLink | null;
  readonly appId: string | null;
  /** The secret in use, masked. */
  readonly currentHint: string | null;
  readonly reminders: ReminderStatus;
}

export interface RotationResult {
  /** The test of the new secret; null when it was not run (the same secret as now). */
  readonly report: ValidationReport | null;
  /** True when the new secret works and now replaces the old one. */
  readonly replaced: boolean;
  /** The pasted value is the secret already in use. */
  readonly sameAsCurrent: boolean;
  readonly reminders: ReminderStatus;
}

/** A demo tenant's new secret, shown once like the portal does. Never produced for a real tenant. */
export interface DemoNewSecret {
  readonly value: string;
  readonly hint: string;
  readonly keyId: string;
  readonly displayName: string;
  readonly expiresAt: string;
}

export interface ScheduleResults {
  'schedule:get': ScheduleStatus;
  'schedule:save': ScheduleStatus;
  'schedule:preview': SchedulePreview;
  'schedule:pause': ScheduleStatus;
  'schedule:resume': ScheduleStatus;
  'schedule:setStartAtLogin': ScheduleStatus;
  'reminders:get': ReminderStatus;
  'reminders:snooze': ReminderStatus;
  'rotation:get': RotationInfo;
  'rotation:replace': RotationResult;
  'rotation:confirmOldDeleted': ReminderStatus;
  'rotation:demoNewSecret': DemoNewSecret;
}

export interface ScheduleEvents {
  'schedule:changed': ScheduleStatus;
  'reminders:changed': ReminderStatus;
  /**
   * The main side asks the window to show a page: the tray's "replace the secret" item or a click on a desktop
   * notification whose `action` names a page (e.g. `rotation`).
   */
  'shell:navigate': { readonly page: string };
}
