/**
 * What the demo Crowd holds before any sync: Crowd's administrator (in `crowd-administrators`), a user of the
 * read-only LDAP directory, plain users for matching by username (in another case) or e-mail, and an inactive one.
 */
import { LDAP_DIRECTORY, type CrowdModel, type NewCrowdUser } from './model';

export const SEED_GROUPS = ['crowd-administrators', 'crowd-users'] as const;

/** The pre-existing users; `groups` names the seed groups each belongs to. */
export const SEED_USERS: readonly (NewCrowdUser & { readonly groups: readonly string[] })[] = [
  {
    name: 'admin',
    firstName: 'Crowd',
    lastName: 'Administrator',
    displayName: 'Crowd Administrator',
    email: 'crowd-admin@example.com',
    groups: ['crowd-administrators', 'crowd-users'],
  },
  {
    name: 'carol.ldap',
    firstName: 'Carol',
    lastName: 'Ldap',
    displayName: 'Carol (LDAP)',
    email: 'carol.ldap@corp.example.com',
    directoryId: LDAP_DIRECTORY.id,
    groups: ['crowd-users'],
  },
  {
    name: 'jsmith',
    firstName: 'John',
    lastName: 'Smith',
    displayName: 'John Smith',
    email: 'john.smith@example.com',
    groups: ['crowd-users'],
  },
  {
    name: 'Anna.Berg',
    firstName: 'Anna',
    lastName: 'Berg',
    displayName: 'Anna Berg',
    email: 'anna.berg@example.com',
    groups: ['crowd-users'],
  },
  {
    name: 'old.timer',
    firstName: 'Old',
    lastName: 'Timer',
    displayName: 'Old Timer',
    email: 'old.timer@example.com',
    active: false,
    groups: [],
  },
];

/** Fills `model` with the seed groups and users, and `extra` users (in the first writable directory). */
export function seedCrowd(model: CrowdModel, extra: readonly NewCrowdUser[] = []): void {
  for (const name of SEED_GROUPS) model.createGroup(name, `${name} (seeded)`, true);
  for (const seed of SEED_USERS) {
    const user = model.createUser(seed, true);
    for (const g of seed.groups) model.addMember(model.mustGroup(g), user, true);
  }
  for (const input of extra) model.createUser(input, true);
}
