import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../ports';
import { FileVault } from './file-vault';
import { keychainService, openKeyringVault, probeKeyring, type Keyring } from './keyring-vault';
import { systemKeyring } from './keyring-vault-system';

let dir: string;
let filePath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'esa-keyring-'));
  filePath = join(dir, 'target-secrets.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A keychain in memory; `failSet(n)` makes the n-th write from now on throw, `failAll` every call. */
function memoryKeyring() {
  const entries = new Map<string, string>();
  let writes = 0;
  let failAt = 0;
  let failAll = false;
  const key = (service: string, account: string) => `${service}\u0000${account}`;
  const check = () => {
    if (failAll) throw new Error('the keychain is locked');
  };
  const keyring: Keyring = {
    label: 'Test Keychain',
    get: (s, a) => (check(), entries.get(key(s, a))),
    set: (s, a, v) => {
      check();
      writes += 1;
      if (writes === failAt) throw new Error('write refused');
      entries.set(key(s, a), v);
    },
    delete: (s, a) => (check(), void entries.delete(key(s, a))),
  };
  return {
    keyring,
    entries: () => [...entries].map(([k, v]) => [k.split('\u0000')[1]!, v] as const),
    failSet: (n: number) => (failAt = writes + n),
    failAll: (on: boolean) => (failAll = on),
  };
}

function recordingLogger() {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    void lines.push({ level, message, fields });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines, text: () => JSON.stringify(lines) };
}

const fileNames = () => (existsSync(filePath) ? Object.keys(JSON.parse(readFileSync(filePath, 'utf8')) as object) : []);

describe('keyring vault', () => {
  it('on this machine (no Secret Service) falls back to the owner-only file at open, says so once, and works', async () => {
    // A Linux without a session bus (this container, CI, a server) has no Secret Service. Where a keychain answers
    // (a desktop), the in-memory keychain below covers the keychain path, and this test has nothing to show.
    if (process.platform !== 'linux' || process.env.DBUS_SESSION_BUS_ADDRESS) return;
    const probe = probeKeyring(systemKeyring);
    expect(probe).toEqual({ ok: false, reason: expect.stringMatching(/^the Secret Service could not be used \(.*DBus/) });
    const log = recordingLogger();
    const vault = openKeyringVault({ filePath, keyring: systemKeyring, logger: log.logger });
    // Decided at open, before any secret: the warning is already there, naming the file.
    expect(log.lines).toEqual([expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ path: filePath }) })]);
    expect(vault.protection()).toEqual({ backend: `owner-only file at ${filePath} (not encrypted)`, secure: false });

    await vault.set('target:jira-a:token', 'tok-fallback-1');
    expect(await openKeyringVault({ filePath, keyring: systemKeyring }).get('target:jira-a:token')).toBe('tok-fallback-1');
    expect(statSync(filePath).mode & 0o777).toBe(0o600);
    await vault.delete('target:jira-a:token');
    expect(await vault.get('target:jira-a:token')).toBeUndefined();
    expect(log.lines).toHaveLength(1);
    expect(log.text()).not.toContain('tok-fallback-1');
  });

  it('keeps secrets in the keychain, never in the file, and says so once', async () => {
    const mem = memoryKeyring();
    const log = recordingLogger();
    const vault = openKeyringVault({ filePath, keyring: () => mem.keyring, logger: log.logger });
    expect(vault.protection()).toEqual({ backend: 'system keychain (Test Keychain)', secure: true });
    expect(log.lines).toEqual([expect.objectContaining({ level: 'info', message: expect.stringMatching(/keychain/) })]);
    // The probe cleaned up after itself.
    expect(mem.entries()).toEqual([]);

    await vault.set('target:jira-a:token', 'tok-keychain-1');
    expect(mem.entries()).toEqual([['target:jira-a:token', 'tok-keychain-1']]);
    expect(existsSync(filePath)).toBe(false);
    expect(await openKeyringVault({ filePath, keyring: () => mem.keyring }).get('target:jira-a:token')).toBe('tok-keychain-1');
    await vault.delete('target:jira-a:token');
    expect(await vault.get('target:jira-a:token')).toBeUndefined();
    expect(mem.entries()).toEqual([]);
    expect(log.text()).not.toContain('tok-keychain-1');
  });

  it('moves the tokens an earlier version left in the file into the keychain, then out of the file', async () => {
    const old = new FileVault(filePath);
    await old.set('target:a:token', 'tok-a');
    await old.set('target:b:token', 'tok-b');
    await old.set('target:c:token', 'tok-c');
    const mem = memoryKeyring();
    const vault = openKeyringVault({ filePath, keyring: () => mem.keyring });
    expect(await vault.get('target:b:token')).toBe('tok-b');
    expect(new Map(mem.entries())).toEqual(
      new Map([
        ['target:a:token', 'tok-a'],
        ['target:b:token', 'tok-b'],
        ['target:c:token', 'tok-c'],
      ]),
    );
    expect(fileNames()).toEqual([]);
  });

  it('loses no token when the keychain fails while they move: the refused one stays in the file and moves later', async () => {
    const old = new FileVault(filePath);
    await old.set('target:a:token', 'tok-a');
    await old.set('target:b:token', 'tok-b');
    await old.set('target:c:token', 'tok-c');
    const mem = memoryKeyring();
    const log = recordingLogger();
    // The probe is write 1; the second token's write (write 3) is refused.
    mem.failSet(3);
    const vault = openKeyringVault({ filePath, keyring: () => mem.keyring, logger: log.logger });
    for (const n of ['a', 'b', 'c']) expect(await vault.get(`target:${n}:token`)).toBe(`tok-${n}`);
    expect(fileNames()).toEqual(['target:b:token']);
    expect(
      mem
        .entries()
        .map(([name]) => name)
        .sort(),
    ).toEqual(['target:a:token', 'target:c:token']);
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([
      expect.objectContaining({ fields: expect.objectContaining({ name: 'target:b:token', error: 'write refused' }) }),
    ]);
    expect(log.text()).not.toMatch(/tok-[abc]/);

    // The next open moves the rest.
    const again = openKeyringVault({ filePath, keyring: () => mem.keyring });
    expect(await again.get('target:b:token')).toBe('tok-b');
    expect(fileNames()).toEqual([]);
    expect(mem.entries()).toHaveLength(3);
  });

  it('keeps a token in the file when the keychain does not give it back', async () => {
    await new FileVault(filePath).set('target:a:token', 'tok-a');
    const mem = memoryKeyring();
    // The probe's own entry is kept; every other write vanishes silently.
    const forgetful: Keyring = {
      ...mem.keyring,
      set: (s, a, v) => (a.startsWith('probe-') ? mem.keyring.set(s, a, v) : undefined),
    };
    const vault = openKeyringVault({ filePath, keyring: () => forgetful });
    expect(vault.protection().secure).toBe(true);
    expect(await vault.get('target:a:token')).toBe('tok-a');
    expect(fileNames()).toEqual(['target:a:token']);
  });

  it('a newer token saved in the keychain replaces an older one left in the file', async () => {
    await new FileVault(filePath).set('target:a:token', 'tok-old');
    const mem = memoryKeyring();
    mem.failSet(2); // the move fails: the old token stays in the file
    const vault = openKeyringVault({ filePath, keyring: () => mem.keyring });
    expect(await vault.get('target:a:token')).toBe('tok-old');
    await vault.set('target:a:token', 'tok-new');
    expect(fileNames()).toEqual([]);
    expect(await openKeyringVault({ filePath, keyring: () => mem.keyring }).get('target:a:token')).toBe('tok-new');
  });

  it('a keychain that fails after open: clear errors, nothing written to the file instead', async () => {
    const mem = memoryKeyring();
    const vault = openKeyringVault({ filePath, keyring: () => mem.keyring });
    await vault.set('target:a:token', 'tok-a');
    mem.failAll(true);
    await expect(vault.set('target:b:token', 'tok-b')).rejects.toMatchObject({
      code: 'vault-keychain-failed',
      message: expect.stringMatching(/Test Keychain could not save the token \(the keychain is locked\).*unlock it/),
    });
    await expect(vault.get('target:a:token')).rejects.toMatchObject({ code: 'vault-keychain-failed' });
    await expect(vault.delete('target:a:token')).rejects.toMatchObject({ code: 'vault-keychain-failed' });
    expect(existsSync(filePath)).toBe(false);
    mem.failAll(false);
    expect(await vault.get('target:a:token')).toBe('tok-a');
  });

  it('falls back when the keychain cannot be opened or fails the probe, and the file keeps working', async () => {
    await new FileVault(filePath).set('target:a:token', 'tok-a');
    const unloadable = openKeyringVault({
      filePath,
      keyring: () => {
        throw new Error('Cannot find module keyring.darwin-arm64.node\n    at stack');
      },
    });
    expect(unloadable.protection().secure).toBe(false);
    expect(await unloadable.get('target:a:token')).toBe('tok-a');
    expect(
      probeKeyring(() => {
        throw new Error('Cannot find module x\n    at stack');
      }),
    ).toEqual({ ok: false, reason: 'the keychain module could not be loaded (Cannot find module x)' });

    const mem = memoryKeyring();
    mem.failAll(true);
    const log = recordingLogger();
    const locked = openKeyringVault({ filePath, keyring: () => mem.keyring, logger: log.logger });
    expect(locked.protection().backend).toBe(`owner-only file at ${filePath} (not encrypted)`);
    expect(log.lines[0]?.fields?.reason).toBe('the Test Keychain could not be used (the keychain is locked)');
    expect(await locked.get('target:a:token')).toBe('tok-a');
    expect(fileNames()).toEqual(['target:a:token']);
  });

  it('files secrets under the app name, one account per entry', async () => {
    const mem = memoryKeyring();
    const seen: string[] = [];
    const vault = openKeyringVault({
      filePath,
      keyring: () => ({ ...mem.keyring, set: (s, a, v) => (seen.push(`${s}/${a}`), mem.keyring.set(s, a, v)) }),
    });
    await vault.set('target:jira-x:token', 't');
    expect(seen.at(-1)).toBe(`${keychainService}/target:jira-x:token`);
    expect(keychainService).toBe('Entra Sync Assistant');
  });
});
