import type { TargetList } from '../../../shared/contract/targets';

/**
 * Where target tokens are kept, as one sentence under the list: the system keychain, or (no keychain could be used
 * on this computer) the owner-only file, named with its path so the admin knows what to protect.
 */
export function vaultWords(vault: TargetList['vault']): string {
  return vault.secure
    ? `Tokens are kept in the ${vault.backend}; they are never shown again.`
    : `No system keychain was found; tokens are kept in an ${vault.backend}. They are never shown again.`;
}
