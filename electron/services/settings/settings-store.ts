import { copyFileSync, existsSync, renameSync } from 'node:fs';
import { AppError } from '../../../shared/errors';
import {
  currentSettingsVersion,
  defaultSettings,
  settingsSchema,
  type Settings,
  type SettingsNotice,
} from '../../../shared/settings';
import type { Clock, Logger } from '../ports';
import { makeOwnerOnly } from '../app/data-dir';
import { migrateSettings } from './migrations';

/**
 * The file behind the settings: `conf` in plain Node, `electron-store` (built on conf) in the Electron host.
 * Assigning `store` writes the whole object atomically, so settings are never half-written.
 */
export interface SettingsFile {
  readonly path: string;
  store: Record<string, unknown>;
}

/** The settings port that services use. */
export interface SettingsStore {
  get(): Settings;
  /** Applies `change` to a copy, validates the result and writes it in one atomic step. */
  update(change: (current: Settings) => Settings): Settings;
  /** Set when the file could not be used as it was; the UI tells the admin once. */
  readonly notice: SettingsNotice | undefined;
  /** True when the file was written by a newer version: `update` refuses with `settings-read-only`. */
  readonly readOnly?: boolean;
}

export interface SettingsStoreOptions {
  /** Opens (and on first use creates) the settings file; throws a SyntaxError on unreadable JSON. */
  readonly open: () => SettingsFile;
  /** Where `open` reads from: needed to back up a file that cannot even be opened. */
  readonly filePath: string;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Opens the settings through a conf-like file, migrating old versions and refusing to lose a broken file:
 * an unreadable or invalid file is copied aside before defaults are written, and `notice` says where.
 */
export function createSettingsStore(options: SettingsStoreOptions): SettingsStore {
  const { clock, logger, filePath } = options;
  let notice: SettingsNotice | undefined;
  let readOnly = false;
  let file: SettingsFile;

  const backupName = (kind: string) => `${filePath}.${kind}-${clock.now().toISOString().replace(/[:.]/g, '-')}.json`;

  try {
    file = options.open();
  } catch (error) {
    if (!existsSync(filePath)) throw error;
    const backupPath = backupName('corrupt');
    renameSync(filePath, backupPath);
    makeOwnerOnly(backupPath);
    logger.warn('settings file was not valid JSON; moved aside', { backupPath });
    notice = {
      code: 'settings-corrupt',
      message:
        'The settings file was damaged and could not be read. It was kept as a backup and the app started with default settings.',
      backupPath,
    };
    file = options.open();
  }

  /**
   * conf and electron-store write a new file at every change (atomically, by rename) with the mode they were given,
   * 0666 less the umask by default: tightened after each write, whichever host opened the file.
   */
  function write(settings: Settings): void {
    file.store = { ...settings };
    makeOwnerOnly(filePath);
  }

  let current = readValidated();

  function readValidated(): Settings {
    const raw: Record<string, unknown> = { ...file.store };
    const version = typeof raw.schemaVersion === 'number' ? raw.schemaVersion : currentSettingsVersion;
    if (version > currentSettingsVersion) {
      // A newer app wrote this file. Writing it back through this version's schema would drop what it does not
      // know (a silent downgrade), so the file stays exactly as it is and every change is refused; the app runs
      // on the sections this version can read, the others on defaults, in memory only.
      readOnly = true;
      notice = {
        code: 'settings-newer',
        message:
          `These settings were written by a newer version (v${version}) of Entra Sync Assistant; this version will not ` +
          'change them — update the app to change settings. Scheduled syncs wait until then.',
        readOnly: true,
      };
      logger.warn('settings written by a newer version: opened read-only', { version, supported: currentSettingsVersion });
      return salvage(raw);
    }
    const migrated = migrateSettings(raw, version);
    const parsed = settingsSchema.safeParse(migrated);
    if (parsed.success) {
      if (version !== currentSettingsVersion || Object.keys(raw).length === 0) write(parsed.data);
      return parsed.data;
    }
    const backupPath = backupName('invalid');
    if (existsSync(filePath)) {
      copyFileSync(filePath, backupPath);
      makeOwnerOnly(backupPath);
    }
    logger.warn('settings did not match the schema; kept a copy and used what was valid', {
      backupPath,
      issues: parsed.error.issues.map((i) => i.path.join('.')),
    });
    notice = {
      code: 'settings-invalid',
      message: 'Some settings were not valid and were reset to defaults. The original file was kept as a backup.',
      backupPath,
    };
    const salvaged = salvage(migrated);
    write(salvaged);
    return salvaged;
  }

  return {
    get: () => current,
    update(change) {
      if (readOnly) {
        throw new AppError(
          'settings-read-only',
          'This change was not saved: the settings were written by a newer version of Entra Sync Assistant and this ' +
            'version will not change them. Update the app, then try again.',
        );
      }
      const next = settingsSchema.parse(change(structuredClone(current)));
      write(next);
      current = next;
      return next;
    },
    get notice() {
      return notice;
    },
    get readOnly() {
      return readOnly;
    },
  };
}

/** Keeps every top-level section that is valid on its own; the rest fall back to their defaults. */
function salvage(raw: Record<string, unknown>): Settings {
  const result: Record<string, unknown> = { ...defaultSettings() };
  for (const [key, schema] of Object.entries(settingsSchema.shape)) {
    const section = schema.safeParse(raw[key]);
    if (section.success) result[key] = section.data;
  }
  return settingsSchema.parse(result);
}
