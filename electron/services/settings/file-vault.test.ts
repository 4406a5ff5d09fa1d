import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileVault, type VaultCodec } from './file-vault';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'esa-vault-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Stands in for safeStorage: reversible, and visibly not the plain text. */
const reversing: VaultCodec = {
  encode: (v) => Buffer.from([...v].reverse().join(''), 'utf8'),
  decode: (b) => [...b.toString('utf8')].reverse().join(''),
  protection: () => ({ backend: 'test', secure: true }),
};

describe('file vault', () => {
  it('keeps secrets across instances in an owner-only file, and deletes them', async () => {
    const path = join(dir, 'secrets.json');
    await new FileVault(path).set('client-secret', 'abc8Q~value');
    expect(await new FileVault(path).get('client-secret')).toBe('abc8Q~value');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(new FileVault(path).protection().secure).toBe(false);
    await new FileVault(path).delete('client-secret');
    expect(await new FileVault(path).get('client-secret')).toBeUndefined();
  });

  it('writes only what the codec produces', async () => {
    const path = join(dir, 'secrets.json');
    const vault = new FileVault(path, reversing);
    await vault.set('s', 'plain-secret-value');
    expect(readFileSync(path, 'utf8')).not.toContain('plain-secret-value');
    expect(Buffer.from(JSON.parse(readFileSync(path, 'utf8')).s, 'base64').toString()).toBe('eulav-terces-nialp');
    expect(await vault.get('s')).toBe('plain-secret-value');
    expect(vault.protection()).toEqual({ backend: 'test', secure: true });
  });
});
