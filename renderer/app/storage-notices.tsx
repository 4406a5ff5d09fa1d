import type { AppInfo } from '../../shared/ipc';
import { ErrorPanel } from '../components/error-panel';

/** What went wrong with the files behind the app (settings, secret vault), told once at the top of every screen. */
export function StorageNotices({ info }: { info: AppInfo }) {
  const settings = info.settingsNotice;
  const vault = info.vaultNotice;
  if (!settings && !vault) return null;
  return (
    <>
      {settings && (
        <ErrorPanel
          title={
            settings.readOnly ? 'Settings from a newer version are read-only' : 'Your settings could not be read as they were'
          }
          intent="warning"
          error={{ message: `${settings.message}${settings.backupPath ? ` Backup: ${settings.backupPath}` : ''}` }}
        />
      )}
      {vault && (
        <ErrorPanel
          title="Your saved client secret could not be read"
          intent="warning"
          error={{ message: `${vault.message} The damaged file was kept as ${vault.backupPath}.` }}
        />
      )}
    </>
  );
}
