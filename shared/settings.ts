import { z } from 'zod';
import { connectionSettingsSchema, setupSettingsSchema } from './contract/connection';
import { onboardingStateSchema } from './provisioning';
import { reminderSettingsSchema, scheduleSettingsSchema } from './schedule';
import { syncPolicySchema } from './sync';
import { targetsSettingsSchema } from './targets';
import { networkSettingsSchema } from './network';

/**
 * The settings file's schema. Every section has defaults, so a new install and an old file both parse.
 *
 * Secrets never live here: the client secret is in the secret vault, the settings hold only a masked hint.
 * Bump `currentSettingsVersion` and add a step to the migrations (electron/services/settings) when a change
 * is not backward compatible.
 */
export const currentSettingsVersion = 1;

export const uiSettingsSchema = z.object({
  theme: z.enum(['system', 'light', 'dark']).default('system'),
});

export const settingsSchema = z.object({
  schemaVersion: z.number().int().default(currentSettingsVersion),
  onboarding: onboardingStateSchema.default({ answers: {} }),
  ui: uiSettingsSchema.default({ theme: 'system' }),
  /** The setup wizard's progress (shared/contract/connection.ts). */
  setup: setupSettingsSchema.prefault({}),
  /** Cloud, tenant, app, secret hint, demo mode, last validation, secret expiry (shared/contract/connection.ts). */
  connection: connectionSettingsSchema.prefault({}),
  /** What the sync reads and how it applies it (shared/sync.ts). */
  sync: syncPolicySchema.prefault({}),
  /** The sync schedule and the scheduler's bookkeeping (shared/schedule.ts). */
  schedule: scheduleSettingsSchema.prefault({}),
  /** Secret-expiry reminders already sent, snoozes, the replaced secret to delete (shared/schedule.ts). */
  reminders: reminderSettingsSchema.prefault({}),
  /** Remote sync targets beside the embedded directory; tokens in the vault (shared/targets.ts). */
  targets: targetsSettingsSchema,
  /** Proxy, an extra trusted CA certificate, custom cloud endpoints (shared/network.ts). */
  network: networkSettingsSchema.prefault({}),
});
export type Settings = z.infer<typeof settingsSchema>;

export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}

/** Told to the admin once when the settings file could not be read as it was. */
export interface SettingsNotice {
  readonly code: 'settings-corrupt' | 'settings-invalid' | 'settings-newer';
  readonly message: string;
  /** Where the unreadable file was copied before anything was written. */
  readonly backupPath?: string;
  /** The file is kept exactly as it is (written by a newer version): every change is refused until the app is updated. */
  readonly readOnly?: boolean;
}

/** Told to the admin when the secret vault could not be read: it was moved aside and the secret is missing. */
export interface VaultNotice {
  readonly code: 'vault-corrupt';
  readonly message: string;
  /** Where the unreadable vault was moved (owner-only). */
  readonly backupPath: string;
}
