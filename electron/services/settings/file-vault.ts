import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SecretVault, VaultProtection } from '../ports';

/**
 * A secret vault in a file readable only by the current user, for the terminal and browser hosts.
 *
 * It is not encryption: `protection()` says so, and the UI warns. The Electron host uses `safeStorage`.
 */
export class FileVault implements SecretVault {
  constructor(private readonly path: string) {}

  async get(name: string): Promise<string | undefined> {
    const value = this.read()[name];
    return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');
  }

  async set(name: string, value: string): Promise<void> {
    const all = this.read();
    all[name] = Buffer.from(value, 'utf8').toString('base64');
    this.write(all);
  }

  async delete(name: string): Promise<void> {
    const all = this.read();
    delete all[name];
    this.write(all);
  }

  protection(): VaultProtection {
    return { backend: 'file readable only by you (not encrypted)', secure: false };
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
