import { describe, expect, it } from 'vitest';
import { vaultWords } from './vault-words';

describe('vaultWords', () => {
  it('names the keychain when the tokens are in it', () => {
    expect(vaultWords({ backend: 'system keychain (macOS Keychain)', secure: true })).toBe(
      'Tokens are kept in the system keychain (macOS Keychain); they are never shown again.',
    );
  });

  it('says that no keychain was found, and where the file is, when they are not', () => {
    expect(vaultWords({ backend: 'owner-only file at /data/target-secrets.json (not encrypted)', secure: false })).toBe(
      'No system keychain was found; tokens are kept in an owner-only file at /data/target-secrets.json (not encrypted). ' +
        'They are never shown again.',
    );
  });
});
