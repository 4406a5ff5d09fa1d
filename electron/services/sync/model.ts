import type { GroupFields, SourceGroup, SourceUser, UserFields } from '../../../shared/sync';
import type { TargetCapabilities } from '../targets/directory-target';

/**
 * The in-memory shapes the planner works on: the whole source (after a full or delta read) and the target's
 * current state. Both are keyed by Entra object id. Members are plain arrays of ids (which may repeat: Graph
 * replays, consumers dedupe), not sets: half a million memberships in sets cost several times the memory and
 * seconds of building on every run; the planner turns them into sorted integer lists only when it compares.
 */

/** Everything read from Entra: users, groups and each group's direct members (users and groups only). */
export interface SourceDirectory {
  readonly users: ReadonlyMap<string, SourceUser>;
  readonly groups: ReadonlyMap<string, SourceGroup>;
  /** Group id → direct member ids (users and groups). Devices, contacts and service principals are dropped when read. */
  readonly members: ReadonlyMap<string, readonly string[]>;
}

/** A mutable source directory, as readers and delta merges build it. */
export interface MutableSourceDirectory extends SourceDirectory {
  readonly users: Map<string, SourceUser>;
  readonly groups: Map<string, SourceGroup>;
  readonly members: Map<string, string[]>;
}

/** An empty mutable source directory. */
export function emptySourceDirectory(): MutableSourceDirectory {
  return { users: new Map(), groups: new Map(), members: new Map() };
}

/** A user the sync manages in the target (it carries an Entra object id). */
export interface TargetUserState extends UserFields {
  readonly externalId: string;
  readonly active: boolean;
}

/** A group the sync manages in the target. */
export interface TargetGroupState extends GroupFields {
  readonly externalId: string;
}

/** The target's current state as the planner needs it. */
export interface TargetState {
  readonly capabilities: TargetCapabilities;
  /** Managed users by external id. */
  readonly users: ReadonlyMap<string, TargetUserState>;
  readonly groups: ReadonlyMap<string, TargetGroupState>;
  /** Managed group external id → managed user external ids. */
  readonly members: ReadonlyMap<string, readonly string[]>;
  /** Lower-cased names held by accounts the sync does not manage (local admins, other directories). */
  readonly unmanagedUsernames: ReadonlySet<string>;
  readonly unmanagedGroupNames: ReadonlySet<string>;
}

/** Usernames and group names are compared the way Atlassian products and our SQLite schema compare them. */
export function nameKey(name: string): string {
  return name.toLowerCase();
}
