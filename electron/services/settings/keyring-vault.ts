/**
 * A secret vault in the OS keychain, with a visible fallback to an owner-only file where no keychain can be used.
 *
 * Which one is decided once, when the vault is opened: a probe writes, reads back and deletes an entry of its own.
 * A keychain that passes holds every secret from then on (service "Entra Sync Assistant", account = the vault
 * entry's name), and what an earlier version (or a run without a keychain) left in the file is moved into it: each
 * secret written and read back before it leaves the file, so none is ever lost. A keychain that fails the probe
 * leaves the file vault in charge, and `protection()` says so: the app, `entra-sync targets` and the log tell the
 * admin which is in use.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AppError } from '../../../shared/errors';
import type { VaultNotice } from '../../../shared/settings';
import { silentLogger, type Clock, type Logger, type SecretVault, type VaultProtection } from '../ports';
import { FileVault, plainFileCodec, type VaultCodec } from './file-vault';

/**
 * What the vault asks of a keychain: one secret per service and account. Synchronous, as the native binding is, so
 * the probe can decide at open. `systemKeyring()` (keyring-vault-system.ts) is the real one; tests fill it in memory.
 */
export interface Keyring {
  /** What the admin calls it: "macOS Keychain", "Windows Credential Manager", "Secret Service". */
  readonly label: string;
  get(service: string, account: string): string | undefined;
  set(service: string, account: string, value: string): void;
  delete(service: string, account: string): void;
}

/** The keychain service the secrets are filed under. */
export const keychainService = 'Entra Sync Assistant';

export interface KeyringVaultOptions {
  /** The owner-only file: the fallback, and where earlier versions kept the secrets. */
  readonly filePath: string;
  /** Opens the keychain; may throw (a native module that does not load), which counts as no keychain. */
  readonly keyring: () => Keyring;
  readonly service?: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** The outcome of the probe: a keychain that kept and gave back a value, or why none can be used. */
export type KeyringProbe = { readonly ok: true; readonly keyring: Keyring } | { readonly ok: false; readonly reason: string };

/** Writes, reads back and deletes an entry of its own (a random account, so two hosts opening at once never meet). */
export function probeKeyring(open: () => Keyring, service: string = keychainService): KeyringProbe {
  let keyring: Keyring;
  try {
    keyring = open();
  } catch (error) {
    return { ok: false, reason: `the keychain module could not be loaded (${errorText(error)})` };
  }
  const account = `probe-${randomBytes(6).toString('hex')}`;
  const value = randomBytes(12).toString('hex');
  try {
    keyring.set(service, account, value);
    const back = keyring.get(service, account);
    keyring.delete(service, account);
    if (back !== value) return { ok: false, reason: `the ${keyring.label} did not give back what was written` };
    return { ok: true, keyring };
  } catch (error) {
    try {
      keyring.delete(service, account);
    } catch {
      // Nothing was written, or the keychain is gone altogether: the reason below says enough.
    }
    return { ok: false, reason: `the ${keyring.label} could not be used (${errorText(error)})` };
  }
}

/** The owner-only file's protection, naming the file, for the fallback. */
export function ownerOnlyFileCodec(filePath: string): VaultCodec {
  return {
    ...plainFileCodec,
    protection: () => ({ backend: `owner-only file at ${filePath} (not encrypted)`, secure: false }),
  };
}

/**
 * Opens the vault: the keychain when the probe passes (and the file's secrets are moved into it), else the
 * owner-only file. Says which in the log, once.
 */
export function openKeyringVault(options: KeyringVaultOptions): SecretVault {
  const logger = options.logger ?? silentLogger;
  const service = options.service ?? keychainService;
  const file = new FileVault(options.filePath, ownerOnlyFileCodec(options.filePath), {
    ...(options.clock ? { clock: options.clock } : {}),
    logger,
  });
  const probe = probeKeyring(options.keyring, service);
  if (!probe.ok) {
    logger.warn('no system keychain can be used; secrets are kept in an owner-only file (not encrypted)', {
      path: options.filePath,
      reason: probe.reason,
    });
    return file;
  }
  logger.info('secrets are kept in the system keychain', { keychain: probe.keyring.label, service });
  return new KeyringVault(probe.keyring, service, file, options.filePath, logger);
}

/** Secrets in the keychain; the file only for what is still to be moved into it. */
class KeyringVault implements SecretVault {
  private readonly ready: Promise<void>;

  constructor(
    private readonly keyring: Keyring,
    private readonly service: string,
    private readonly file: FileVault,
    private readonly filePath: string,
    private readonly logger: Logger,
  ) {
    this.ready = this.migrate();
  }

  async get(name: string): Promise<string | undefined> {
    await this.ready;
    let value: string | undefined;
    try {
      value = this.keyring.get(this.service, name);
    } catch (error) {
      throw this.failure('read', error);
    }
    if (value !== undefined) return value;
    // Not moved yet (the keychain failed while moving it): the file still has it.
    return this.inFile(name) ? this.file.get(name) : undefined;
  }

  async set(name: string, value: string): Promise<void> {
    await this.ready;
    try {
      this.keyring.set(this.service, name, value);
    } catch (error) {
      throw this.failure('save', error);
    }
    // An older copy left in the file must not come back at the next open: the new one is in place first.
    if (this.inFile(name)) await this.file.delete(name);
  }

  async delete(name: string): Promise<void> {
    await this.ready;
    try {
      this.keyring.delete(this.service, name);
    } catch (error) {
      throw this.failure('delete', error);
    }
    if (this.inFile(name)) await this.file.delete(name);
  }

  protection(): VaultProtection {
    return { backend: `system keychain (${this.keyring.label})`, secure: true };
  }

  notice(): VaultNotice | undefined {
    return this.file.notice();
  }

  /**
   * Moves the file's secrets into the keychain, one by one: written, read back, and only then removed from the
   * file. One the keychain refuses stays in the file (still readable through `get`) and is tried at the next open.
   */
  private async migrate(): Promise<void> {
    let moved = 0;
    for (const name of this.fileNames()) {
      const value = await this.file.get(name).catch(() => undefined);
      if (value === undefined) continue;
      try {
        this.keyring.set(this.service, name, value);
        if (this.keyring.get(this.service, name) !== value) throw new Error('it did not give back what was written');
      } catch (error) {
        this.logger.warn('a secret could not be moved into the system keychain; it stays in the file', {
          name,
          path: this.filePath,
          error: errorText(error),
        });
        continue;
      }
      await this.file.delete(name);
      moved += 1;
    }
    if (moved > 0) this.logger.info('secrets moved from the file into the system keychain', { moved, path: this.filePath });
  }

  private inFile(name: string): boolean {
    return this.fileNames().includes(name);
  }

  /** The names in the file; none when it is absent or unreadable (the file vault reports a damaged one). */
  private fileNames(): string[] {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.filePath, 'utf8'));
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.keys(parsed) : [];
    } catch {
      return [];
    }
  }

  private failure(what: 'read' | 'save' | 'delete', error: unknown): AppError {
    const label = this.keyring.label;
    this.logger.warn(`the system keychain could not ${what} a secret`, { keychain: label, error: errorText(error) });
    return new AppError(
      'vault-keychain-failed',
      `The ${label} could not ${what} the token (${errorText(error)}). If the system asks for access to its ` +
        'keychain, allow it; if the keychain is locked, unlock it (or sign in to the desktop again); then try again.',
    );
  }
}

/** The first line of an error's message: native errors carry their causes on further lines. */
function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.trim();
}
