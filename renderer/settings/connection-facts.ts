import { cloudById, type CloudId } from '../../shared/clouds';
import type { ConnectionSummary, ValidationSummary } from '../../shared/contract/connection';
import type { AppInfo } from '../../shared/ipc';

/** How the connection stands after its last validation, as the dashboard's badge says it. */
export type ConnectionHealth = 'ok' | 'warning' | 'failing' | 'untested';

export function connectionHealth(last: ValidationSummary | undefined): ConnectionHealth {
  if (!last) return 'untested';
  if (!last.requiredPassed) return 'failing';
  return last.ok && last.counts.warning === 0 && last.counts.fail === 0 ? 'ok' : 'warning';
}

export const healthBadges: Record<ConnectionHealth, { color: 'success' | 'warning' | 'danger' | 'informative'; text: string }> = {
  ok: { color: 'success', text: 'Working' },
  warning: { color: 'warning', text: 'Working, with warnings' },
  failing: { color: 'danger', text: 'Not working' },
  untested: { color: 'informative', text: 'Not tested yet' },
};

/** The cloud's name for people; the demo tenant has no Microsoft cloud. */
export function cloudLabel(cloud: CloudId, demo: boolean): string {
  if (demo || cloud === 'custom') return 'Demo tenant (emulated on this computer)';
  return cloudById(cloud).label;
}

/** Where the client secret is, in words: the masked hint and what happens to it when the app quits. */
export function secretText(c: Pick<ConnectionSummary, 'secretHint' | 'secretStored' | 'secretInMemory' | 'vaultBackend'>) {
  if (c.secretInMemory) return `${c.secretHint} — kept in memory only: lost when the app quits`;
  if (c.secretStored) return `${c.secretHint} — saved in the secret store: ${c.vaultBackend}`;
  return 'Not saved — enter it again with Edit connection';
}

/** "8 checks passed, 1 warning" from a validation summary. */
export function checkCounts(last: ValidationSummary): string {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return [
    `${plural(last.counts.pass, 'check', 'checks')} passed`,
    last.counts.warning ? plural(last.counts.warning, 'warning', 'warnings') : '',
    last.counts.fail ? `${last.counts.fail} failed` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** What the secret storage means for the admin, plainly: is the client secret encrypted on this computer? */
export function secretStorageFacts(info: Pick<AppInfo, 'host' | 'platform' | 'secretStorageSecure' | 'secretStorageBackend'>): {
  readonly secure: boolean;
  readonly title: string;
  readonly body: string;
} {
  if (info.secretStorageSecure) {
    return {
      secure: true,
      title: 'The client secret is encrypted',
      body: `It is encrypted by ${info.secretStorageBackend} and can be read only by your account on this computer.`,
    };
  }
  if (info.host === 'browser') {
    return {
      secure: false,
      title: 'The client secret is not encrypted here',
      body: 'The browser preview keeps it in secrets.json, a file readable only by your account but not encrypted. Use the desktop app for a real tenant.',
    };
  }
  if (info.platform === 'linux') {
    return {
      secure: false,
      title: 'No keyring found: the client secret is only obfuscated',
      body: `Without a keyring (GNOME Keyring or KWallet) the secret is stored with a fixed key (${info.secretStorageBackend}), which anyone who can read your files can undo. Install a keyring and restart the app, or keep the secret in memory only.`,
    };
  }
  return {
    secure: false,
    title: 'The client secret is not encrypted',
    body: `This computer offers no secret store (${info.secretStorageBackend}): anyone who can read your files could read the secret.`,
  };
}

/** The files in the data folder and what each holds, for Settings → About & storage. */
export function dataFiles(host: AppInfo['host']): readonly { readonly name: string; readonly holds: string }[] {
  return [
    { name: 'settings.json', holds: 'Settings and the connection’s values; never the secret' },
    { name: 'secrets.json', holds: 'The client secret, as the secret storage below protects it' },
    { name: 'sync.db', holds: 'Your synced directory and the run history' },
    { name: 'demo/sync.db', holds: 'The demo tenant’s own directory and history, while it is in use (removed on leaving it)' },
    // The desktop app's logs are where the operating system keeps app logs; the Help menu opens the folder.
    host === 'electron'
      ? { name: 'Log folder', holds: 'Logs, never with secrets: Help → Open the log folder shows where' }
      : { name: 'logs', holds: 'Logs, never with secrets' },
  ];
}
