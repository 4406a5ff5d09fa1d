/** Pure parts of the login item, testable without Electron. */

/** The argument a login start passes, so the app stays in the tray. */
export const hiddenArg = '--hidden';

/** The autostart entry for Linux desktops (pure, for tests). Quotes the executable as the spec asks. */
export function autostartEntry(executable: string): string {
  const quoted = `"${executable.replace(/(["`$\\])/g, '\\$1')}"`;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Entra Sync Assistant',
    'Comment=Scheduled Entra ID syncs and secret-expiry reminders',
    `Exec=${quoted} ${hiddenArg}`,
    'X-GNOME-Autostart-enabled=true',
    'Terminal=false',
    '',
  ].join('\n');
}
