import type { AppInfo } from '../../shared/contract/app';

/**
 * The settings and vault notices the app shows at the top of its window, as lines for the terminal (stderr), so
 * whoever runs `entra-sync preview` hears about a damaged or newer file even before a browser opens the page.
 */
export function storageNoticeText(info: AppInfo): string {
  const lines: string[] = [];
  const settings = info.settingsNotice;
  if (settings) {
    lines.push(`Warning: ${settings.message}${settings.backupPath ? ` Backup: ${settings.backupPath}` : ''}`);
  }
  const vault = info.vaultNotice;
  if (vault) lines.push(`Warning: ${vault.message} The damaged file was kept as ${vault.backupPath}.`);
  return lines.map((line) => `${line}\n`).join('');
}
