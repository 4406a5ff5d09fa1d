import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SecretVault } from '../ports';
import { FileVault } from '../settings/file-vault';
import { connectionSecretVaultKey, SecretKeeper } from './secret-keeper';

/** A vault that reports strong protection (as safeStorage with a keychain would), backed by a map. */
class StrongVault implements SecretVault {
  readonly values = new Map<string, string>();
  async get(name: string) {
    return this.values.get(name);
  }
  async set(name: string, value: string) {
    this.values.set(name, value);
  }
  async delete(name: string) {
    this.values.delete(name);
  }
  protection() {
    return { backend: 'keychain', secure: true };
  }
}

// Shaped like a current secret (40 characters, 8Q~ at 3–5), built at run time so no secret-like literal is committed.
const secret = 'Abc8Q~' + 'abcdefghijklmnopqrstuvwxyz01234567'.slice(0, 34);

describe('SecretKeeper', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'esa-keeper-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores in a secure vault without asking', async () => {
    const vault = new StrongVault();
    const keeper = new SecretKeeper(vault);
    expect(await keeper.keep(secret, 'unasked')).toBe('stored');
    expect(vault.values.get(connectionSecretVaultKey)).toBe(secret);
    expect(keeper.inMemory()).toBe(false);
  });

  it('keeps the secret in memory while the admin has not accepted weak storage, then stores it on request', async () => {
    const path = join(dir, 'secrets.json');
    const keeper = new SecretKeeper(new FileVault(path));
    expect(keeper.secure()).toBe(false);
    expect(await keeper.keep(secret, 'unasked')).toBe('memory');
    expect(keeper.inMemory()).toBe(true);
    expect(await keeper.current()).toBe(secret);
    expect(readFileSync(path, 'utf8')).not.toContain(Buffer.from(secret).toString('base64'));

    expect(await keeper.persistMemory()).toBe(true);
    expect(keeper.inMemory()).toBe(false);
    expect(await new FileVault(path).get(connectionSecretVaultKey)).toBe(secret);
  });

  it('declining weak storage takes a stored secret out of the vault', async () => {
    const path = join(dir, 'secrets.json');
    const keeper = new SecretKeeper(new FileVault(path));
    expect(await keeper.keep(secret, 'accepted')).toBe('stored');
    expect(await keeper.unpersist()).toBe(true);
    expect(await new FileVault(path).get(connectionSecretVaultKey)).toBeUndefined();
    expect(await keeper.current()).toBe(secret);
    await keeper.forget();
    expect(await keeper.current()).toBeUndefined();
  });

  it('a new secret kept in memory replaces an older stored one', async () => {
    const path = join(dir, 'secrets.json');
    const keeper = new SecretKeeper(new FileVault(path));
    await keeper.keep('old-secret-value-0123456789', 'accepted');
    expect(await keeper.keep(secret, 'declined')).toBe('memory');
    expect(await new FileVault(path).get(connectionSecretVaultKey)).toBeUndefined();
    expect(await keeper.current()).toBe(secret);
  });
});

describe('SecretKeeper.hold', () => {
  it('holds an untested secret in memory as the one in use, until a passing test keeps it', async () => {
    const vault = new StrongVault();
    const keeper = new SecretKeeper(vault);
    await keeper.keep('old-secret-value-0123456789', 'unasked');
    await keeper.hold(secret);
    expect(keeper.holdsUntested()).toBe(true);
    expect(keeper.inMemory()).toBe(true);
    expect(await keeper.current()).toBe(secret);
    expect(vault.values.has(connectionSecretVaultKey)).toBe(false);
    expect(await keeper.keep(secret, 'unasked')).toBe('stored');
    expect(keeper.holdsUntested()).toBe(false);
    expect(vault.values.get(connectionSecretVaultKey)).toBe(secret);
  });
});
