import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const appFolderName = 'Entra Sync Assistant';

/**
 * The folder Electron's `app.getPath('userData')` uses for this app, computed without Electron, so the
 * terminal and browser hosts find the same settings and databases as the desktop app.
 */
export function defaultDataDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform = process.platform,
): string {
  if (env.ENTRA_SYNC_DATA_DIR) return env.ENTRA_SYNC_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), appFolderName);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', appFolderName);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), appFolderName);
}

/**
 * Owner-only modes: the data folder holds the tenant's directory (names, UPNs, mail), the settings and the secret
 * vault, so other local users must not read any of it. On Windows mode bits are ignored (chmod only toggles
 * read-only): the data folder lives in the per-user profile (%APPDATA%), whose ACL already admits only that user
 * (and administrators), so nothing is changed there.
 */
const modesApply = process.platform !== 'win32';
export const ownerOnlyFileMode = 0o600;
export const ownerOnlyDirMode = 0o700;

/** The entries of the data folder the app writes (and their backups, temp files, SQLite's -wal/-shm). */
const ownFiles = /^(settings\.json|secrets\.json|sync\.db)(\b|$)/;
const ownFolders = new Set(['logs']);

/** Sets `path` to owner-only (0600 for a file, 0700 for a folder) when it is looser. Missing paths and links are left. */
export function makeOwnerOnly(path: string): boolean {
  if (!modesApply) return false;
  let stat;
  try {
    stat = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if (stat.isSymbolicLink()) return false;
  const wanted = stat.isDirectory() ? ownerOnlyDirMode : ownerOnlyFileMode;
  if ((stat.mode & 0o777) === wanted) return false;
  chmodSync(path, wanted);
  return true;
}

/** Creates `dir` (and missing parents) owner-only, and tightens it when it already exists with a looser mode. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: ownerOnlyDirMode });
  makeOwnerOnly(dir);
}

/**
 * Prepares the data folder at start: created 0700, and what earlier versions left looser (0755 folder, 0644
 * settings, logs, sync.db) tightened. Only the app's own entries are touched, never the rest of a folder the admin
 * pointed `--data-dir` at. Returns the paths it changed, for the log.
 */
export function prepareDataDir(dataDir: string): string[] {
  ensurePrivateDir(dataDir);
  const changed: string[] = [];
  const visit = (path: string, recurse: boolean) => {
    if (makeOwnerOnly(path)) changed.push(path);
    if (!recurse) return;
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory()) visit(join(path, entry.name), true);
      else if (entry.isFile()) visit(join(path, entry.name), false);
    }
  };
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    if (entry.isFile() && ownFiles.test(entry.name)) visit(join(dataDir, entry.name), false);
    else if (entry.isDirectory() && ownFolders.has(entry.name)) visit(join(dataDir, entry.name), true);
  }
  return changed;
}
