/**
 * What the demo Bitbucket holds before any sync: the administrator the app signs in as, the administrator groups and
 * the licensing groups as global permissions (`stash-users` and `contractors` license, `sys-admins` is SYS_ADMIN), a
 * user of the read-only LDAP directory, a plain user, one matched later by username in another case, and one
 * without a licence.
 */
import { LDAP_DIRECTORY, type BitbucketModel, type GlobalPermission, type NewBitbucketUser } from './model';

export const SEED_GROUPS: readonly (readonly [string, GlobalPermission])[] = [
  ['sys-admins', 'SYS_ADMIN'],
  ['stash-users', 'LICENSED_USER'],
  ['contractors', 'LICENSED_USER'],
];

/** The pre-existing users; `groups` names the seed groups each belongs to. */
export const SEED_USERS: readonly (NewBitbucketUser & { readonly groups: readonly string[] })[] = [
  {
    name: 'admin',
    emailAddress: 'bitbucket-admin@example.com',
    displayName: 'Bitbucket Administrator',
    groups: ['sys-admins', 'stash-users'],
  },
  {
    name: 'carol.ldap',
    emailAddress: 'carol.ldap@corp.example.com',
    displayName: 'Carol (LDAP)',
    directoryId: LDAP_DIRECTORY.id,
    groups: ['stash-users'],
  },
  { name: 'jsmith', emailAddress: 'john.smith@example.com', displayName: 'John Smith', groups: ['stash-users'] },
  { name: 'Anna.Berg', emailAddress: 'anna.berg@example.com', displayName: 'Anna Berg', groups: ['stash-users', 'contractors'] },
  { name: 'old.timer', emailAddress: 'old.timer@example.com', displayName: 'Old Timer', groups: [] },
];

/** Fills `model` with the seed groups and permissions, the seed users and `extra` users (internal, licensed). */
export function seedBitbucket(model: BitbucketModel, extra: readonly NewBitbucketUser[] = []): void {
  for (const [name, permission] of SEED_GROUPS) {
    model.createGroup(name);
    model.groupPermissions.set(name, permission);
  }
  for (const seed of SEED_USERS) {
    const user = model.createUser(seed);
    for (const g of seed.groups) {
      const group = model.findGroup(g);
      if (group) model.putMember(group, user);
    }
  }
  for (const input of extra) model.createUser(input, true);
}
