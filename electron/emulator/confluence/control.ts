/**
 * The demo Confluence's control API for tests and demos: state inspection, pre-existing data, rate and licence
 * limits, failing deletions, faults, tokens and request counts. In process as `emu.control.*`.
 */
import { randomBytes } from 'node:crypto';
import { faultAndCounterControl, type FaultAndCounterControl } from '../control-kit';
import type { JiraFaults } from '../jira/control';
import type { JiraRateLimiter, RateLimitSettings } from '../jira/rate-limit';
import { ConfluenceFailure, LDAP_DIRECTORY, type ConfluenceModel, type ConfluenceUser, type NewConfluenceUser } from './model';

/** Counts since start (or `resetCounters`). */
export interface ConfluenceCounters {
  /** REST requests by `METHOD /path` (path after `/rest/api`, names replaced by `{u}` / `{g}` / `{id}`). */
  requests: Record<string, number>;
  statuses: Record<string, number>;
  throttled429: number;
  faults: number;
  /** The passwords user creations sent, so a test can check none of them shows anywhere else. Emulator only. */
  createdPasswords: string[];
}

export const emptyConfluenceCounters = (): ConfluenceCounters => ({
  requests: {},
  statuses: {},
  throttled429: 0,
  faults: 0,
  createdPasswords: [],
});

export interface ConfluenceUserSummary {
  readonly key: string;
  readonly username: string;
  readonly email: string;
  readonly fullName: string;
  readonly active: boolean;
  readonly readOnlyDirectory: boolean;
  readonly groups: string[];
}

export interface ConfluenceEmulatorControl extends FaultAndCounterControl<ConfluenceCounters> {
  users(): ConfluenceUserSummary[];
  user(name: string): ConfluenceUserSummary | undefined;
  groups(): { name: string; members: string[] }[];
  /** Adds a pre-existing user (`readOnly` puts it in the LDAP directory) in the given existing groups. */
  addUser(input: NewConfluenceUser & { readOnly?: boolean; groups?: string[] }): ConfluenceUserSummary;
  addGroup(name: string): void;
  addMember(group: string, username: string): void;
  setRateLimit(settings: RateLimitSettings | null): void;
  /** Active users the licence allows; null removes the limit. */
  setUserLimit(limit: number | null): void;
  /** The next deletion's long task finishes unsuccessfully with `message`. */
  failNextDelete(message: string): void;
  /** Long tasks not finished yet. */
  pendingTasks(): number;
  /** A new personal access token of `username`. */
  createToken(username: string): string;
}

export interface ControlDeps {
  readonly model: ConfluenceModel;
  readonly limiter: JiraRateLimiter;
  readonly faults: JiraFaults;
  /** Personal access tokens → user key. */
  readonly tokens: Map<string, string>;
  readonly counters: ConfluenceCounters;
  readonly nowMs: () => number;
}

export function createConfluenceControl(deps: ControlDeps): ConfluenceEmulatorControl {
  const { model } = deps;
  const summary = (u: ConfluenceUser): ConfluenceUserSummary => ({
    key: u.key,
    username: u.username,
    email: u.email,
    fullName: u.fullName,
    active: u.active,
    readOnlyDirectory: model.isReadOnly(u),
    groups: model.groupsOf(u).map((g) => g.name),
  });
  const mustUser = (name: string) => {
    const u = model.findUser(name);
    if (!u) throw new ConfluenceFailure(404, `No user '${name}'.`);
    return u;
  };
  const mustGroup = (name: string) => {
    const g = model.findGroup(name);
    if (!g) throw new ConfluenceFailure(404, `No group '${name}'.`);
    return g;
  };
  const settle = () => model.advanceTasks(deps.nowMs());
  return {
    ...faultAndCounterControl(deps.faults, deps.counters, emptyConfluenceCounters),
    users: () => (settle(), model.sortedUsers().map(summary)),
    user: (name) => {
      settle();
      const u = model.findUser(name);
      return u ? summary(u) : undefined;
    },
    groups: () => (
      settle(),
      model.groups.map((g) => ({
        name: g.name,
        members: [...g.members].map((k) => model.userByKey(k)?.username ?? k).sort(),
      }))
    ),
    addUser: (input) => {
      const user = model.createUser({ ...input, ...(input.readOnly ? { directoryId: LDAP_DIRECTORY.id } : {}) });
      for (const g of input.groups ?? []) model.putMember(mustGroup(g), user);
      return summary(user);
    },
    addGroup: (name) => void model.createGroup(name),
    addMember: (group, username) => model.putMember(mustGroup(group), mustUser(username)),
    setRateLimit: (settings) => deps.limiter.configure(settings),
    setUserLimit: (limit) => {
      model.userLimit = limit;
    },
    failNextDelete: (message) => {
      model.nextDeleteFailure = message;
    },
    pendingTasks: () => (settle(), [...model.tasks.values()].filter((t) => !t.finished).length),
    createToken: (username) => {
      const token = randomBytes(33).toString('base64url');
      deps.tokens.set(token, mustUser(username).key);
      return token;
    },
  };
}
