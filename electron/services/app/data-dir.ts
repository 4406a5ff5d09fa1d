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
