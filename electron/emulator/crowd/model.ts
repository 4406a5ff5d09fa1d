/**
 * The emulated Crowd's users, groups and memberships, with the rules `/rest/usermanagement/1` enforces
 * (atlassian-facts.md, Crowd): names compared case-insensitively, the application's directories in order (a new user
 * or group lands in the first writable one), writes refused for objects of a read-only directory, **PUT replaces the
 * whole user** (a field left out is blanked), direct members and child groups (nested groups) kept apart, and a
 * licensed-user limit (Crowd Data Center is licensed by users). Failures are {@link CrowdFailure}s carrying Crowd's
 * `{reason, message}` body.
 */

/** Crowd's error reasons (the `reason` of its error body). */
export type CrowdReason =
  | 'APPLICATION_ACCESS_DENIED'
  | 'APPLICATION_PERMISSION_DENIED'
  | 'GROUP_NOT_FOUND'
  | 'INVALID_USER'
  | 'INVALID_GROUP'
  | 'INVALID_EMAIL'
  | 'MEMBERSHIP_NOT_FOUND'
  | 'MEMBERSHIP_ALREADY_EXISTS'
  | 'USER_NOT_FOUND'
  | 'OPERATION_FAILED'
  | 'UNSUPPORTED_OPERATION'
  | 'PERMISSION_DENIED'
  | 'INVALID_USER_AUTHENTICATION'
  | 'ILLEGAL_ARGUMENT';

/** A failure answered with Crowd's error body. */
export class CrowdFailure extends Error {
  constructor(
    readonly status: number,
    readonly reason: CrowdReason,
    message: string,
  ) {
    super(message);
    this.name = 'CrowdFailure';
  }

  get body(): { reason: CrowdReason; message: string } {
    return { reason: this.reason, message: this.message };
  }
}

/** A directory mapped to the application, in the application's order. */
export interface CrowdDirectory {
  readonly id: number;
  readonly name: string;
  readonly readOnly: boolean;
}

export interface CrowdUser {
  name: string;
  firstName: string;
  lastName: string;
  displayName: string;
  email: string;
  active: boolean;
  readonly directoryId: number;
  readonly key: string;
  readonly createdMs: number;
  updatedMs: number;
}

export interface CrowdGroup {
  readonly name: string;
  description: string;
  active: boolean;
  readonly directoryId: number;
  /** Direct user members, by lower-cased name. */
  readonly members: Set<string>;
  /** Direct child groups (nested groups), by lower-cased name. */
  readonly children: Set<string>;
}

/** What creating a user takes (POST /user, or seeding). */
export interface NewCrowdUser {
  readonly name: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly displayName?: string;
  readonly email?: string;
  readonly active?: boolean;
  readonly directoryId?: number;
}

/** The fields a PUT /user sets: every one, absent ones blanked. */
export interface CrowdUserReplacement {
  readonly firstName: string;
  readonly lastName: string;
  readonly displayName: string;
  readonly email: string;
  readonly active: boolean | undefined;
}

/** How a write to a read-only directory is refused (Crowd's answer varies with the directory type: handle both). */
export type ReadOnlyRefusal = 'permission' | 'operation-failed';

export const INTERNAL_DIRECTORY: CrowdDirectory = { id: 32769, name: 'Crowd Internal Directory', readOnly: false };
export const LDAP_DIRECTORY: CrowdDirectory = { id: 65537, name: 'Corporate LDAP (read only)', readOnly: true };

const lower = (s: string) => s.toLocaleLowerCase('en-US');

/** The state of one emulated Crowd instance, as one application sees it. */
export class CrowdModel {
  /** The application's directories in its order; new users and groups go to the first writable one. */
  directories: CrowdDirectory[] = [LDAP_DIRECTORY, INTERNAL_DIRECTORY];
  readonly users = new Map<string, CrowdUser>();
  readonly groups = new Map<string, CrowdGroup>();
  /** Lower-cased group names of each user (direct memberships). */
  private readonly groupsByUser = new Map<string, Set<string>>();
  /** Active users allowed by the licence; null for no limit. */
  userLimit: number | null = null;
  readOnlyRefusal: ReadOnlyRefusal = 'permission';
  private nextKey = 1;

  constructor(private readonly nowMs: () => number) {}

  findUser(name: string): CrowdUser | undefined {
    return this.users.get(lower(name));
  }

  findGroup(name: string): CrowdGroup | undefined {
    return this.groups.get(lower(name));
  }

  mustUser(name: string): CrowdUser {
    const user = this.findUser(name);
    if (!user) throw new CrowdFailure(404, 'USER_NOT_FOUND', `User <${name}> does not exist`);
    return user;
  }

  mustGroup(name: string): CrowdGroup {
    const group = this.findGroup(name);
    if (!group) throw new CrowdFailure(404, 'GROUP_NOT_FOUND', `Group <${name}> does not exist`);
    return group;
  }

  /** The directory new objects land in: the first writable one of the application. */
  firstWritable(): CrowdDirectory {
    const dir = this.directories.find((d) => !d.readOnly);
    if (!dir) {
      throw new CrowdFailure(
        403,
        'APPLICATION_PERMISSION_DENIED',
        'The application has no directory it is allowed to create users or groups in.',
      );
    }
    return dir;
  }

  directoryOf(id: number): CrowdDirectory | undefined {
    return this.directories.find((d) => d.id === id);
  }

  activeCount(): number {
    let n = 0;
    for (const u of this.users.values()) if (u.active) n++;
    return n;
  }

  private checkSeat(): void {
    if (this.userLimit !== null && this.activeCount() >= this.userLimit) {
      throw new CrowdFailure(
        403,
        'OPERATION_FAILED',
        `The user limit of your Crowd license (${this.userLimit} users) has been reached. Cannot add or activate any more users.`,
      );
    }
  }

  private writable(directoryId: number, what: string): void {
    const dir = this.directoryOf(directoryId);
    if (!dir?.readOnly) return;
    if (this.readOnlyRefusal === 'operation-failed') {
      throw new CrowdFailure(500, 'OPERATION_FAILED', `Directory '${dir.name}' is read-only: cannot modify ${what}.`);
    }
    throw new CrowdFailure(
      403,
      'APPLICATION_PERMISSION_DENIED',
      `Permission denied: the application cannot modify ${what} in directory '${dir.name}'.`,
    );
  }

  createUser(input: NewCrowdUser, seeding = false): CrowdUser {
    const name = input.name.trim();
    if (!name) throw new CrowdFailure(400, 'INVALID_USER', 'User name must not be empty.');
    if (this.findUser(name)) throw new CrowdFailure(400, 'INVALID_USER', `User <${name}> already exists`);
    const email = input.email ?? '';
    if (email && !/^[^@\s]+@[^@\s]+$/.test(email)) {
      throw new CrowdFailure(400, 'INVALID_EMAIL', `Invalid email address: ${email}`);
    }
    const active = input.active ?? true;
    const directoryId = input.directoryId ?? this.firstWritable().id;
    if (!seeding) this.writable(directoryId, `user <${name}>`);
    if (active && !seeding) this.checkSeat();
    const now = this.nowMs();
    const user: CrowdUser = {
      name,
      firstName: input.firstName ?? '',
      lastName: input.lastName ?? '',
      displayName: input.displayName ?? '',
      email,
      active,
      directoryId,
      key: `${directoryId}:${(this.nextKey++).toString(16).padStart(8, '0')}`,
      createdMs: now,
      updatedMs: now,
    };
    this.users.set(lower(name), user);
    return user;
  }

  /** PUT /user: replaces every field; `active` undefined keeps it. */
  replaceUser(user: CrowdUser, next: CrowdUserReplacement): void {
    this.writable(user.directoryId, `user <${user.name}>`);
    if (next.email && !/^[^@\s]+@[^@\s]+$/.test(next.email)) {
      throw new CrowdFailure(400, 'INVALID_EMAIL', `Invalid email address: ${next.email}`);
    }
    if (next.active === true && !user.active) this.checkSeat();
    user.firstName = next.firstName;
    user.lastName = next.lastName;
    user.displayName = next.displayName;
    user.email = next.email;
    if (next.active !== undefined) user.active = next.active;
    user.updatedMs = this.nowMs();
  }

  /** POST /user/rename: a new name (in any case) for the same account; its memberships follow. */
  renameUser(user: CrowdUser, newName: string): void {
    const name = newName.trim();
    if (!name) throw new CrowdFailure(400, 'INVALID_USER', 'The new user name must not be empty.');
    this.writable(user.directoryId, `user <${user.name}>`);
    const from = lower(user.name);
    const to = lower(name);
    const holder = this.findUser(name);
    if (holder && holder !== user) throw new CrowdFailure(400, 'INVALID_USER', `User <${name}> already exists`);
    this.users.delete(from);
    user.name = name;
    user.updatedMs = this.nowMs();
    this.users.set(to, user);
    if (from === to) return;
    const mine = this.groupsByUser.get(from);
    this.groupsByUser.delete(from);
    if (mine) this.groupsByUser.set(to, mine);
    for (const g of mine ?? []) {
      const members = this.groups.get(g)?.members;
      members?.delete(from);
      members?.add(to);
    }
  }

  deleteUser(user: CrowdUser): void {
    this.writable(user.directoryId, `user <${user.name}>`);
    const key = lower(user.name);
    this.users.delete(key);
    for (const g of this.groupsByUser.get(key) ?? []) this.groups.get(g)?.members.delete(key);
    this.groupsByUser.delete(key);
  }

  createGroup(name: string, description = '', seeding = false, directoryId?: number): CrowdGroup {
    const trimmed = name.trim();
    if (!trimmed) throw new CrowdFailure(400, 'INVALID_GROUP', 'Group name must not be empty.');
    if (this.findGroup(trimmed)) throw new CrowdFailure(400, 'INVALID_GROUP', `Group <${trimmed}> already exists`);
    const dir = directoryId ?? this.firstWritable().id;
    if (!seeding) this.writable(dir, `group <${trimmed}>`);
    const group: CrowdGroup = {
      name: trimmed,
      description,
      active: true,
      directoryId: dir,
      members: new Set(),
      children: new Set(),
    };
    this.groups.set(lower(trimmed), group);
    return group;
  }

  /** PUT /group: the description is replaced (blanked when left out), like a user's fields. */
  replaceGroup(group: CrowdGroup, description: string, active: boolean): void {
    this.writable(group.directoryId, `group <${group.name}>`);
    group.description = description;
    group.active = active;
  }

  deleteGroup(group: CrowdGroup): void {
    this.writable(group.directoryId, `group <${group.name}>`);
    const key = lower(group.name);
    this.groups.delete(key);
    for (const u of group.members) this.groupsByUser.get(u)?.delete(key);
    for (const g of this.groups.values()) g.children.delete(key);
  }

  /** Adds a direct member; `seeding` skips the directory rules (as an LDAP sync would). */
  addMember(group: CrowdGroup, user: CrowdUser, seeding = false): void {
    if (!seeding) this.writable(group.directoryId, `the members of group <${group.name}>`);
    const key = lower(user.name);
    if (group.members.has(key)) {
      throw new CrowdFailure(
        409,
        'MEMBERSHIP_ALREADY_EXISTS',
        `User <${user.name}> is already a direct member of <${group.name}>`,
      );
    }
    group.members.add(key);
    let mine = this.groupsByUser.get(key);
    if (!mine) this.groupsByUser.set(key, (mine = new Set()));
    mine.add(lower(group.name));
  }

  removeMember(group: CrowdGroup, user: CrowdUser): void {
    this.writable(group.directoryId, `the members of group <${group.name}>`);
    const key = lower(user.name);
    if (!group.members.has(key)) {
      throw new CrowdFailure(404, 'MEMBERSHIP_NOT_FOUND', `User <${user.name}> is not a direct member of group <${group.name}>`);
    }
    group.members.delete(key);
    this.groupsByUser.get(key)?.delete(lower(group.name));
  }

  addChild(parent: CrowdGroup, child: CrowdGroup): void {
    if (parent === child) throw new CrowdFailure(400, 'INVALID_GROUP', `Group <${parent.name}> cannot be a child of itself`);
    if (parent.children.has(lower(child.name))) {
      throw new CrowdFailure(409, 'MEMBERSHIP_ALREADY_EXISTS', `Group <${child.name}> is already a child of <${parent.name}>`);
    }
    parent.children.add(lower(child.name));
  }

  /**
   * Nested membership as Crowd resolves it: the groups below `group` at any depth, each once (a cycle of child groups
   * ends), and so `group` itself first.
   */
  groupsBelow(group: CrowdGroup): CrowdGroup[] {
    const out = [group];
    const seen = new Set([lower(group.name)]);
    for (let i = 0; i < out.length; i++) {
      for (const key of out[i]!.children) {
        const child = this.groups.get(key);
        if (child && !seen.has(key)) {
          seen.add(key);
          out.push(child);
        }
      }
    }
    return out;
  }

  /** Users who are members of `group` directly or through its child groups at any depth, each once. */
  nestedMembers(group: CrowdGroup): CrowdUser[] {
    const keys = new Set(this.groupsBelow(group).flatMap((g) => [...g.members]));
    return [...keys].map((k) => this.users.get(k)).filter((u): u is CrowdUser => u !== undefined);
  }

  /** The groups `user` is in, directly or because a group it is in is nested in them, by name. */
  nestedGroupsOf(user: CrowdUser): string[] {
    const direct = new Set(this.groupsByUser.get(lower(user.name)) ?? []);
    return [...this.groups.values()]
      .filter((g) => this.groupsBelow(g).some((below) => direct.has(lower(below.name))))
      .map((g) => g.name)
      .sort();
  }

  /** The user's direct groups, by name. */
  groupsOf(user: CrowdUser): string[] {
    return [...(this.groupsByUser.get(lower(user.name)) ?? [])].map((k) => this.groups.get(k)?.name ?? k).sort();
  }
}
