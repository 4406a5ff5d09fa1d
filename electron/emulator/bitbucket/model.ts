/**
 * The emulated Bitbucket's users, groups, memberships and global permissions, with the rules its REST API enforces
 * (atlassian-facts.md, Bitbucket): names compared case-insensitively, a user id that survives renames, internal users
 * without any active flag (a licence comes from a global permission, held directly or through a group), read-only
 * (LDAP) directory users whose details and groups cannot change, and a licensed-user limit. Failures are
 * {@link BitbucketFailure}s carrying Bitbucket's `{"errors":[{context, message, exceptionName}]}` body.
 */

/** Bitbucket's global permissions, lowest first; each implies the ones before it (so every one licenses). */
export const globalPermissions = ['LICENSED_USER', 'PROJECT_CREATE', 'ADMIN', 'SYS_ADMIN'] as const;
export type GlobalPermission = (typeof globalPermissions)[number];

/** A failure answered with Bitbucket's error body. */
export class BitbucketFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly exceptionName = 'com.atlassian.bitbucket.ServiceException',
    readonly context: string | null = null,
  ) {
    super(message);
    this.name = 'BitbucketFailure';
  }

  get body(): { errors: { context: string | null; message: string; exceptionName: string }[] } {
    return { errors: [{ context: this.context, message: this.message, exceptionName: this.exceptionName }] };
  }
}

export interface BitbucketDirectory {
  readonly id: number;
  readonly name: string;
  readonly readOnly: boolean;
}

export interface BitbucketUser {
  readonly id: number;
  name: string;
  displayName: string;
  emailAddress: string;
  readonly directoryId: number;
  readonly type: 'NORMAL' | 'SERVICE';
}

export interface BitbucketGroup {
  readonly name: string;
  /** Member user ids. Changed only through the model, which indexes them by user. */
  readonly members: ReadonlySet<number>;
}

export interface NewBitbucketUser {
  readonly name: string;
  readonly displayName?: string;
  readonly emailAddress?: string;
  readonly directoryId?: number;
}

export const INTERNAL_DIRECTORY: BitbucketDirectory = { id: 1, name: 'Bitbucket Internal Directory', readOnly: false };
export const LDAP_DIRECTORY: BitbucketDirectory = { id: 2, name: 'Corporate LDAP (read only)', readOnly: true };
export const DEFAULT_GROUP = 'stash-users';

/** The emulator's messages (the facts' texts where known; clients treat them as opaque). */
export const messages = {
  duplicateUser: 'Another user with the same name already exists.',
  duplicateGroup: (name: string) => `A group named '${name}' already exists.`,
  licence: (name: string) => `Creating or licensing the user '${name}' would exceed the server's license limit.`,
  noUser: (name: string) => `User ${name} does not exist.`,
  noGroup: (name: string) => `Group ${name} does not exist.`,
  readOnly: (name: string) => `The user ${name} belongs to a read-only directory; their details and groups cannot be changed.`,
} as const;

const lower = (s: string) => s.toLocaleLowerCase('en-US');

/** Bitbucket's slug: the name lower-cased, characters unsafe in a URL path replaced. */
export const slugOf = (name: string) => lower(name).replace(/[^a-z0-9._~-]/g, '_');

const rank = (p: GlobalPermission | undefined) => (p === undefined ? -1 : globalPermissions.indexOf(p));

/** The state of one emulated Bitbucket instance. */
export class BitbucketModel {
  readonly directories: readonly BitbucketDirectory[] = [INTERNAL_DIRECTORY, LDAP_DIRECTORY];
  private readonly usersById = new Map<number, BitbucketUser>();
  private readonly idByName = new Map<string, number>();
  private readonly groupsByName = new Map<string, BitbucketGroup>();
  private readonly groupsByUser = new Map<number, Set<BitbucketGroup>>();
  /** Global permission per group (lower-cased name) and per user id: one each, the highest. */
  readonly groupPermissions = new Map<string, GlobalPermission>();
  readonly userPermissions = new Map<number, GlobalPermission>();
  private sortedCache: BitbucketUser[] | null = null;
  private nextId = 1;
  /** Licensed users allowed; null for no limit. */
  userLimit: number | null = null;

  /** Every user, sorted by name (the order `admin/users` pages in). */
  sortedUsers(): readonly BitbucketUser[] {
    this.sortedCache ??= [...this.usersById.values()].sort((a, b) => (lower(a.name) < lower(b.name) ? -1 : 1));
    return this.sortedCache;
  }

  get groups(): BitbucketGroup[] {
    return [...this.groupsByName.values()].sort((a, b) => (lower(a.name) < lower(b.name) ? -1 : 1));
  }

  findUser(name: string): BitbucketUser | undefined {
    const id = this.idByName.get(lower(name));
    return id === undefined ? undefined : this.usersById.get(id);
  }

  userById(id: number): BitbucketUser | undefined {
    return this.usersById.get(id);
  }

  findGroup(name: string): BitbucketGroup | undefined {
    return this.groupsByName.get(lower(name));
  }

  isReadOnly(user: BitbucketUser): boolean {
    return this.directories.find((d) => d.id === user.directoryId)?.readOnly ?? false;
  }

  directoryName(user: BitbucketUser): string {
    return this.directories.find((d) => d.id === user.directoryId)?.name ?? INTERNAL_DIRECTORY.name;
  }

  /** The user's effective global permission: the highest held directly or through a group. */
  permissionOf(user: BitbucketUser): GlobalPermission | undefined {
    let best = this.userPermissions.get(user.id);
    for (const g of this.groupsByUser.get(user.id) ?? []) {
      const p = this.groupPermissions.get(lower(g.name));
      if (rank(p) > rank(best)) best = p;
    }
    return best;
  }

  isLicensed(user: BitbucketUser): boolean {
    return this.permissionOf(user) !== undefined;
  }

  licensedCount(): number {
    let n = 0;
    for (const u of this.usersById.values()) if (this.isLicensed(u)) n++;
    return n;
  }

  /** Refuses when licensing one more user would pass the limit. */
  private checkSeat(user: { name: string }): void {
    if (this.userLimit !== null && this.licensedCount() >= this.userLimit) {
      throw new BitbucketFailure(403, messages.licence(user.name), 'com.atlassian.bitbucket.license.LicenseLimitException');
    }
  }

  private writable(user: BitbucketUser): void {
    if (this.isReadOnly(user)) {
      throw new BitbucketFailure(400, messages.readOnly(user.name), 'com.atlassian.bitbucket.user.UserNotMutableException');
    }
  }

  createUser(input: NewBitbucketUser, addToDefaultGroup = false): BitbucketUser {
    const name = input.name.trim();
    if (!name)
      throw new BitbucketFailure(
        400,
        'A name is required.',
        'com.atlassian.bitbucket.validation.ArgumentValidationException',
        'name',
      );
    if (!input.emailAddress) {
      throw new BitbucketFailure(
        400,
        'An email address is required.',
        'com.atlassian.bitbucket.validation.ArgumentValidationException',
        'emailAddress',
      );
    }
    if (this.idByName.has(lower(name))) {
      throw new BitbucketFailure(409, messages.duplicateUser, 'com.atlassian.bitbucket.user.DuplicateUserException');
    }
    const defaultGroup = this.findGroup(DEFAULT_GROUP);
    if (addToDefaultGroup && defaultGroup && this.groupPermissions.has(lower(DEFAULT_GROUP))) this.checkSeat({ name });
    const user: BitbucketUser = {
      id: this.nextId++,
      name,
      displayName: input.displayName?.trim() || name,
      emailAddress: input.emailAddress,
      directoryId: input.directoryId ?? INTERNAL_DIRECTORY.id,
      type: 'NORMAL',
    };
    this.usersById.set(user.id, user);
    this.idByName.set(lower(name), user.id);
    this.sortedCache = null;
    if (addToDefaultGroup && defaultGroup) this.putMember(defaultGroup, user);
    return user;
  }

  updateUser(user: BitbucketUser, patch: { displayName?: string; email?: string }): BitbucketUser {
    this.writable(user);
    if (patch.displayName !== undefined) user.displayName = patch.displayName;
    if (patch.email !== undefined) user.emailAddress = patch.email;
    return user;
  }

  renameUser(user: BitbucketUser, newName: string): BitbucketUser {
    this.writable(user);
    const name = newName.trim();
    const holder = this.idByName.get(lower(name));
    if (holder !== undefined && holder !== user.id) {
      throw new BitbucketFailure(409, messages.duplicateUser, 'com.atlassian.bitbucket.user.DuplicateUserException');
    }
    this.idByName.delete(lower(user.name));
    user.name = name;
    this.idByName.set(lower(name), user.id);
    this.sortedCache = null;
    return user;
  }

  deleteUser(user: BitbucketUser, actorId: number): void {
    if (user.id === actorId) {
      throw new BitbucketFailure(
        409,
        'You cannot delete your own user account.',
        'com.atlassian.bitbucket.user.SelfDeletionException',
      );
    }
    this.writable(user);
    this.usersById.delete(user.id);
    this.idByName.delete(lower(user.name));
    this.userPermissions.delete(user.id);
    this.sortedCache = null;
    for (const g of this.groupsByUser.get(user.id) ?? []) (g.members as Set<number>).delete(user.id);
    this.groupsByUser.delete(user.id);
  }

  createGroup(name: string): BitbucketGroup {
    const trimmed = name.trim();
    if (!trimmed)
      throw new BitbucketFailure(
        400,
        'A group name is required.',
        'com.atlassian.bitbucket.validation.ArgumentValidationException',
        'name',
      );
    if (this.groupsByName.has(lower(trimmed))) {
      throw new BitbucketFailure(409, messages.duplicateGroup(trimmed), 'com.atlassian.bitbucket.user.DuplicateGroupException');
    }
    const group: BitbucketGroup = { name: trimmed, members: new Set() };
    this.groupsByName.set(lower(trimmed), group);
    return group;
  }

  deleteGroup(group: BitbucketGroup, actor: BitbucketUser): void {
    // Bitbucket refuses a deletion that would take the acting administrator's own rights away.
    const p = this.groupPermissions.get(lower(group.name));
    if (group.members.has(actor.id) && (p === 'ADMIN' || p === 'SYS_ADMIN')) {
      throw new BitbucketFailure(
        409,
        `You cannot delete the group '${group.name}': it would revoke your own ${p} permission.`,
        'com.atlassian.bitbucket.permission.PermissionException',
      );
    }
    this.groupsByName.delete(lower(group.name));
    this.groupPermissions.delete(lower(group.name));
    for (const id of group.members) this.groupsByUser.get(id)?.delete(group);
  }

  /** Adds (a no-op for a member already in), refusing read-only users and a licence past the limit. */
  addMember(group: BitbucketGroup, user: BitbucketUser): void {
    if (group.members.has(user.id)) return;
    this.writable(user);
    if (this.groupPermissions.has(lower(group.name)) && !this.isLicensed(user)) this.checkSeat(user);
    this.putMember(group, user);
  }

  /** Makes `user` a member without the directory's rules (seeding, as an LDAP sync would). */
  putMember(group: BitbucketGroup, user: BitbucketUser): void {
    (group.members as Set<number>).add(user.id);
    let groups = this.groupsByUser.get(user.id);
    if (!groups) this.groupsByUser.set(user.id, (groups = new Set()));
    groups.add(group);
  }

  removeMember(group: BitbucketGroup, user: BitbucketUser): void {
    if (!group.members.has(user.id)) return;
    this.writable(user);
    (group.members as Set<number>).delete(user.id);
    this.groupsByUser.get(user.id)?.delete(group);
  }

  groupsOf(user: BitbucketUser): BitbucketGroup[] {
    return [...(this.groupsByUser.get(user.id) ?? [])].sort((a, b) => (lower(a.name) < lower(b.name) ? -1 : 1));
  }
}
