import { safeStorage } from 'electron';
import type { VaultCodec } from '../services/settings/file-vault';

/**
 * Secrets encrypted with Electron's `safeStorage` (Keychain, DPAPI, libsecret/kwallet). On Linux without a
 * keyring Electron falls back to a hard-coded key: `protection()` reports that as not secure so the UI can
 * tell the admin.
 */
export const safeStorageCodec: VaultCodec = {
  encode: (value) => safeStorage.encryptString(value),
  decode: (stored) => safeStorage.decryptString(stored),
  protection() {
    if (!safeStorage.isEncryptionAvailable()) return { backend: 'none available', secure: false };
    if (process.platform === 'linux') {
      const backend = safeStorage.getSelectedStorageBackend();
      return { backend, secure: backend !== 'basic_text' && backend !== 'unknown' };
    }
    return { backend: process.platform === 'darwin' ? 'macOS Keychain' : 'Windows DPAPI', secure: true };
  },
};
