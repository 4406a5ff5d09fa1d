import { AppError } from '../../../shared/errors';
import type { GroupFields, PlanItem, UserFields } from '../../../shared/sync';

/**
 * The port every sync target implements: the embedded SQLite directory now, Jira / Confluence / Bitbucket Data
 * Center and SCIM later. It only promises what those systems can really do (see atlassian-facts.md):
 * - state is read in pages, in the target's own keys;
 * - every write is a single-object operation that is idempotent from the caller's view (creating what exists, or
 *   deleting what is gone, is `unchanged`, not an error), so an interrupted run can simply be run again;
 * - what a target cannot do is a capability flag the planner reads (Bitbucket has no deactivate, Jira cannot
 *   rename groups), never a silent no-op.
 */

/** What a target can do; the planner turns a missing capability into a warning instead of an item. */
export interface TargetCapabilities {
  /** Users can be deactivated and reactivated (false for Bitbucket DC internal users). */
  readonly canDisable: boolean;
  readonly canDeleteUsers: boolean;
  /** A user's username can change in place (Jira: yes; Confluence: no). */
  readonly canRenameUsers: boolean;
  readonly canRenameGroups: boolean;
  readonly canDeleteGroups: boolean;
  /**
   * The target itself stores each account's Entra object id. When false (Jira, Confluence, Bitbucket) the sync
   * keeps the id ↔ name links in its own store and fills `externalId` from there.
   */
  readonly storesExternalId: boolean;
  /** How many single operations may run at once (a remote REST API's politeness limit). */
  readonly maxConcurrency: number;
  /**
   * The user and group fields the target holds; the planner compares only these (Jira keeps no given name,
   * surname or group description: comparing them would plan the same update on every run). Default: all.
   */
  readonly userFields?: readonly (keyof UserFields)[];
  readonly groupFields?: readonly (keyof GroupFields)[];
}

/** A user as the target holds it. `key` is the target's own stable id (SQLite row id, Jira user key…). */
export interface TargetUserRecord extends UserFields {
  readonly key: string;
  /** The Entra object id this account is linked to; null for accounts the sync does not manage. */
  readonly externalId: string | null;
  readonly active: boolean;
}

/** A group as the target holds it. */
export interface TargetGroupRecord extends GroupFields {
  readonly key: string;
  readonly externalId: string | null;
}

/**
 * Direct user members of one group, in target keys. A big group may come in several records (pages of its member
 * list, as the Atlassian APIs return them); the caller appends them.
 */
export interface TargetGroupMembers {
  readonly groupKey: string;
  readonly userKeys: readonly string[];
}

/** How a user is addressed in a write: REST targets use the name, the local directory the Entra id. */
export interface UserRef {
  readonly externalId: string;
  readonly username: string;
}

export interface GroupRef {
  readonly externalId: string;
  readonly name: string;
}

/** What a write did: `unchanged` when the object was already in the asked state (a replayed item). */
export type WriteResult = 'applied' | 'unchanged';

/** Reading options shared by the paged reads. */
export interface TargetReadOptions {
  readonly pageSize?: number;
  readonly signal?: AbortSignal;
}

/** The outcome of one item applied in a batch. */
export type BatchItemResult =
  | { readonly outcome: WriteResult }
  | {
      readonly outcome: 'failed';
      readonly error: {
        readonly code: TargetErrorCode;
        readonly message: string;
        /** A remote target's finer cause (`read-only-directory`, `user-limit`…), for the guard's run memory. */
        readonly reason?: string;
      };
    };

/** A sync target. */
export interface DirectoryTarget {
  /** A stable id for logs and history, e.g. `local`. */
  readonly id: string;
  readonly capabilities: TargetCapabilities;

  readUsers(options?: TargetReadOptions): AsyncIterable<readonly TargetUserRecord[]>;
  readGroups(options?: TargetReadOptions): AsyncIterable<readonly TargetGroupRecord[]>;
  /** Direct user members of every group (including groups the sync does not manage; the caller filters). */
  readMemberships(options?: TargetReadOptions): AsyncIterable<readonly TargetGroupMembers[]>;

  createUser(externalId: string, fields: UserFields, active: boolean): Promise<WriteResult>;
  /** Changes only the given fields. */
  updateUser(user: UserRef, changes: Partial<UserFields>): Promise<WriteResult>;
  setUserActive(user: UserRef, active: boolean): Promise<WriteResult>;
  deleteUser(user: UserRef): Promise<WriteResult>;
  createGroup(externalId: string, fields: GroupFields): Promise<WriteResult>;
  updateGroup(group: GroupRef, changes: Partial<GroupFields>): Promise<WriteResult>;
  deleteGroup(group: GroupRef): Promise<WriteResult>;
  addMember(group: GroupRef, user: UserRef): Promise<WriteResult>;
  removeMember(group: GroupRef, user: UserRef): Promise<WriteResult>;

  /**
   * Applies several items as one unit of work when the target can (one SQLite transaction): each item still
   * succeeds or fails on its own. Targets without it get the items one by one through the single operations.
   */
  applyBatch?(items: readonly PlanItem[]): Promise<readonly BatchItemResult[]>;
}

export type TargetErrorCode =
  /** The object to change does not exist (any more). */
  | 'not-found'
  /** A unique name is held by another object. */
  | 'conflict'
  /** The target cannot do this (capability missing, read-only directory). */
  | 'unsupported'
  /** The target refused the data (validation, licence limit). */
  | 'rejected'
  /** The target could not be reached or failed; retrying later may work. */
  | 'unavailable';

/** A failed target operation. */
export class TargetError extends AppError {
  declare readonly code: TargetErrorCode;
  constructor(code: TargetErrorCode, message: string) {
    super(code, message);
    this.name = 'TargetError';
  }
}
