/**
 * The emulated Jira's users, groups and memberships, with the rules the REST API enforces (atlassian-facts.md, Jira):
 * usernames and group names compared case-insensitively, stable keys (`JIRAUSER10100` for new users, the lower-case
 * username for old ones), writes refused for users of a read-only (LDAP) directory, a licensed-user limit.
 * Failures are {@link JiraFailure}s carrying Jira's `{errorMessages, errors}` body.
 */

/** A failure answered with Jira's error body. */
export class JiraFailure extends Error {
  constructor(
    readonly status: number,
    readonly errorMessages: readonly string[],
    readonly errors: Readonly<Record<string, string>> = {},
  ) {
    super(errorMessages[0] ?? Object.values(errors)[0] ?? `HTTP ${status}`);
    this.name = 'JiraFailure';
  }

  get body(): { errorMessages: string[]; errors: Record<string, string> } {
    return { errorMessages: [...this.errorMessages], errors: { ...this.errors } };
  }
}

/** A user directory, in Jira's order (writes land in the first writable one). */
export interface JiraUserDirectory {
  readonly id: number;
  readonly name: string;
  readonly readOnly: boolean;
}

export interface JiraUser {
  readonly key: string;
  name: string;
  emailAddress: string;
  displayName: string;
  active: boolean;
  readonly directoryId: number;
  readonly applicationKeys: Set<string>;
}

export interface JiraGroup {
  readonly name: string;
  /** Member user keys, in the order they were added. Changed only through the model, which indexes them by user. */
  readonly members: ReadonlySet<string>;
}

/** What creating a user takes (POST /user). */
export interface NewJiraUser {
  readonly name: string;
  readonly emailAddress?: string;
  readonly displayName?: string;
  readonly applicationKeys?: readonly string[];
  /** Only for seeding: an old user whose key is its lower-case name. */
  readonly legacyKey?: boolean;
  readonly directoryId?: number;
  readonly active?: boolean;
}

export const INTERNAL_DIRECTORY: JiraUserDirectory = { id: 1, name: 'Jira Internal Directory', readOnly: false };
export const LDAP_DIRECTORY: JiraUserDirectory = { id: 10000, name: 'Corporate LDAP (read only)', readOnly: true };
export const DEFAULT_APPLICATION = 'jira-software';

/** The emulator's messages; Jira's exact texts vary by version, clients must treat them as opaque. */
export const messages = {
  duplicateUser: 'A user with that username already exists.',
  duplicateGroup: 'A group or user with this name already exists.',
  readOnly: (name: string) => `Cannot update user '${name}': the user belongs to a read-only directory.`,
  userLimit:
    'You have reached the number of users allowed by your Jira Software license. Remove application access from other users or upgrade the license.',
  noUser: (name: string) => `The user named '${name}' does not exist`,
  noGroup: (name: string) => `Group with name '${name}' does not exist`,
} as const;

const lower = (s: string) => s.toLocaleLowerCase('en-US');

/** The state of one emulated Jira instance. */
export class JiraModel {
  readonly directories: readonly JiraUserDirectory[] = [INTERNAL_DIRECTORY, LDAP_DIRECTORY];
  /** Users by key, in creation order. */
  readonly users = new Map<string, JiraUser>();
  private readonly keyByName = new Map<string, string>();
  private readonly groupsByName = new Map<string, JiraGroup>();
  /** The groups of each user (by key): `groupsOf` and `deleteUser` without a scan of every group. */
  private readonly groupsByUser = new Map<string, Set<JiraGroup>>();
  /** Creation order of the groups, the order `groupsOf` answers in. */
  private readonly groupOrder = new Map<JiraGroup, number>();
  private nextGroupOrder = 0;
  /** The user keys in sorted order (`user/list` pages by key), rebuilt after a user is created or deleted. */
  private sortedKeysCache: string[] | null = null;
  private nextKey = 10100;
  /** Active users with application access allowed; null for no limit. */
  userLimit: number | null = null;

  get groups(): IterableIterator<JiraGroup> {
    return this.groupsByName.values();
  }

  findUser(name: string): JiraUser | undefined {
    const key = this.keyByName.get(lower(name));
    return key === undefined ? undefined : this.users.get(key);
  }

  /** Every user key, sorted (the order `user/list` pages in). */
  sortedKeys(): readonly string[] {
    this.sortedKeysCache ??= [...this.users.keys()].sort();
    return this.sortedKeysCache;
  }

  findUserByKey(key: string): JiraUser | undefined {
    return this.users.get(key);
  }

  findGroup(name: string): JiraGroup | undefined {
    return this.groupsByName.get(lower(name));
  }

  /** Users taking a licence seat. */
  licensedCount(): number {
    let n = 0;
    for (const u of this.users.values()) if (u.active && u.applicationKeys.size > 0) n++;
    return n;
  }

  private checkSeat(): void {
    if (this.userLimit !== null && this.licensedCount() >= this.userLimit) {
      throw new JiraFailure(400, [messages.userLimit]);
    }
  }

  private writable(user: JiraUser): void {
    if (this.directories.find((d) => d.id === user.directoryId)?.readOnly) {
      throw new JiraFailure(400, [messages.readOnly(user.name)]);
    }
  }

  createUser(input: NewJiraUser): JiraUser {
    const name = input.name.trim();
    const fieldErrors: Record<string, string> = {};
    if (!name) fieldErrors.username = 'You must specify a username.';
    else if (this.keyByName.has(lower(name))) fieldErrors.username = messages.duplicateUser;
    if (!input.emailAddress) fieldErrors.email = 'You must specify an email address.';
    if (Object.keys(fieldErrors).length > 0) throw new JiraFailure(400, [], fieldErrors);
    const apps = new Set(input.applicationKeys ?? [DEFAULT_APPLICATION]);
    const active = input.active ?? true;
    if (active && apps.size > 0) this.checkSeat();
    let key = input.legacyKey ? lower(name) : `JIRAUSER${this.nextKey++}`;
    while (this.users.has(key)) key = `JIRAUSER${this.nextKey++}`;
    const user: JiraUser = {
      key,
      name,
      emailAddress: input.emailAddress as string,
      displayName: input.displayName?.trim() || name,
      active,
      directoryId: input.directoryId ?? INTERNAL_DIRECTORY.id,
      applicationKeys: apps,
    };
    this.users.set(key, user);
    this.keyByName.set(lower(name), key);
    this.sortedKeysCache = null;
    return user;
  }

  /** A partial update (PUT /user): fields absent are left alone; `name` renames. */
  updateUser(
    user: JiraUser,
    patch: { name?: string; emailAddress?: string; displayName?: string; active?: boolean },
    actingKey: string | undefined,
  ): JiraUser {
    this.writable(user);
    if (patch.name !== undefined) {
      const name = patch.name.trim();
      if (!name) throw new JiraFailure(400, [], { username: 'You must specify a username.' });
      const holder = this.keyByName.get(lower(name));
      if (holder !== undefined && holder !== user.key) throw new JiraFailure(400, [], { username: messages.duplicateUser });
    }
    if (patch.active === false && user.key === actingKey) {
      throw new JiraFailure(400, ['You cannot deactivate the user you are logged in as.']);
    }
    if (patch.active === true && !user.active && user.applicationKeys.size > 0) this.checkSeat();
    if (patch.name !== undefined) {
      this.keyByName.delete(lower(user.name));
      user.name = patch.name.trim();
      this.keyByName.set(lower(user.name), user.key);
    }
    if (patch.emailAddress !== undefined) user.emailAddress = patch.emailAddress;
    if (patch.displayName !== undefined) user.displayName = patch.displayName;
    if (patch.active !== undefined) user.active = patch.active;
    return user;
  }

  deleteUser(user: JiraUser, actingKey: string | undefined): void {
    this.writable(user);
    if (user.key === actingKey) throw new JiraFailure(400, ['You cannot delete the user you are logged in as.']);
    this.users.delete(user.key);
    this.keyByName.delete(lower(user.name));
    this.sortedKeysCache = null;
    for (const g of this.groupsByUser.get(user.key) ?? []) (g.members as Set<string>).delete(user.key);
    this.groupsByUser.delete(user.key);
  }

  createGroup(name: string): JiraGroup {
    const trimmed = name.trim();
    if (!trimmed) throw new JiraFailure(400, ['You must specify a valid group name.']);
    if (this.groupsByName.has(lower(trimmed))) throw new JiraFailure(400, [messages.duplicateGroup]);
    const group: JiraGroup = { name: trimmed, members: new Set() };
    this.groupsByName.set(lower(trimmed), group);
    this.groupOrder.set(group, this.nextGroupOrder++);
    return group;
  }

  deleteGroup(group: JiraGroup): void {
    this.groupsByName.delete(lower(group.name));
    this.groupOrder.delete(group);
    for (const key of group.members) this.groupsByUser.get(key)?.delete(group);
  }

  addMember(group: JiraGroup, user: JiraUser): void {
    this.writable(user);
    if (group.members.has(user.key)) {
      throw new JiraFailure(400, [`Cannot add user. '${user.name}' is already a member of '${group.name}'`]);
    }
    this.putMember(group, user);
  }

  /** Makes `user` a member without the directory's write rules (seeding, as an LDAP sync would). */
  putMember(group: JiraGroup, user: JiraUser): void {
    (group.members as Set<string>).add(user.key);
    let groups = this.groupsByUser.get(user.key);
    if (!groups) this.groupsByUser.set(user.key, (groups = new Set()));
    groups.add(group);
  }

  removeMember(group: JiraGroup, user: JiraUser): void {
    this.writable(user);
    if (!group.members.has(user.key)) {
      throw new JiraFailure(400, [`Cannot remove user. '${user.name}' is not a member of '${group.name}'`]);
    }
    (group.members as Set<string>).delete(user.key);
    this.groupsByUser.get(user.key)?.delete(group);
  }

  /** The user's groups, in the order the groups were created (as a scan of every group would give them). */
  groupsOf(user: JiraUser): JiraGroup[] {
    const mine = this.groupsByUser.get(user.key);
    if (!mine || mine.size === 0) return [];
    return [...mine].sort((a, b) => (this.groupOrder.get(a) ?? 0) - (this.groupOrder.get(b) ?? 0));
  }

  setApplicationAccess(user: JiraUser, applicationKey: string, granted: boolean): void {
    this.writable(user);
    if (granted && !user.applicationKeys.has(applicationKey) && user.active) this.checkSeat();
    if (granted) user.applicationKeys.add(applicationKey);
    else user.applicationKeys.delete(applicationKey);
  }
}
