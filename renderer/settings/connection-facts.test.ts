import { describe, expect, it } from 'vitest';
import type { ValidationSummary } from '../../shared/contract/connection';
import { checkCounts, cloudLabel, connectionHealth, dataFiles, secretStorageFacts, secretText } from './connection-facts';

const summary = (over: Partial<ValidationSummary>): ValidationSummary => ({
  at: '2026-11-26T09:00:00.000Z',
  ok: true,
  requiredPassed: true,
  counts: { pass: 8, warning: 0, fail: 0, skipped: 0 },
  problems: [],
  ...over,
});

describe('connection facts for the settings page', () => {
  it('says how the connection stands as the dashboard does', () => {
    expect(connectionHealth(undefined)).toBe('untested');
    expect(connectionHealth(summary({}))).toBe('ok');
    expect(connectionHealth(summary({ counts: { pass: 7, warning: 1, fail: 0, skipped: 0 } }))).toBe('warning');
    // The expiry check may fail while the required checks pass: working, with warnings.
    expect(connectionHealth(summary({ ok: false, counts: { pass: 7, warning: 0, fail: 1, skipped: 0 } }))).toBe('warning');
    expect(connectionHealth(summary({ ok: false, requiredPassed: false }))).toBe('failing');
  });

  it('counts checks in words', () => {
    expect(checkCounts(summary({}))).toBe('8 checks passed');
    expect(checkCounts(summary({ counts: { pass: 1, warning: 1, fail: 2, skipped: 4 } }))).toBe(
      '1 check passed, 1 warning, 2 failed',
    );
  });

  it('names the cloud, and the demo tenant as such', () => {
    expect(cloudLabel('global', false)).toMatch(/Global/);
    expect(cloudLabel('custom', true)).toBe('Demo tenant (emulated on this computer)');
  });

  it('says where the secret is, never more than its hint', () => {
    const base = { secretHint: 'abc••••••', vaultBackend: 'gnome_libsecret', secretStored: true, secretInMemory: false };
    expect(secretText(base)).toBe('abc•••••• — saved in the secret store: gnome_libsecret');
    expect(secretText({ ...base, secretStored: false, secretInMemory: true })).toMatch(/memory only: lost when the app quits/);
    expect(secretText({ ...base, secretStored: false })).toMatch(/^Not saved/);
  });

  it('says plainly when the secret is only obfuscated (Linux without a keyring)', () => {
    const linux = secretStorageFacts({
      host: 'electron',
      platform: 'linux',
      secretStorageSecure: false,
      secretStorageBackend: 'basic_text',
    });
    expect(linux).toMatchObject({ secure: false, title: 'No keyring found: the client secret is only obfuscated' });
    expect(linux.body).toMatch(/GNOME Keyring or KWallet/);
    expect(
      secretStorageFacts({
        host: 'electron',
        platform: 'darwin',
        secretStorageSecure: true,
        secretStorageBackend: 'macOS Keychain',
      }),
    ).toMatchObject({ secure: true, title: 'The client secret is encrypted' });
    expect(
      secretStorageFacts({ host: 'browser', platform: 'linux', secretStorageSecure: false, secretStorageBackend: 'file' }).body,
    ).toMatch(/not encrypted/);
  });

  it('lists the data files, the desktop logs by the Help menu', () => {
    expect(dataFiles('browser').map((f) => f.name)).toEqual(['settings.json', 'secrets.json', 'sync.db', 'demo/sync.db', 'logs']);
    expect(dataFiles('electron')[4]?.holds).toMatch(/Help → Open the log folder/);
  });
});
