/**
 * The demo Crowd's in-process control API for tests and demos (`crowd.control.*`): state inspection, pre-existing
 * data (read-only LDAP users, nested groups), the rate and user limits, the application's allowed addresses, how a
 * read-only directory refuses writes, faults and request counts.
 */
import { faultAndCounterControl, type FaultAndCounterControl } from '../control-kit';
import { JiraFaults } from '../jira/control';
import type { JiraRateLimiter, RateLimitSettings } from '../jira/rate-limit';
import { LDAP_DIRECTORY, type CrowdModel, type CrowdUser, type NewCrowdUser, type ReadOnlyRefusal } from './model';

/** Counts since start (or `resetCounters`). */
export interface CrowdCounters {
  /** REST requests by `METHOD /path` (path after `/rest/usermanagement/1`). */
  requests: Record<string, number>;
  statuses: Record<string, number>;
  throttled429: number;
  faults: number;
}

export const emptyCrowdCounters = (): CrowdCounters => ({ requests: {}, statuses: {}, throttled429: 0, faults: 0 });

/** A user as the control API shows it. */
export interface CrowdUserSummary {
  readonly name: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly displayName: string;
  readonly email: string;
  readonly active: boolean;
  readonly readOnlyDirectory: boolean;
  readonly directory: string;
  readonly groups: string[];
  /** Direct groups and the groups they are nested in, at any depth (Crowd's effective memberships). */
  readonly nestedGroups: string[];
}

/** How the rate limiter answers: Crowd documents none, so by default a 429 carries only `Retry-After`. */
export interface CrowdRateLimit extends RateLimitSettings {
  /** Also send Atlassian's `X-RateLimit-*` headers (as a proxy in front of Crowd might). Default false. */
  readonly headers?: boolean;
}

/** The mutable settings the server reads on each request. */
export interface CrowdSettings {
  /** Remote addresses the application accepts; null: any. */
  allowedAddresses: string[] | null;
  rateHeaders: boolean;
}

export interface CrowdEmulatorControl extends FaultAndCounterControl<CrowdCounters> {
  users(): CrowdUserSummary[];
  user(name: string): CrowdUserSummary | undefined;
  groups(): { name: string; description: string; members: string[]; children: string[] }[];
  /** Adds a pre-existing user (`readOnly` puts it in the LDAP directory) in the given existing groups. */
  addUser(input: NewCrowdUser & { readOnly?: boolean; groups?: string[] }): CrowdUserSummary;
  addGroup(name: string, description?: string): void;
  addMember(group: string, username: string): void;
  /** Nests `child` in `parent` (Crowd's nested groups). */
  addChildGroup(parent: string, child: string): void;
  setRateLimit(settings: CrowdRateLimit | null): void;
  /** Active users the licence allows; null removes the limit. */
  setUserLimit(limit: number | null): void;
  /** Addresses the application is allowed from (Applications → app → Remote addresses); null allows any. */
  setAllowedAddresses(addresses: string[] | null): void;
  setReadOnlyRefusal(kind: ReadOnlyRefusal): void;
  /** Makes every directory of the application read-only (creation then has nowhere to go), or restores them. */
  setAllReadOnly(readOnly: boolean): void;
}

export interface ControlDeps {
  readonly model: CrowdModel;
  readonly limiter: JiraRateLimiter;
  readonly faults: JiraFaults;
  readonly counters: CrowdCounters;
  readonly settings: CrowdSettings;
}

export { JiraFaults as CrowdFaults };

/** Builds the control object over the emulator's state. */
export function createCrowdControl(deps: ControlDeps): CrowdEmulatorControl {
  const { model } = deps;
  const original = [...model.directories];
  const summary = (u: CrowdUser): CrowdUserSummary => ({
    name: u.name,
    firstName: u.firstName,
    lastName: u.lastName,
    displayName: u.displayName,
    email: u.email,
    active: u.active,
    readOnlyDirectory: model.directoryOf(u.directoryId)?.readOnly ?? false,
    directory: model.directoryOf(u.directoryId)?.name ?? String(u.directoryId),
    groups: model.groupsOf(u),
    nestedGroups: model.nestedGroupsOf(u),
  });
  return {
    ...faultAndCounterControl(deps.faults, deps.counters, emptyCrowdCounters),
    users: () => [...model.users.values()].map(summary),
    user: (name) => {
      const u = model.findUser(name);
      return u ? summary(u) : undefined;
    },
    groups: () =>
      [...model.groups.values()].map((g) => ({
        name: g.name,
        description: g.description,
        members: [...g.members].map((k) => model.findUser(k)?.name ?? k),
        children: [...g.children].map((k) => model.findGroup(k)?.name ?? k),
      })),
    addUser: (input) => {
      const user = model.createUser({ ...input, ...(input.readOnly ? { directoryId: LDAP_DIRECTORY.id } : {}) }, true);
      for (const g of input.groups ?? []) model.addMember(model.mustGroup(g), user, true);
      return summary(user);
    },
    addGroup: (name, description = '') => void model.createGroup(name, description, true),
    addMember: (group, username) => model.addMember(model.mustGroup(group), model.mustUser(username), true),
    addChildGroup: (parent, child) => model.addChild(model.mustGroup(parent), model.mustGroup(child)),
    setRateLimit: (settings) => {
      deps.limiter.configure(settings);
      deps.settings.rateHeaders = settings?.headers ?? false;
    },
    setUserLimit: (limit) => {
      model.userLimit = limit;
    },
    setAllowedAddresses: (addresses) => {
      deps.settings.allowedAddresses = addresses ? [...addresses] : null;
    },
    setReadOnlyRefusal: (kind) => {
      model.readOnlyRefusal = kind;
    },
    setAllReadOnly: (readOnly) => {
      model.directories = readOnly ? original.map((d) => ({ ...d, readOnly: true })) : [...original];
    },
  };
}
