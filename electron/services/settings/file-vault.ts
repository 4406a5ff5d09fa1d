import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SecretVault, VaultProtection } from '../ports';

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

/**
 * A secret vault in one JSON file (name → base64 of the encoded secret), written atomically with
 * owner-only permissions. The codec decides the protection: Electron's host passes `safeStorage`.
 */
export class FileVault implements SecretVault {
  constructor(
    private readonly path: string,
    private readonly codec: VaultCodec = plainFileCodec,
  ) {}

  async get(name: string): Promise<string | undefined> {
    const value = this.read()[name];
    return value === undefined ? undefined : this.codec.decode(Buffer.from(value, 'base64'));
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

  private read(): Record<string, string> {
    if (!existsSync(this.path)) return {};
    return JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, string>;
  }

  private write(all: Record<string, string>): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temp = `${this.path}.tmp`;
    writeFileSync(temp, JSON.stringify(all), { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.path);
  }
}
