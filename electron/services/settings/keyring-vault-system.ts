/**
 * The OS keychain behind the keyring vault: macOS Keychain, Windows Credential Manager, or the Secret Service on
 * Linux (GNOME Keyring, KWallet), through the Node-API binding `@napi-rs/keyring`, which plain Node and Electron's
 * main process both load, so the app and the terminal read the same tokens.
 */
import type * as KeyringModule from '@napi-rs/keyring';
import { createRequire } from 'node:module';
import type { Keyring } from './keyring-vault';

/** What the admin calls the keychain of a platform. */
export function keychainLabel(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'Secret Service';
}

/**
 * The system keychain as a {@link Keyring}. Loaded here, not imported at the top, so a missing or broken native
 * binary becomes a reason to fall back (the probe reports it) instead of an app that cannot start.
 *
 * On Linux the Secret Service is required: the binding would otherwise fall back to the kernel keyring, which keeps
 * secrets in memory only and loses every token at the next reboot.
 */
export function systemKeyring(): Keyring {
  const { Entry } = createRequire(import.meta.url)('@napi-rs/keyring') as typeof KeyringModule;
  const options = process.platform === 'linux' ? { linux: { store: 'secret-service' as const } } : undefined;
  const entry = (service: string, account: string) => new Entry(service, account, options);
  return {
    label: keychainLabel(),
    get: (service, account) => entry(service, account).getPassword() ?? undefined,
    set: (service, account, value) => entry(service, account).setPassword(value),
    delete: (service, account) => void entry(service, account).deletePassword(),
  };
}
