import { safeStorage } from 'electron';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SecretVault, VaultProtection } from '../services/ports';

/**
 * Secrets encrypted with Electron's `safeStorage` (Keychain, DPAPI, libsecret/kwallet) in a file in the
 * app's data folder. On Linux without a keyring Electron falls back to a hard-coded key: `protection()`
 * reports that as not secure so the UI can tell the admin.
 */
export class SafeStorageVault implements SecretVault {
  constructor(private readonly path: string) {}

  async get(name: string): Promise<string | undefined> {
    const value = this.read()[name];
    return value === undefined ? undefined : safeStorage.decryptString(Buffer.from(value, 'base64'));
  }

  async set(name: string, value: string): Promise<void> {
    const all = this.read();
    all[name] = safeStorage.encryptString(value).toString('base64');
    this.write(all);
  }

  async delete(name: string): Promise<void> {
    const all = this.read();
    delete all[name];
    this.write(all);
  }

  protection(): VaultProtection {
    if (!safeStorage.isEncryptionAvailable()) return { backend: 'none available', secure: false };
    if (process.platform === 'linux') {
      const backend = safeStorage.getSelectedStorageBackend();
      return { backend, secure: backend !== 'basic_text' && backend !== 'unknown' };
    }
    return { backend: process.platform === 'darwin' ? 'macOS Keychain' : 'Windows DPAPI', secure: true };
  }

  private read(): Record<string, string> {
    if (!existsSync(this.path)) return {};
    return JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, string>;
  }

  private write(all: Record<string, string>): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temp = `${this.path}.tmp`;
    writeFileSync(temp, JSON.stringify(all), { mode: 0o600 });
    renameSync(temp, this.path);
  }
}
