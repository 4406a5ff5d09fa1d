import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../command';
import { main } from '../index';
import { vaultLine } from './targets';

/**
 * `entra-sync targets` says where the tokens are kept. On this container (Linux without a session bus) no keychain
 * answers, so the owner-only file is in use and both the help and the list say so; the keychain's words are checked
 * on the formatter (the keychain path itself: keyring-vault.test.ts, on an in-memory keychain).
 */
let dataDir: string;
beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'cli-targets-vault-'))));
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: {},
    stopSignal: new Promise(() => {}),
  };
  const code = await main([...args, '--data-dir', dataDir], io);
  return { code, stdout, stderr };
}

const noKeychainHere = process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS;

describe('entra-sync targets: where the tokens are kept', () => {
  it.runIf(noKeychainHere)('--help says no keychain was found here, and why', async () => {
    // The tests' own setting (vitest.config.ts) would answer first: this one is about the probe.
    const forced = process.env.ENTRA_SYNC_VAULT;
    delete process.env.ENTRA_SYNC_VAULT;
    const help = await cli(['targets', '--help']).finally(() => (process.env.ENTRA_SYNC_VAULT = forced));
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('is kept in the system keychain (macOS Keychain, Windows Credential Manager');
    expect(help.stdout).toMatch(
      /On this computer: no system keychain was found \(the Secret Service could not be used \(.*DBus.*\)\); tokens are kept in <data folder>\/target-secrets\.json\./,
    );
  });

  it('--help says when ENTRA_SYNC_VAULT=file keeps the tokens in the file', async () => {
    expect(process.env.ENTRA_SYNC_VAULT).toBe('file');
    const help = await cli(['targets', '--help']);
    expect(help.stdout).toContain(
      'On this computer: ENTRA_SYNC_VAULT=file, so tokens are kept in <data folder>/target-secrets.json.',
    );
  });

  it.runIf(noKeychainHere)('list says the owner-only file is in use, with its path, in words and in JSON', async () => {
    const file = join(dataDir, 'target-secrets.json');
    const listed = await cli(['targets', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(
      `No system keychain was found; tokens are kept in an owner-only file at ${file} (not encrypted).\n`,
    );
    const json = JSON.parse((await cli(['targets', 'list', '--json'])).stdout) as { vault: unknown };
    expect(json.vault).toEqual({ backend: `owner-only file at ${file} (not encrypted)`, secure: false });
  });

  it('names the keychain when one is in use', () => {
    expect(vaultLine({ backend: 'system keychain (Windows Credential Manager)', secure: true })).toBe(
      'Tokens are kept in the system keychain (Windows Credential Manager).\n',
    );
  });
});
