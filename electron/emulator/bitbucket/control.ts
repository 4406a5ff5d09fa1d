/**
 * The demo Bitbucket's control API for tests and demos: state inspection, pre-existing data, global permissions,
 * rate and user limits, faults, credentials and request counts. In process as `emu.control.*`.
 */
import { randomBytes } from 'node:crypto';
import { JiraFaults, type JiraFaultSettings } from '../jira/control';
import type { JiraRateLimiter, RateLimitSettings } from '../jira/rate-limit';
import {
  BitbucketFailure,
  LDAP_DIRECTORY,
  type BitbucketModel,
  type BitbucketUser,
  type GlobalPermission,
  type NewBitbucketUser,
} from './model';
import type { AddUsersBehaviour } from './rest-api';

/** Counts since start (or `resetCounters`). */
export interface BitbucketCounters {
  /** REST requests by `METHOD /path` (path after `/rest/api/latest`). */
  requests: Record<string, number>;
  statuses: Record<string, number>;
  throttled429: number;
  faults: number;
  /** The passwords user creations sent, so a test can check none of them shows anywhere else. Emulator only. */
  createdPasswords: string[];
}

export const emptyBitbucketCounters = (): BitbucketCounters => ({
  requests: {},
  statuses: {},
  throttled429: 0,
  faults: 0,
  createdPasswords: [],
});

export interface BitbucketUserSummary {
  readonly id: number;
  readonly name: string;
  readonly emailAddress: string;
  readonly displayName: string;
  readonly readOnlyDirectory: boolean;
  readonly groups: string[];
  /** The effective global permission, or null: not licensed. */
  readonly permission: GlobalPermission | null;
}

export interface BitbucketEmulatorControl {
  users(): BitbucketUserSummary[];
  user(name: string): BitbucketUserSummary | undefined;
  groups(): { name: string; members: string[]; permission: GlobalPermission | null }[];
  /** Adds a pre-existing user (`readOnly` puts it in the LDAP directory) in the given existing groups. */
  addUser(input: NewBitbucketUser & { readOnly?: boolean; groups?: string[]; password?: string }): BitbucketUserSummary;
  addGroup(name: string, permission?: GlobalPermission | null): void;
  addMember(group: string, username: string): void;
  /** Grants (or with null revokes) a global permission to a group. */
  setGroupPermission(group: string, permission: GlobalPermission | null): void;
  setUserPermission(username: string, permission: GlobalPermission | null): void;
  setRateLimit(settings: RateLimitSettings | null): void;
  /** Licensed users allowed; null removes the limit. */
  setUserLimit(limit: number | null): void;
  setFaults(settings: JiraFaultSettings): void;
  clearFaults(): void;
  /**
   * How `groups/add-users` ends when a user is refused part-way (`atomic`: none of the call's users stay), and
   * `crashAfter`: the next call adds that many of its users, answers 500, and every request after it answers 500
   * until `clearFaults()` (a node dying mid-call).
   */
  setAddUsers(settings: { atomic?: boolean; crashAfter?: number | null }): void;
  /** A new HTTP access token for `username` (tokens cannot hold ADMIN: admin resources refuse them). */
  createToken(username: string): string;
  /** Sets a user's password (for a non-administrator's sign-in). */
  setPassword(username: string, password: string): void;
  counters(): BitbucketCounters;
  resetCounters(): void;
}

export interface ControlDeps {
  readonly model: BitbucketModel;
  readonly limiter: JiraRateLimiter;
  readonly faults: JiraFaults;
  /** Passwords by user id. */
  readonly passwords: Map<number, string>;
  /** HTTP access tokens → user id. */
  readonly tokens: Map<string, number>;
  readonly counters: BitbucketCounters;
  readonly addUsers: AddUsersBehaviour;
}

export { JiraFaults as BitbucketFaults };

export function createBitbucketControl(deps: ControlDeps): BitbucketEmulatorControl {
  const { model } = deps;
  const summary = (u: BitbucketUser): BitbucketUserSummary => ({
    id: u.id,
    name: u.name,
    emailAddress: u.emailAddress,
    displayName: u.displayName,
    readOnlyDirectory: model.isReadOnly(u),
    groups: model.groupsOf(u).map((g) => g.name),
    permission: model.permissionOf(u) ?? null,
  });
  const mustUser = (name: string) => {
    const u = model.findUser(name);
    if (!u) throw new BitbucketFailure(404, `No user '${name}'.`);
    return u;
  };
  const mustGroup = (name: string) => {
    const g = model.findGroup(name);
    if (!g) throw new BitbucketFailure(404, `No group '${name}'.`);
    return g;
  };
  const lower = (s: string) => s.toLocaleLowerCase('en-US');
  return {
    users: () => model.sortedUsers().map(summary),
    user: (name) => {
      const u = model.findUser(name);
      return u ? summary(u) : undefined;
    },
    groups: () =>
      model.groups.map((g) => ({
        name: g.name,
        members: [...g.members].map((id) => model.userById(id)?.name ?? String(id)).sort(),
        permission: model.groupPermissions.get(lower(g.name)) ?? null,
      })),
    addUser: (input) => {
      const user = model.createUser({ ...input, ...(input.readOnly ? { directoryId: LDAP_DIRECTORY.id } : {}) });
      for (const g of input.groups ?? []) model.putMember(mustGroup(g), user);
      if (input.password) deps.passwords.set(user.id, input.password);
      return summary(user);
    },
    addGroup: (name, permission) => {
      model.createGroup(name);
      if (permission) model.groupPermissions.set(lower(name), permission);
    },
    addMember: (group, username) => model.putMember(mustGroup(group), mustUser(username)),
    setGroupPermission: (group, permission) => {
      const key = lower(mustGroup(group).name);
      if (permission) model.groupPermissions.set(key, permission);
      else model.groupPermissions.delete(key);
    },
    setUserPermission: (username, permission) => {
      const u = mustUser(username);
      if (permission) model.userPermissions.set(u.id, permission);
      else model.userPermissions.delete(u.id);
    },
    setRateLimit: (settings) => deps.limiter.configure(settings),
    setUserLimit: (limit) => {
      model.userLimit = limit;
    },
    setFaults: (settings) => deps.faults.set(settings),
    clearFaults: () => deps.faults.set({}),
    setAddUsers: (settings) => {
      if (settings.atomic !== undefined) deps.addUsers.atomic = settings.atomic;
      if (settings.crashAfter !== undefined) deps.addUsers.crashAfter = settings.crashAfter;
    },
    createToken: (username) => {
      const token = randomBytes(33).toString('base64url');
      deps.tokens.set(token, mustUser(username).id);
      return token;
    },
    setPassword: (username, password) => void deps.passwords.set(mustUser(username).id, password),
    counters: () => structuredClone(deps.counters),
    resetCounters: () => Object.assign(deps.counters, emptyBitbucketCounters()),
  };
}
