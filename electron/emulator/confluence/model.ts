/**
 * The emulated Confluence's users, groups, memberships and deletion long tasks, with the rules its REST API enforces
 * (atlassian-facts.md, Confluence): user names lower case without whitespace or `\ , + < > ' "` and never
 * "anonymous", a user key that never changes, deactivation instead of an active flag on the user, read-only (LDAP)
 * directory users whose details and groups cannot change, a licence of N active users (402 past it), and deletion as
 * an asynchronous long task. Failures are {@link ConfluenceFailure}s carrying Confluence's error body.
 */
import { randomBytes } from 'node:crypto';

/** A failure answered with Confluence's `{statusCode, data:{…}, message}` body. */
export class ConfluenceFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ConfluenceFailure';
  }

  get body(): Record<string, unknown> {
    return {
      statusCode: this.status,
      data: { authorized: this.status !== 401 && this.status !== 403, valid: this.status !== 400, errors: [], successful: false },
      message: this.message,
    };
  }
}

export interface ConfluenceDirectory {
  readonly id: number;
  readonly name: string;
  readonly readOnly: boolean;
}

export interface ConfluenceUser {
  /** The stable user key (32 hex digits, `4028…`). */
  readonly key: string;
  readonly username: string;
  fullName: string;
  email: string;
  active: boolean;
  readonly directoryId: number;
}

export interface ConfluenceGroup {
  readonly name: string;
  readonly members: Set<string>;
}

export interface NewConfluenceUser {
  readonly username: string;
  readonly fullName?: string;
  readonly email?: string;
  readonly active?: boolean;
  readonly directoryId?: number;
}

/** An asynchronous deletion, as `/rest/api/longtask/{id}` reports it. */
export interface LongTask {
  readonly id: string;
  readonly username: string;
  readonly startedMs: number;
  readonly durationMs: number;
  /** Reads of the task's state it waits for before finishing (0: time alone); see {@link LongTask.polls}. */
  readonly pollsNeeded: number;
  /** False for a 202 that named no task: its state is then read through the user (`GET user`). */
  readonly tracked: boolean;
  /** Reads of its state so far: `GET longtask/{id}`, or `GET user` of its user when it is not tracked. */
  polls: number;
  /** Set when the task is to fail with this message (control.failNextDelete). */
  readonly failWith: string | null;
  finished: boolean;
  successful: boolean;
  messages: string[];
}

export const INTERNAL_DIRECTORY: ConfluenceDirectory = { id: 1, name: 'Confluence Internal Directory', readOnly: false };
export const LDAP_DIRECTORY: ConfluenceDirectory = { id: 2, name: 'Corporate LDAP (read only)', readOnly: true };

const lower = (s: string) => s.toLocaleLowerCase('en-US');
const INVALID_NAME = /[\s\\,+<>'"]/;

/** Why Confluence refuses `name` as a user name; null when it is valid. */
export function invalidUsername(name: string): string | null {
  if (!name) return 'userName is required.';
  if (name !== lower(name)) return `Username '${name}' must be lower case.`;
  if (INVALID_NAME.test(name)) return `Username '${name}' must not contain whitespace or any of \\ , + < > ' ".`;
  if (name === 'anonymous') return "The username 'anonymous' is reserved.";
  return null;
}

/** The state of one emulated Confluence instance. */
export class ConfluenceModel {
  readonly directories: readonly ConfluenceDirectory[] = [INTERNAL_DIRECTORY, LDAP_DIRECTORY];
  private readonly usersByKey = new Map<string, ConfluenceUser>();
  private readonly keyByName = new Map<string, string>();
  private readonly groupsByName = new Map<string, ConfluenceGroup>();
  private readonly groupsByUser = new Map<string, Set<ConfluenceGroup>>();
  readonly tasks = new Map<string, LongTask>();
  private sortedCache: ConfluenceUser[] | null = null;
  /** Active users the licence allows; null for no limit. */
  userLimit: number | null = null;
  /** The next deletion's long task fails with this message (control.failNextDelete). */
  nextDeleteFailure: string | null = null;

  sortedUsers(): readonly ConfluenceUser[] {
    this.sortedCache ??= [...this.usersByKey.values()].sort((a, b) => (a.username < b.username ? -1 : 1));
    return this.sortedCache;
  }

  get groups(): ConfluenceGroup[] {
    return [...this.groupsByName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  findUser(name: string): ConfluenceUser | undefined {
    const key = this.keyByName.get(lower(name));
    return key === undefined ? undefined : this.usersByKey.get(key);
  }

  userByKey(key: string): ConfluenceUser | undefined {
    return this.usersByKey.get(key);
  }

  findGroup(name: string): ConfluenceGroup | undefined {
    return this.groupsByName.get(lower(name));
  }

  isReadOnly(user: ConfluenceUser): boolean {
    return this.directories.find((d) => d.id === user.directoryId)?.readOnly ?? false;
  }

  activeCount(): number {
    let n = 0;
    for (const u of this.usersByKey.values()) if (u.active) n++;
    return n;
  }

  private checkSeat(): void {
    if (this.userLimit !== null && this.activeCount() >= this.userLimit) {
      throw new ConfluenceFailure(402, 'Your Confluence license does not allow more users: the user limit has been reached.');
    }
  }

  private writable(user: ConfluenceUser): void {
    if (this.isReadOnly(user)) {
      throw new ConfluenceFailure(
        403,
        `User '${user.username}' belongs to a read-only directory and cannot be modified in Confluence.`,
      );
    }
  }

  /** Creates a user as the REST API does (`checked`), or as a seed/LDAP sync would. */
  createUser(input: NewConfluenceUser, checked = false): ConfluenceUser {
    const name = checked ? input.username : lower(input.username);
    const invalid = invalidUsername(name);
    if (invalid) throw new ConfluenceFailure(400, invalid);
    if (this.keyByName.has(lower(name))) throw new ConfluenceFailure(409, `A user with username '${name}' already exists.`);
    if (checked && input.active !== false) this.checkSeat();
    const user: ConfluenceUser = {
      key: `4028${randomBytes(14).toString('hex')}`,
      username: name,
      fullName: input.fullName?.trim() || name,
      email: input.email ?? '',
      active: input.active ?? true,
      directoryId: input.directoryId ?? INTERNAL_DIRECTORY.id,
    };
    this.usersByKey.set(user.key, user);
    this.keyByName.set(lower(name), user.key);
    this.sortedCache = null;
    return user;
  }

  updateUser(user: ConfluenceUser, patch: { fullName?: string; email?: string }): void {
    this.writable(user);
    if (patch.fullName !== undefined) user.fullName = patch.fullName;
    if (patch.email !== undefined) user.email = patch.email;
  }

  /** Disables or enables (idempotent); enabling takes a licence seat. */
  setActive(user: ConfluenceUser, active: boolean): void {
    if (user.active === active) return;
    this.writable(user);
    if (active) this.checkSeat();
    user.active = active;
  }

  /** Checks a deletion may start; the removal itself is {@link removeUser}. */
  checkDelete(user: ConfluenceUser, actor: ConfluenceUser): void {
    if (user.key === actor.key) throw new ConfluenceFailure(403, 'You cannot delete your own account.');
    this.writable(user);
  }

  removeUser(user: ConfluenceUser): void {
    this.usersByKey.delete(user.key);
    this.keyByName.delete(lower(user.username));
    this.sortedCache = null;
    for (const g of this.groupsByUser.get(user.key) ?? []) g.members.delete(user.key);
    this.groupsByUser.delete(user.key);
  }

  createGroup(name: string): ConfluenceGroup {
    const trimmed = lower(name.trim());
    if (!trimmed) throw new ConfluenceFailure(400, 'A group name is required.');
    if (this.groupsByName.has(trimmed)) throw new ConfluenceFailure(409, `A group with name '${trimmed}' already exists.`);
    const group: ConfluenceGroup = { name: trimmed, members: new Set() };
    this.groupsByName.set(trimmed, group);
    return group;
  }

  deleteGroup(group: ConfluenceGroup, actor: ConfluenceUser): void {
    if (group.name === 'confluence-administrators' && group.members.has(actor.key)) {
      throw new ConfluenceFailure(403, 'You cannot delete a group that grants your own administrator rights.');
    }
    this.groupsByName.delete(group.name);
    for (const key of group.members) this.groupsByUser.get(key)?.delete(group);
  }

  /** Adds (idempotent), refusing read-only users. */
  addMember(group: ConfluenceGroup, user: ConfluenceUser): void {
    if (group.members.has(user.key)) return;
    this.writable(user);
    this.putMember(group, user);
  }

  /** Makes `user` a member without the directory's rules (seeding, as an LDAP sync would). */
  putMember(group: ConfluenceGroup, user: ConfluenceUser): void {
    group.members.add(user.key);
    let groups = this.groupsByUser.get(user.key);
    if (!groups) this.groupsByUser.set(user.key, (groups = new Set()));
    groups.add(group);
  }

  removeMember(group: ConfluenceGroup, user: ConfluenceUser): void {
    if (!group.members.has(user.key)) return;
    this.writable(user);
    group.members.delete(user.key);
    this.groupsByUser.get(user.key)?.delete(group);
  }

  groupsOf(user: ConfluenceUser): ConfluenceGroup[] {
    return [...(this.groupsByUser.get(user.key) ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  /** Finishes the long tasks whose time has come (`nowMs`) and that were read often enough, deleting their users. */
  advanceTasks(nowMs: number): void {
    for (const task of this.tasks.values()) {
      if (task.finished || nowMs < task.startedMs + task.durationMs || task.polls < task.pollsNeeded) continue;
      task.finished = true;
      const user = this.findUser(task.username);
      if (task.failWith) {
        task.successful = false;
        task.messages = [task.failWith];
      } else {
        if (user) this.removeUser(user);
        task.successful = true;
        task.messages = [`User ${task.username} was deleted.`];
      }
    }
  }
}
