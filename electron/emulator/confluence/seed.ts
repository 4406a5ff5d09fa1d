/**
 * What the demo Confluence holds before any sync: the administrator whose token the app gets (in
 * `confluence-administrators`), the default `confluence-users` group, a user of the read-only LDAP directory, a
 * plain user (whose token has no administrator rights), and a deactivated one.
 */
import { LDAP_DIRECTORY, type ConfluenceModel, type NewConfluenceUser } from './model';

export const SEED_GROUPS = ['confluence-administrators', 'confluence-users'] as const;

/** The pre-existing users; `groups` names the seed groups each belongs to. */
export const SEED_USERS: readonly (NewConfluenceUser & { readonly groups: readonly string[] })[] = [
  {
    username: 'admin',
    email: 'confluence-admin@example.com',
    fullName: 'Confluence Administrator',
    groups: ['confluence-administrators', 'confluence-users'],
  },
  {
    username: 'carol.ldap',
    email: 'carol.ldap@corp.example.com',
    fullName: 'Carol (LDAP)',
    directoryId: LDAP_DIRECTORY.id,
    groups: ['confluence-users'],
  },
  { username: 'jsmith', email: 'john.smith@example.com', fullName: 'John Smith', groups: ['confluence-users'] },
  { username: 'old.timer', email: 'old.timer@example.com', fullName: 'Old Timer', active: false, groups: [] },
];

/** Fills `model` with the seed groups, the seed users and `extra` users (internal, in confluence-users). */
export function seedConfluence(model: ConfluenceModel, extra: readonly NewConfluenceUser[] = []): void {
  for (const name of SEED_GROUPS) model.createGroup(name);
  const users = model.findGroup('confluence-users')!;
  for (const seed of SEED_USERS) {
    const user = model.createUser(seed);
    for (const g of seed.groups) model.putMember(model.findGroup(g)!, user);
  }
  for (const input of extra) model.putMember(users, model.createUser(input));
}
