/**
 * The demo Jira's control API for tests and demos: state inspection, pre-existing data, rate and user limits, faults,
 * tokens and request counts. In process as `emu.control.*`, over HTTP as `POST {controlUrl}/{method}` with
 * `{"args":[…]}` and `Authorization: Bearer {controlToken}`, answered `{"result":…}` or `{"error":{code,message}}`.
 */
import { randomBytes } from 'node:crypto';
import { faultAndCounterControl, type FaultAndCounterControl } from '../control-kit';
import { handleControlCall, type ControlAnswer } from '../control-http';
import { createPrng, type Prng } from '../prng';
import { JiraFailure, LDAP_DIRECTORY, type JiraModel, type JiraUser, type NewJiraUser } from './model';
import type { JiraRateLimiter, RateLimitSettings } from './rate-limit';

/** A fault the demo Jira can answer with instead of the real answer. */
export type JiraFaultKind = '500' | '503' | 'reset';

export interface JiraFaultSettings {
  /** Probability per REST request of a 503 (with Retry-After), 500 or connection reset. */
  readonly rate503?: number;
  readonly rate500?: number;
  readonly rateReset?: number;
  /** Inject `kind` at these 1-based REST request numbers, counted from when the settings were applied. */
  readonly atRequest?: Readonly<Record<number, JiraFaultKind>>;
  /** Retry-After of injected 503s, seconds. Default 1. */
  readonly retryAfterSeconds?: number;
  readonly seed?: number;
}

/** Counts since start (or `resetCounters`). */
export interface JiraCounters {
  /** REST requests by `METHOD /path` (path after `/rest/api/2`). */
  requests: Record<string, number>;
  /** Answers by HTTP status. */
  statuses: Record<string, number>;
  throttled429: number;
  faults: number;
}

export const emptyJiraCounters = (): JiraCounters => ({ requests: {}, statuses: {}, throttled429: 0, faults: 0 });

/** A user as the control API shows it. */
export interface JiraUserSummary {
  readonly key: string;
  readonly name: string;
  readonly emailAddress: string;
  readonly displayName: string;
  readonly active: boolean;
  readonly readOnlyDirectory: boolean;
  readonly groups: string[];
  readonly applicationKeys: string[];
}

export interface JiraEmulatorControl extends FaultAndCounterControl<JiraCounters> {
  users(): JiraUserSummary[];
  user(nameOrKey: string): JiraUserSummary | undefined;
  groups(): { name: string; members: string[] }[];
  /** Adds a pre-existing user (`readOnly` puts it in the LDAP directory) in the given existing groups. */
  addUser(input: NewJiraUser & { readOnly?: boolean; groups?: string[] }): JiraUserSummary;
  addGroup(name: string): void;
  addMember(group: string, username: string): void;
  /** Turns rate limiting on (buckets start full) or off with null. */
  setRateLimit(settings: RateLimitSettings | null): void;
  /** Licensed (active, with application access) users allowed; null removes the limit. */
  setUserLimit(limit: number | null): void;
  /** A new personal access token for `username` (for tests of a non-administrator's token). */
  createToken(username: string): string;
  /** Revokes a token: requests with it get 401 from now on. */
  revokeToken(token: string): void;
}

/** Decides request by request whether to inject a fault, from a seeded generator so a failing run replays. */
export class JiraFaults {
  private settings: JiraFaultSettings = {};
  private count = 0;
  private prng: Prng = createPrng(1);

  set(settings: JiraFaultSettings): void {
    this.settings = { ...settings };
    this.count = 0;
    this.prng = createPrng(settings.seed ?? 1);
  }

  get retryAfterSeconds(): number {
    return this.settings.retryAfterSeconds ?? 1;
  }

  next(): JiraFaultKind | undefined {
    const s = this.settings;
    this.count += 1;
    const forced = s.atRequest?.[this.count];
    if (forced) return forced;
    const r = this.prng.next();
    let edge = 0;
    for (const [kind, rate] of [
      ['503', s.rate503],
      ['500', s.rate500],
      ['reset', s.rateReset],
    ] as const) {
      edge += rate ?? 0;
      if (r < edge) return kind;
    }
    return undefined;
  }
}

export interface ControlDeps {
  readonly model: JiraModel;
  readonly limiter: JiraRateLimiter;
  readonly faults: JiraFaults;
  readonly tokens: Map<string, string>;
  readonly counters: JiraCounters;
}

/** Builds the control object over the emulator's state. */
export function createJiraControl(deps: ControlDeps): JiraEmulatorControl {
  const { model } = deps;
  const summary = (u: JiraUser): JiraUserSummary => ({
    key: u.key,
    name: u.name,
    emailAddress: u.emailAddress,
    displayName: u.displayName,
    active: u.active,
    readOnlyDirectory: u.directoryId === LDAP_DIRECTORY.id,
    groups: model.groupsOf(u).map((g) => g.name),
    applicationKeys: [...u.applicationKeys],
  });
  const mustUser = (name: string) => {
    const u = model.findUser(name) ?? model.findUserByKey(name);
    if (!u) throw new JiraFailure(404, [`No user '${name}'.`]);
    return u;
  };
  const mustGroup = (name: string) => {
    const g = model.findGroup(name);
    if (!g) throw new JiraFailure(404, [`No group '${name}'.`]);
    return g;
  };
  return {
    ...faultAndCounterControl(deps.faults, deps.counters, emptyJiraCounters),
    users: () => [...model.users.values()].map(summary),
    user: (nameOrKey) => {
      const u = model.findUser(nameOrKey) ?? model.findUserByKey(nameOrKey);
      return u ? summary(u) : undefined;
    },
    groups: () =>
      [...model.groups].map((g) => ({ name: g.name, members: [...g.members].map((k) => model.findUserByKey(k)?.name ?? k) })),
    addUser: (input) => {
      const user = model.createUser({ ...input, ...(input.readOnly ? { directoryId: LDAP_DIRECTORY.id } : {}) });
      // Seeding bypasses the directory's write rules, as an LDAP sync would.
      for (const g of input.groups ?? []) model.putMember(mustGroup(g), user);
      return summary(user);
    },
    addGroup: (name) => void model.createGroup(name),
    addMember: (group, username) => model.putMember(mustGroup(group), mustUser(username)),
    setRateLimit: (settings) => deps.limiter.configure(settings),
    setUserLimit: (limit) => {
      model.userLimit = limit;
    },
    createToken: (username) => {
      const token = randomBytes(33).toString('base64url');
      deps.tokens.set(token, mustUser(username).key);
      return token;
    },
    revokeToken: (token) => {
      deps.tokens.delete(token);
    },
  };
}

/** Answers one HTTP control call. */
export function handleJiraControlHttp(
  control: JiraEmulatorControl,
  controlToken: string,
  method: string,
  authorization: string | undefined,
  body: string,
): ControlAnswer {
  return handleControlCall(control, controlToken, method, authorization, body, (error) =>
    error instanceof JiraFailure ? { status: error.status, code: 'invalid' } : undefined,
  );
}
