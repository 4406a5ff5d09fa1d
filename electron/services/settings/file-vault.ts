import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../../shared/errors';
import type { VaultNotice } from '../../../shared/settings';
import { makeOwnerOnly, ownerOnlyDirMode, ownerOnlyFileMode } from '../app/data-dir';
import { silentLogger, systemClock, type Clock, type Logger, type SecretVault, type VaultProtection } from '../ports';

/** How a vault turns a secret into what is written to disk, and back. */
export interface VaultCodec {
  encode(value: string): Buffer;
  decode(stored: Buffer): string;
  protection(): VaultProtection;
}

/** No encryption: the file is readable only by the current user. For the terminal and browser hosts. */
export const plainFileCodec: VaultCodec = {
  encode: (value) => Buffer.from(value, 'utf8'),
  decode: (stored) => stored.toString('utf8'),
  protection: () => ({ backend: 'file readable only by you (not encrypted)', secure: false }),
};

export interface FileVaultOptions {
  /** Names the moved-aside copy of a damaged file. */
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/**
 * A secret vault in one JSON file (name → base64 of the encoded secret), written atomically with
 * owner-only permissions. The codec decides the protection: Electron's host passes `safeStorage`.
 *
 * A file that cannot be used (unreadable, not JSON, not a map of strings) is treated like a damaged settings file:
 * moved aside under a timestamped name, reported through `notice()`, and the vault starts empty, so the admin can
 * save a new secret instead of meeting an internal error at every test and save.
 */
export class FileVault implements SecretVault {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private movedAside: VaultNotice | undefined;

  constructor(
    private readonly path: string,
    private readonly codec: VaultCodec = plainFileCodec,
    options: FileVaultOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
  }

  async get(name: string): Promise<string | undefined> {
    const value = this.read()[name];
    if (value === undefined) return undefined;
    try {
      return this.codec.decode(Buffer.from(value, 'base64'));
    } catch (error) {
      // Not moved aside: a keychain that is locked, or access the admin denied at the prompt, passes; the file
      // is still good. Saving a new secret replaces the entry without decrypting it.
      this.logger.warn('a stored secret could not be decrypted', { name, error: errorText(error) });
      throw new AppError(
        'vault-undecryptable',
        'The saved client secret could not be decrypted on this computer. If the system asked for access to its ' +
          'keychain, allow it and try again; otherwise enter the client secret again to replace it.',
      );
    }
  }

  async set(name: string, value: string): Promise<void> {
    const all = this.read();
    all[name] = this.codec.encode(value).toString('base64');
    this.write(all);
  }

  async delete(name: string): Promise<void> {
    const all = this.read();
    delete all[name];
    this.write(all);
  }

  protection(): VaultProtection {
    return this.codec.protection();
  }

  /** Set once a damaged file was moved aside in this run. Looks at the file first, so a start-up call finds it. */
  notice(): VaultNotice | undefined {
    if (!this.movedAside) this.read();
    return this.movedAside;
  }

  private read(): Record<string, string> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      return this.moveAside(`it could not be read (${(error as NodeJS.ErrnoException).code ?? errorText(error)})`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.moveAside('it is not valid JSON');
    }
    const isMap =
      typeof parsed === 'object' &&
      parsed !== null &&
      !Array.isArray(parsed) &&
      Object.values(parsed).every((v) => typeof v === 'string');
    return isMap ? (parsed as Record<string, string>) : this.moveAside('it is not a map of names to secrets');
  }

  /** Keeps the damaged file, owner-only, beside the vault and starts an empty one. */
  private moveAside(why: string): Record<string, string> {
    const backupPath = `${this.path}.corrupt-${this.clock.now().toISOString().replace(/[:.]/g, '-')}.json`;
    try {
      renameSync(this.path, backupPath);
      makeOwnerOnly(backupPath);
    } catch (error) {
      throw new AppError(
        'vault-unreadable',
        `The secret store ${this.path} is damaged and could not be moved aside (${(error as NodeJS.ErrnoException).code ?? errorText(error)}). ` +
          'Move or delete that file yourself (check its permissions), then enter the client secret again.',
      );
    }
    this.logger.warn('secret vault could not be used; moved aside', { why, backupPath });
    this.movedAside = {
      code: 'vault-corrupt',
      message:
        `The saved secrets could not be read (${why}), so the file was moved aside and the client secret is missing. ` +
        'Enter the client secret again (Settings → Edit connection, or the setup wizard) to save a new one.',
      backupPath,
    };
    return {};
  }

  private write(all: Record<string, string>): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: ownerOnlyDirMode });
    const temp = `${this.path}.tmp`;
    writeFileSync(temp, JSON.stringify(all), { mode: ownerOnlyFileMode });
    makeOwnerOnly(temp);
    renameSync(temp, this.path);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
