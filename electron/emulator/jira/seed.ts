/**
 * What the demo Jira holds before any sync: the administrator whose token the app gets, the administrator groups,
 * a user of the read-only LDAP directory, and plain users for matching by username (in another case) or e-mail.
 */
import { LDAP_DIRECTORY, type JiraModel, type NewJiraUser } from './model';

export const SEED_GROUPS = ['jira-administrators', 'jira-system-administrators', 'jira-software-users'] as const;

/** The pre-existing users; `groups` names the seed groups each belongs to. */
export const SEED_USERS: readonly (NewJiraUser & { readonly groups: readonly string[] })[] = [
  {
    name: 'admin',
    legacyKey: true,
    emailAddress: 'jira-admin@example.com',
    displayName: 'Jira Administrator',
    groups: ['jira-administrators', 'jira-system-administrators', 'jira-software-users'],
  },
  {
    name: 'carol.ldap',
    legacyKey: true,
    emailAddress: 'carol.ldap@corp.example.com',
    displayName: 'Carol (LDAP)',
    directoryId: LDAP_DIRECTORY.id,
    groups: ['jira-software-users'],
  },
  {
    name: 'jsmith',
    legacyKey: true,
    emailAddress: 'john.smith@example.com',
    displayName: 'John Smith',
    groups: ['jira-software-users'],
  },
  {
    name: 'Anna.Berg',
    emailAddress: 'anna.berg@example.com',
    displayName: 'Anna Berg',
    groups: ['jira-software-users'],
  },
  {
    name: 'old.timer',
    legacyKey: true,
    emailAddress: 'old.timer@example.com',
    displayName: 'Old Timer',
    active: false,
    groups: [],
  },
];

/** Fills `model` with the seed groups, the seed users and `extra` users (in the internal directory). */
export function seedJira(model: JiraModel, extra: readonly NewJiraUser[] = []): void {
  for (const name of SEED_GROUPS) model.createGroup(name);
  for (const seed of SEED_USERS) {
    const user = model.createUser(seed);
    for (const g of seed.groups) {
      const group = model.findGroup(g);
      if (group) model.putMember(group, user);
    }
  }
  for (const input of extra) model.createUser(input);
}
