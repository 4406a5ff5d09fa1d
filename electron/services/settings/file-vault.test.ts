import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { silentLogger, type Clock } from '../ports';
import { FileVault, type VaultCodec } from './file-vault';

const fixedClock: Clock = { now: () => new Date('2026-03-04T05:06:07.089Z'), setTimeout: () => () => {} };

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

  describe('a damaged vault file', () => {
    const damaged = '{"connection.clientSecret": "YWJj'; // cut mid-write: not JSON

    it('is moved aside owner-only with a timestamped name, reported, and a new secret can be saved', async () => {
      const path = join(dir, 'secrets.json');
      writeFileSync(path, damaged, { mode: 0o644 });
      const vault = new FileVault(path, undefined, { clock: fixedClock, logger: silentLogger });
      expect(await vault.get('connection.clientSecret')).toBeUndefined();
      const notice = vault.notice();
      expect(notice?.code).toBe('vault-corrupt');
      expect(notice?.backupPath).toBe(join(dir, 'secrets.json.corrupt-2026-03-04T05-06-07-089Z.json'));
      expect(notice?.message).toMatch(/client secret .*again/i);
      expect(readFileSync(notice!.backupPath, 'utf8')).toBe(damaged);
      if (process.platform !== 'win32') expect(statSync(notice!.backupPath).mode & 0o777).toBe(0o600);

      await vault.set('connection.clientSecret', 'new8Q~value');
      expect(await new FileVault(path).get('connection.clientSecret')).toBe('new8Q~value');
      // The damaged file is still there, untouched, beside the new vault.
      expect(readdirSync(dir).sort()).toEqual(['secrets.json', 'secrets.json.corrupt-2026-03-04T05-06-07-089Z.json']);
      expect(vault.notice()).toBe(notice);
    });

    it('is found before anything is asked of it, so the app can say so at start', () => {
      const path = join(dir, 'secrets.json');
      writeFileSync(path, JSON.stringify(['not', 'a', 'map']));
      const vault = new FileVault(path, undefined, { clock: fixedClock });
      expect(vault.notice()?.code).toBe('vault-corrupt');
    });

    it('is kept when the codec cannot decrypt it (a locked keychain passes), with a coded error, and can be replaced', async () => {
      const path = join(dir, 'secrets.json');
      const failing: VaultCodec = {
        ...reversing,
        decode: () => {
          throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
        },
      };
      await new FileVault(path, reversing).set('s', 'value');
      const before = readFileSync(path, 'utf8');
      const vault = new FileVault(path, failing, { clock: fixedClock });
      const error = await vault.get('s').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('vault-undecryptable');
      expect((error as AppError).message).not.toContain('ciphertext');
      expect(vault.notice()).toBeUndefined();
      expect(readFileSync(path, 'utf8')).toBe(before);
      await vault.set('s', 'replaced');
      expect(await new FileVault(path, reversing).get('s')).toBe('replaced');
    });

    it('says what to do, with a code, when it cannot even be moved aside', async () => {
      const path = join(dir, 'secrets.json');
      writeFileSync(path, damaged);
      // A folder already at the backup's name makes the move fail for any user, root included.
      mkdirSync(join(dir, 'secrets.json.corrupt-2026-03-04T05-06-07-089Z.json', 'occupied'), { recursive: true });
      const error = await new FileVault(path, undefined, { clock: fixedClock }).get('x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('vault-unreadable');
      expect((error as AppError).message).toContain(path);
      expect(readFileSync(path, 'utf8')).toBe(damaged);
    });
  });

  it('has nothing to report for a missing or healthy file', async () => {
    const path = join(dir, 'secrets.json');
    expect(new FileVault(path).notice()).toBeUndefined();
    await new FileVault(path).set('a', 'b');
    expect(new FileVault(path).notice()).toBeUndefined();
  });
});
