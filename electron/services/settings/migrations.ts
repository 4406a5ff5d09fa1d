import { currentSettingsVersion } from '../../../shared/settings';

type Migration = (settings: Record<string, unknown>) => Record<string, unknown>;

/**
 * Steps from each settings version to the next: `migrations[n]` turns version n into n + 1.
 * Version 0 is a file written before versions existed.
 */
const migrations: Readonly<Record<number, Migration>> = {
  0: (settings) => ({ ...settings, schemaVersion: 1 }),
};

/** Brings raw settings of `fromVersion` up to the current version. Pure. */
export function migrateSettings(raw: Record<string, unknown>, fromVersion: number): Record<string, unknown> {
  let settings = raw;
  for (let version = fromVersion; version < currentSettingsVersion; version++) {
    const step = migrations[version];
    if (!step) throw new Error(`No settings migration from version ${version}`);
    settings = step(settings);
  }
  return { ...settings, schemaVersion: currentSettingsVersion };
}
