/**
 * The emulated tenant's directory: users, groups, memberships and the few other object kinds that appear as group
 * members, plus a change log that delta queries read. Objects are kept in append-only arrays (stable paging order,
 * removed objects stay as tombstones) with an id index; the initial dataset writes no log entries, so memory grows
 * with changes, not with tenant size.
 */

/** Kinds of directory objects the emulator knows. */
export type ObjectKind = 'user' | 'group' | 'device' | 'orgContact' | 'servicePrincipal';

/** How an object left the directory, as delta reports it. */
export type RemovedReason = 'changed' | 'deleted';

/** A user as stored. Property names match Graph's; absent values are null. */
export interface UserRecord {
  readonly kind: 'user';
  readonly id: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  userPrincipalName: string;
  mail: string | null;
  mailNickname: string;
  userType: 'Member' | 'Guest';
  accountEnabled: boolean;
  onPremisesSamAccountName: string | null;
  jobTitle: string | null;
  department: string | null;
  externalUserState: string | null;
  createdDateTime: string;
  /** Sequence number of the last change (0 = part of the generated dataset). */
  seq: number;
  removed?: RemovedReason;
}

/** A group as stored, with its direct members' ids. */
export interface GroupRecord {
  readonly kind: 'group';
  readonly id: string;
  displayName: string;
  description: string | null;
  mail: string | null;
  mailEnabled: boolean;
  mailNickname: string;
  securityEnabled: boolean;
  groupTypes: string[];
  createdDateTime: string;
  members: string[];
  seq: number;
  removed?: RemovedReason;
}

/** Devices, organisational contacts and service principals: only ever seen as group members. */
export interface OtherRecord {
  readonly kind: 'device' | 'orgContact' | 'servicePrincipal';
  readonly id: string;
  readonly displayName: string;
  readonly extra: Readonly<Record<string, unknown>>;
}

export type DirectoryRecord = UserRecord | GroupRecord | OtherRecord;

/** Writable user fields (what the control API accepts). */
export type UserInput = Partial<Omit<UserRecord, 'kind' | 'id' | 'seq' | 'removed'>> & { id?: string };
/** Writable group fields. */
export type GroupInput = Partial<Omit<GroupRecord, 'kind' | 'id' | 'seq' | 'removed' | 'members'>> & {
  id?: string;
  members?: string[];
};

/** One entry of an object change log. */
export interface ChangeEntry {
  readonly seq: number;
  readonly id: string;
}

/** One membership change. */
export interface MemberChange {
  readonly seq: number;
  readonly groupId: string;
  readonly memberId: string;
  readonly removed: boolean;
}

/** The `@odata.type` of a kind. */
export const odataType: Record<ObjectKind, string> = {
  user: '#microsoft.graph.user',
  group: '#microsoft.graph.group',
  device: '#microsoft.graph.device',
  orgContact: '#microsoft.graph.orgContact',
  servicePrincipal: '#microsoft.graph.servicePrincipal',
};

/** Error thrown by mutations on unknown objects or bad input; the control API turns it into a 4xx. */
export class DirectoryError extends Error {
  constructor(
    readonly code: 'not-found' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'DirectoryError';
  }
}

/** The tenant's objects and change history. */
export class Directory {
  /** Last change sequence number handed out. */
  seq = 0;
  readonly users: UserRecord[] = [];
  readonly groups: GroupRecord[] = [];
  readonly userChanges: ChangeEntry[] = [];
  readonly groupChanges: ChangeEntry[] = [];
  readonly memberChanges: MemberChange[] = [];
  private readonly index = new Map<string, DirectoryRecord>();
  private liveUsers = 0;

  constructor(
    private readonly newId: () => string,
    private readonly now: () => Date,
  ) {}

  /** Users not removed. */
  get userCount(): number {
    return this.liveUsers;
  }

  /** Any object by id, including removed users and groups (callers check `removed`). */
  get(id: string): DirectoryRecord | undefined {
    return this.index.get(id);
  }

  /** A live user by id or user principal name (case-insensitive UPN, as Graph). */
  findUser(idOrUpn: string): UserRecord | undefined {
    const byId = this.index.get(idOrUpn) ?? this.index.get(idOrUpn.toLowerCase());
    if (byId?.kind === 'user' && !byId.removed) return byId;
    const lower = idOrUpn.toLowerCase();
    return this.users.find((u) => !u.removed && u.userPrincipalName.toLowerCase() === lower);
  }

  /** A live group by id. */
  findGroup(id: string): GroupRecord | undefined {
    const g = this.index.get(id.toLowerCase());
    return g?.kind === 'group' && !g.removed ? g : undefined;
  }

  /** Loads a generated object without logging a change (initial dataset). */
  load(record: DirectoryRecord): void {
    this.index.set(record.id, record);
    if (record.kind === 'user') {
      this.users.push(record);
      if (!record.removed) this.liveUsers++;
    } else if (record.kind === 'group') this.groups.push(record);
  }

  private tick(): number {
    this.seq += 1;
    return this.seq;
  }

  /** Creates a user; delta reports it. */
  addUser(input: UserInput): UserRecord {
    const id = input.id ?? this.newId();
    if (this.index.has(id)) throw new DirectoryError('conflict', `An object with id ${id} already exists.`);
    const nick = input.mailNickname ?? `user${this.users.length + 1}`;
    const upn = input.userPrincipalName;
    if (!upn) throw new DirectoryError('invalid', 'userPrincipalName is required.');
    const seq = this.tick();
    const user: UserRecord = {
      kind: 'user',
      id,
      displayName: input.displayName ?? nick,
      givenName: input.givenName ?? null,
      surname: input.surname ?? null,
      userPrincipalName: upn,
      mail: input.mail ?? null,
      mailNickname: nick,
      userType: input.userType ?? 'Member',
      accountEnabled: input.accountEnabled ?? true,
      onPremisesSamAccountName: input.onPremisesSamAccountName ?? null,
      jobTitle: input.jobTitle ?? null,
      department: input.department ?? null,
      externalUserState: input.externalUserState ?? null,
      createdDateTime:
        input.createdDateTime ??
        this.now()
          .toISOString()
          .replace(/\.\d+Z$/, 'Z'),
      seq,
    };
    this.load(user);
    this.userChanges.push({ seq, id });
    return user;
  }

  /** Changes user properties; delta reports the user. */
  updateUser(id: string, patch: UserInput): UserRecord {
    const user = this.findUser(id);
    if (!user) throw new DirectoryError('not-found', `No user ${id}.`);
    const { id: _ignored, ...fields } = patch;
    Object.assign(user, fields);
    user.seq = this.tick();
    this.userChanges.push({ seq: user.seq, id: user.id });
    return user;
  }

  /** Removes a user (soft: delta reason `changed`; hard: `deleted`) and its memberships. */
  deleteUser(id: string, hard = false): void {
    const user = this.findUser(id);
    if (!user) throw new DirectoryError('not-found', `No user ${id}.`);
    for (const group of this.groups) {
      if (!group.removed && group.members.includes(user.id)) this.removeMember(group.id, user.id);
    }
    user.removed = hard ? 'deleted' : 'changed';
    user.seq = this.tick();
    this.userChanges.push({ seq: user.seq, id: user.id });
    this.liveUsers--;
  }

  /** Creates a group, optionally with members; delta reports it and its members. */
  addGroup(input: GroupInput): GroupRecord {
    const id = input.id ?? this.newId();
    if (this.index.has(id)) throw new DirectoryError('conflict', `An object with id ${id} already exists.`);
    if (!input.displayName) throw new DirectoryError('invalid', 'displayName is required.');
    const seq = this.tick();
    const group: GroupRecord = {
      kind: 'group',
      id,
      displayName: input.displayName,
      description: input.description ?? null,
      mail: input.mail ?? null,
      mailEnabled: input.mailEnabled ?? false,
      mailNickname: input.mailNickname ?? input.displayName.replace(/[^A-Za-z0-9]/g, '').toLowerCase(),
      securityEnabled: input.securityEnabled ?? true,
      groupTypes: input.groupTypes ?? [],
      createdDateTime:
        input.createdDateTime ??
        this.now()
          .toISOString()
          .replace(/\.\d+Z$/, 'Z'),
      members: [],
      seq,
    };
    this.load(group);
    this.groupChanges.push({ seq, id });
    for (const member of input.members ?? []) this.addMember(id, member);
    return group;
  }

  /** Changes group properties (not members); delta reports the group. */
  updateGroup(id: string, patch: GroupInput): GroupRecord {
    const group = this.findGroup(id);
    if (!group) throw new DirectoryError('not-found', `No group ${id}.`);
    const { id: _i, members: _m, ...fields } = patch;
    Object.assign(group, fields);
    group.seq = this.tick();
    this.groupChanges.push({ seq: group.seq, id: group.id });
    return group;
  }

  /** Removes a group and its membership in other groups. */
  deleteGroup(id: string, hard = false): void {
    const group = this.findGroup(id);
    if (!group) throw new DirectoryError('not-found', `No group ${id}.`);
    for (const parent of this.groups) {
      if (!parent.removed && parent.members.includes(group.id)) this.removeMember(parent.id, group.id);
    }
    group.removed = hard ? 'deleted' : 'changed';
    group.seq = this.tick();
    this.groupChanges.push({ seq: group.seq, id: group.id });
  }

  /** Adds a direct member (user, group, device, contact or service principal). Idempotent. */
  addMember(groupId: string, memberId: string): void {
    const group = this.findGroup(groupId);
    if (!group) throw new DirectoryError('not-found', `No group ${groupId}.`);
    const member = this.index.get(memberId);
    if (!member || ('removed' in member && member.removed)) throw new DirectoryError('not-found', `No object ${memberId}.`);
    if (member.id === group.id) throw new DirectoryError('invalid', 'A group cannot contain itself.');
    if (group.members.includes(member.id)) return;
    group.members.push(member.id);
    this.memberChanges.push({ seq: this.tick(), groupId: group.id, memberId: member.id, removed: false });
  }

  /** Removes a direct member. Idempotent. */
  removeMember(groupId: string, memberId: string): void {
    const group = this.findGroup(groupId);
    if (!group) throw new DirectoryError('not-found', `No group ${groupId}.`);
    const at = group.members.indexOf(memberId);
    if (at < 0) return;
    group.members.splice(at, 1);
    this.memberChanges.push({ seq: this.tick(), groupId: group.id, memberId, removed: true });
  }

  /** Members of a group and of its nested groups, each once, in breadth-first order. */
  transitiveMembers(groupId: string): DirectoryRecord[] {
    const start = this.findGroup(groupId);
    if (!start) return [];
    const seen = new Set<string>([start.id]);
    const out: DirectoryRecord[] = [];
    const queue: GroupRecord[] = [start];
    for (let i = 0; i < queue.length; i++) {
      for (const memberId of (queue[i] as GroupRecord).members) {
        if (seen.has(memberId)) continue;
        seen.add(memberId);
        const member = this.index.get(memberId);
        if (!member) continue;
        out.push(member);
        if (member.kind === 'group' && !member.removed) queue.push(member);
      }
    }
    return out;
  }
}
