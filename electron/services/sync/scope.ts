import type { SourceUser, SyncPolicy, UserFields } from '../../../shared/sync';
import type { SourceDirectory } from './model';

/**
 * The policy's scope and mapping rules, pure: which users and groups are in scope, what a user's target username
 * and e-mail are, and which memberships a target group should have.
 */

/** A guest: `userType` Guest, or (for objects read without userType) a UPN carrying `#EXT#`. */
export function isGuest(user: SourceUser): boolean {
  if (user.userType) return user.userType.toLowerCase() === 'guest';
  return user.upn.includes('#EXT#');
}

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** The target username the policy derives for a user, or null when the chosen attribute is empty. */
export function mapUsername(user: SourceUser, mapping: SyncPolicy['mapping']): string | null {
  let value: string | null;
  switch (mapping.username) {
    case 'upn':
      value = blankToNull(user.upn);
      break;
    case 'upnLocalPart': {
      const upn = blankToNull(user.upn);
      const at = upn?.lastIndexOf('@') ?? -1;
      value = upn && at > 0 ? upn.slice(0, at) : upn;
      break;
    }
    case 'mail':
      value = blankToNull(user.mail);
      break;
    case 'mailNickname':
      value = blankToNull(user.mailNickname);
      break;
    case 'onPremisesSamAccountName':
      value = blankToNull(user.onPremisesSamAccountName);
      break;
  }
  if (value === null) return null;
  return mapping.lowercaseUsername ? value.toLowerCase() : value;
}

function emailFrom(user: SourceUser, source: 'mail' | 'upn'): string | null {
  if (source === 'mail') return blankToNull(user.mail);
  // A guest's UPN (alice_contoso.com#EXT#@tenant.onmicrosoft.com) is not a mailbox anyone reads.
  const upn = blankToNull(user.upn);
  return upn && !upn.includes('#EXT#') ? upn : null;
}

/** The e-mail address the policy derives: the chosen attribute, else the fallback, else null. */
export function mapEmail(user: SourceUser, mapping: SyncPolicy['mapping']): string | null {
  const primary = emailFrom(user, mapping.email);
  if (primary || mapping.emailFallback === 'none') return primary;
  return emailFrom(user, mapping.emailFallback);
}

/** All target fields for a user; `username` null when it cannot be derived. */
export function mapUser(
  user: SourceUser,
  mapping: SyncPolicy['mapping'],
): Omit<UserFields, 'username'> & { username: string | null } {
  return {
    username: mapUsername(user, mapping),
    email: mapEmail(user, mapping),
    displayName: blankToNull(user.displayName),
    givenName: blankToNull(user.givenName),
    surname: blankToNull(user.surname),
  };
}

/** Users that are members of `groupIds`, directly or through nested groups (cycles are tolerated). */
export function nestedUserMembers(source: SourceDirectory, groupIds: Iterable<string>): Set<string> {
  const users = new Set<string>();
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const id of groupIds) {
    if (!seen.has(id)) {
      seen.add(id);
      queue.push(id);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const members = source.members.get(queue[i]!);
    if (!members) continue;
    for (const member of members) {
      if (source.users.has(member)) users.add(member);
      else if (source.groups.has(member) && !seen.has(member)) {
        seen.add(member);
        queue.push(member);
      }
    }
  }
  return users;
}

/** Whether the guest and disabled-account rules let `user` in (group scope aside). */
export function passesUserFilters(user: SourceUser, policy: SyncPolicy): boolean {
  if (policy.users.guests === 'exclude' && isGuest(user)) return false;
  return policy.users.disabledAccounts !== 'exclude' || user.accountEnabled;
}

/** The ids the user scope starts from: every user, or the (nested) members of the required groups. */
export function userScopeCandidates(source: SourceDirectory, policy: SyncPolicy): Iterable<string> {
  return policy.users.scope === 'requiredGroups' ? nestedUserMembers(source, policy.users.requiredGroupIds) : source.users.keys();
}

/** The ids of the users the policy puts in scope (before username conflicts are looked at). */
export function usersInScope(source: SourceDirectory, policy: SyncPolicy): Set<string> {
  const result = new Set<string>();
  for (const id of userScopeCandidates(source, policy)) {
    const user = source.users.get(id);
    if (user && passesUserFilters(user, policy)) result.add(id);
  }
  return result;
}

/** Compiles the comma-separated globs of `namePattern` into one case-insensitive test. */
export function compileNamePattern(pattern: string): (name: string) => boolean {
  const globs = pattern
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (globs.length === 0) return () => false;
  const escape = (s: string) => s.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  const source = globs.map((g) => escape(g).replace(/\*/g, '.*').replace(/\?/g, '.')).join('|');
  const regex = new RegExp(`^(?:${source})$`, 'i');
  return (name) => regex.test(name);
}

/** The ids of the groups the policy syncs. */
export function groupsInScope(source: SourceDirectory, policy: SyncPolicy): Set<string> {
  switch (policy.groups.scope) {
    case 'all':
      return new Set(source.groups.keys());
    case 'requiredGroups':
      return new Set(policy.users.requiredGroupIds.filter((id) => source.groups.has(id)));
    case 'namePattern': {
      const matches = compileNamePattern(policy.groups.namePattern);
      const result = new Set<string>();
      for (const group of source.groups.values()) {
        if (group.displayName && matches(group.displayName)) result.add(group.id);
      }
      return result;
    }
  }
}

/** The target name of a group: its display name, or its id when Entra has none. */
export function groupName(displayName: string | null, id: string): string {
  return displayName?.trim() || id;
}
