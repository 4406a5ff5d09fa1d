/**
 * "Start at login, hidden in the tray". Windows and macOS have it built in (`app.setLoginItemSettings`); on Linux
 * the freedesktop way is a `.desktop` file in `~/.config/autostart`, written here. The app then starts with
 * `--hidden` and shows only its tray icon.
 */
import { app } from 'electron';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../services/ports';
import { autostartEntry, hiddenArg } from './autostart-entry';

export { hiddenArg } from './autostart-entry';

/** True when this start came from the login item (or was asked to stay hidden). */
export function startedHidden(): boolean {
  if (process.argv.includes(hiddenArg)) return true;
  // macOS passes no arguments to login items; it says whether this start was one.
  return process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
}

/** Turns the login item on or off. Only a packaged app registers itself (a dev build would start Electron). */
export function applyLoginItem(enabled: boolean, logger: Logger): void {
  if (!app.isPackaged) {
    logger.info('login item: not changed in a development build', { enabled });
    return;
  }
  try {
    if (process.platform === 'linux') {
      const dir = join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'autostart');
      const file = join(dir, 'entra-sync-assistant.desktop');
      if (enabled) {
        mkdirSync(dir, { recursive: true });
        // An AppImage runs from a temporary mount: autostart must name the AppImage file itself.
        writeFileSync(file, autostartEntry(process.env.APPIMAGE || process.execPath));
      } else rmSync(file, { force: true });
    } else {
      app.setLoginItemSettings({ openAtLogin: enabled, args: [hiddenArg] });
    }
    logger.info('login item changed', { enabled });
  } catch (error) {
    logger.error('login item could not be changed', { error: error instanceof Error ? error.message : String(error) });
  }
}
