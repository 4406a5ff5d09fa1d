import { z } from 'zod';
import { chooserAnswersSchema, provisioningModelSchema, type OnboardingState } from '../provisioning';
import { uiSettingsSchema, type SettingsNotice, type VaultNotice } from '../settings';

/** The app shell and the provisioning-model chooser: requests, results and events. */
export const appRequests = {
  'app:getInfo': z.undefined(),
  'onboarding:get': z.undefined(),
  'onboarding:saveAnswers': z.object({ answers: chooserAnswersSchema }).strict(),
  'onboarding:chooseModel': z.object({ model: provisioningModelSchema, answers: chooserAnswersSchema }).strict(),
  'onboarding:reset': z.undefined(),
  'ui:setPreferences': uiSettingsSchema.partial().strict(),
} as const;

export type HostKind = 'electron' | 'browser';

export interface AppInfo {
  readonly name: string;
  readonly version: string;
  readonly host: HostKind;
  readonly platform: string;
  readonly theme: 'system' | 'light' | 'dark';
  /** False when secrets can only be obfuscated on this machine (e.g. Linux without a keyring). */
  readonly secretStorageSecure: boolean;
  readonly secretStorageBackend: string;
  /** The app's data folder (settings.json, secrets.json, sync.db, logs), shown in Settings → About & storage. */
  readonly dataDir: string;
  readonly settingsNotice?: SettingsNotice;
  /** The secret vault was damaged and moved aside: the client secret must be entered again. */
  readonly vaultNotice?: VaultNotice;
}

export interface AppResults {
  'app:getInfo': AppInfo;
  'onboarding:get': OnboardingState;
  'onboarding:saveAnswers': OnboardingState;
  'onboarding:chooseModel': OnboardingState;
  'onboarding:reset': OnboardingState;
  'ui:setPreferences': AppInfo;
}

export interface AppEvents {
  'app:notification': {
    readonly id: string;
    readonly title: string;
    readonly body: string;
    readonly severity: 'info' | 'success' | 'warning' | 'error';
    /** Where clicking it should take the admin, as an app route such as `rotation`. */
    readonly action?: string;
  };
}
