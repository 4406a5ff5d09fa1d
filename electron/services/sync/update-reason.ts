import {
  emailSources,
  usernameSources,
  type PlanReason,
  type SourceUser,
  type SyncPolicy,
  type UserFields,
} from '../../../shared/sync';
import { mapEmail, mapUsername } from './scope';

const usernameRuleWords: Record<SyncPolicy['mapping']['username'], string> = {
  upn: 'the UPN',
  upnLocalPart: 'the UPN without its domain',
  mail: 'the e-mail address (mail)',
  mailNickname: 'the mail nickname',
  onPremisesSamAccountName: 'the on-premises account name',
};

/**
 * Why a user is updated. A username or e-mail the target holds that another mapping rule would still derive from the
 * user's Entra values now was changed by the sync settings, not in Entra: say so ("username rule changed"), so the
 * admin does not go looking for an edit in Entra that never happened.
 */
export function updateReason(
  entra: SourceUser | undefined,
  current: { readonly username: string; readonly email: string | null },
  changed: Partial<UserFields>,
  mapping: SyncPolicy['mapping'],
): PlanReason {
  const byRule: string[] = [];
  if (entra && 'username' in changed) {
    const before = current.username;
    const other = usernameSources.some((username) =>
      [true, false].some(
        (lowercaseUsername) =>
          (username !== mapping.username || lowercaseUsername !== mapping.lowercaseUsername) &&
          mapUsername(entra, { ...mapping, username, lowercaseUsername }) === before,
      ),
    );
    if (other)
      byRule.push(
        `username rule changed (now from ${usernameRuleWords[mapping.username]}${mapping.lowercaseUsername ? ', lower-cased' : ''})`,
      );
  }
  if (entra && 'email' in changed && current.email !== null) {
    const other = emailSources.some((email) =>
      [...emailSources, 'none' as const].some(
        (emailFallback) =>
          (email !== mapping.email || emailFallback !== mapping.emailFallback) &&
          mapEmail(entra, { ...mapping, email, emailFallback }) === current.email,
      ),
    );
    if (other) byRule.push('e-mail rule changed');
  }
  const inEntra = Object.keys(changed).filter(
    (field) =>
      !(field === 'username' && byRule.some((r) => r.startsWith('username'))) &&
      !(field === 'email' && byRule.includes('e-mail rule changed')),
  );
  if (byRule.length === 0) return { code: 'attributes-changed', message: `Changed in Entra: ${inEntra.join(', ')}.` };
  const rule = byRule.join('; ');
  const message = `Sync settings: ${rule}.${inEntra.length > 0 ? ` Changed in Entra: ${inEntra.join(', ')}.` : ''}`;
  return { code: 'mapping-changed', message };
}
