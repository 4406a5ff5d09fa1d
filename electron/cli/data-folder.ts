import Conf from 'conf';
import { join } from 'node:path';
import { defaultDataDir, ownerOnlyFileMode, prepareDataDir } from '../services/app/data-dir';
import { silentLogger, systemClock, type SecretVault } from '../services/ports';
import { createSettingsStore, type SettingsStore } from '../services/settings/settings-store';
import { openTargetVault } from '../services/targets/target-registry';
import type { CliIo } from './command';

/**
 * The data folder a terminal command works in: `--data-dir DIR` (the CLI entry turns it into ENTRA_SYNC_DATA_DIR for
 * every command), else ENTRA_SYNC_DATA_DIR, else the desktop app's own folder, so the app and the terminal share
 * settings, targets, history and links. Made owner-only as the app does at start.
 */
export interface DataFolder {
  readonly dir: string;
  readonly settings: SettingsStore;
  readonly vault: SecretVault;
}

export function openDataFolder(io: CliIo): DataFolder {
  const dir = defaultDataDir(io.env);
  prepareDataDir(dir);
  const settings = createSettingsStore({
    open: () =>
      new Conf<Record<string, unknown>>({
        cwd: dir,
        configName: 'settings',
        projectName: 'entra-sync-assistant',
        configFileMode: ownerOnlyFileMode,
      }),
    filePath: join(dir, 'settings.json'),
    clock: systemClock,
    logger: silentLogger,
  });
  return { dir, settings, vault: openTargetVault(dir) };
}

/** `--data-dir DIR` anywhere in the arguments: removed, and given to the command as ENTRA_SYNC_DATA_DIR. */
export function takeDataDir(argv: readonly string[], io: CliIo): { argv: string[]; io: CliIo; error?: string } {
  const rest: string[] = [];
  let dir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--data-dir') {
      dir = argv[++i];
      if (!dir || dir.startsWith('--')) return { argv: rest, io, error: '--data-dir needs a folder.' };
    } else if (arg.startsWith('--data-dir=')) dir = arg.slice('--data-dir='.length);
    else rest.push(arg);
  }
  if (dir === undefined) return { argv: rest, io };
  return { argv: rest, io: { ...io, env: { ...io.env, ENTRA_SYNC_DATA_DIR: dir } } };
}
