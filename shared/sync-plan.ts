/**
 * Target records and plan items: the changes a plan would make, in apply order, with their keys and labels, and
 * what the admin needs to decide (counts, risk, conflicts, warnings, scope).
 *
 * Objects are keyed by their Entra object id (`externalId` on the target side), never by username, so renames
 * in Entra become updates and two Entra users can never be merged into one account.
 */
import type { PlanRisk } from './brake';
import type { ConflictObject, ConflictObjectKind } from './name-rules';

/** The user attributes the sync writes; `active` is changed only through enable/disable items. */
export interface UserFields {
  readonly username: string;
  readonly email: string | null;
  readonly displayName: string | null;
  readonly givenName: string | null;
  readonly surname: string | null;
}

export interface GroupFields {
  readonly name: string;
  readonly description: string | null;
}

/** Why an item is in the plan: a stable code plus a sentence for people. */
export interface PlanReason {
  readonly code:
    | 'new-in-scope'
    | 'attributes-changed'
    /** The sync settings' username or e-mail rule changed, not Entra (Sync settings → mapping). */
    | 'mapping-changed'
    | 'disabled-in-entra'
    | 'enabled-in-entra'
    | 'returned-to-scope'
    | 'left-scope'
    | 'deleted-in-entra'
    | 'membership-added'
    | 'membership-removed'
    | 'group-renamed'
    | 'group-vanished';
  readonly message: string;
}

/** One change the plan would make. Users and groups are identified by Entra object id; names are for people. */
export type PlanItem =
  | {
      readonly kind: 'create-user';
      readonly externalId: string;
      readonly after: UserFields;
      readonly active: boolean;
      readonly reason: PlanReason;
    }
  | {
      readonly kind: 'update-user';
      readonly externalId: string;
      readonly username: string;
      /** Only the fields that change, old values. */
      readonly before: Partial<UserFields>;
      readonly after: Partial<UserFields>;
      readonly reason: PlanReason;
    }
  | {
      readonly kind: 'disable-user' | 'enable-user' | 'delete-user';
      readonly externalId: string;
      readonly username: string;
      readonly reason: PlanReason;
    }
  | { readonly kind: 'create-group'; readonly externalId: string; readonly after: GroupFields; readonly reason: PlanReason }
  | {
      readonly kind: 'update-group';
      readonly externalId: string;
      readonly name: string;
      readonly before: Partial<GroupFields>;
      readonly after: Partial<GroupFields>;
      readonly reason: PlanReason;
    }
  | { readonly kind: 'delete-group'; readonly externalId: string; readonly name: string; readonly reason: PlanReason }
  | {
      readonly kind: 'add-member' | 'remove-member';
      readonly groupExternalId: string;
      readonly userExternalId: string;
      readonly groupName: string;
      readonly username: string;
      readonly reason: PlanReason;
    };

export type PlanItemKind = PlanItem['kind'];

/** Every kind, in the order a plan applies them (creates before memberships, destructive steps last). */
export const planItemKinds = [
  'create-group',
  'update-group',
  'delete-user',
  'update-user',
  'enable-user',
  'create-user',
  'add-member',
  'remove-member',
  'disable-user',
  'delete-group',
] as const satisfies readonly PlanItemKind[];

export type PlanCounts = Readonly<Record<PlanItemKind, number>>;

/** A count of zero for every kind. */
export function emptyPlanCounts(): Record<PlanItemKind, number> {
  return Object.fromEntries(planItemKinds.map((k) => [k, 0])) as Record<PlanItemKind, number>;
}

/** A stable key for an item: the same change in two plans has the same key (used by confirmations and history). */
export function planItemKey(item: PlanItem): string {
  switch (item.kind) {
    case 'add-member':
    case 'remove-member':
      return `${item.kind}:${item.groupExternalId}:${item.userExternalId}`;
    default:
      return `${item.kind}:${item.externalId}`;
  }
}

/** The name people see for an item's object. */
export function planItemLabel(item: PlanItem): string {
  switch (item.kind) {
    case 'create-user':
      return item.after.username;
    case 'create-group':
      return item.after.name;
    case 'update-group':
    case 'delete-group':
      return item.name;
    case 'add-member':
    case 'remove-member':
      return `${item.username} ∈ ${item.groupName}`;
    default:
      return item.username;
  }
}

/** Two or more Entra objects that would land on one target name: reported, never merged, never created. */
export interface PlanConflict {
  readonly code:
    | 'username-conflict'
    | 'group-name-conflict'
    | 'username-taken'
    | 'group-name-taken'
    | 'username-missing'
    /** A name set by the admin (Sync settings → Name conflicts) is wanted by another object too: the override loses. */
    | 'override-conflict';
  /** The target name in dispute (lower-cased), or the user's UPN when no username could be derived. */
  readonly name: string;
  /** Entra object ids involved. The one already holding the name in the target, if any, keeps it. */
  readonly externalIds: readonly string[];
  readonly message: string;
  /** The object already synced under the name, which keeps it (absent: none of them is synced under it). */
  readonly keeperId?: string;
  /** Users or groups (absent in conflicts recorded before it was). */
  readonly kind?: ConflictObjectKind;
  /** What tells the objects of `externalIds` apart, as read from Entra (absent: not known). */
  readonly objects?: readonly ConflictObject[];
}

/** Something the plan could not do the way the policy asks (a target limit), said rather than hidden. */
export interface PlanWarning {
  readonly code:
    | 'rename-unsupported'
    | 'disable-unsupported'
    | 'group-rename-unsupported'
    | 'required-group-missing'
    /** An existing target account the sync will link to this Entra object (shown before anything changes). */
    | 'matched'
    /** A protected account or group (the token's own, administrator groups): skipped, never changed. */
    | 'protected'
    /** How the product applies the plan, said before anything changes ("Bitbucket cannot deactivate users: …"). */
    | 'product-rule';
  readonly externalId: string;
  readonly message: string;
}

/** The sizes behind a plan: how much was read, how much is in scope. */
export interface PlanScope {
  readonly sourceUsers: number;
  readonly sourceGroups: number;
  readonly usersInScope: number;
  readonly groupsInScope: number;
  readonly membershipsInScope: number;
}

/** A plan: the items in apply order plus what the admin needs to decide. */
export interface Plan {
  readonly items: readonly PlanItem[];
  readonly counts: PlanCounts;
  readonly risk: PlanRisk;
  readonly conflicts: readonly PlanConflict[];
  readonly warnings: readonly PlanWarning[];
  readonly scope: PlanScope;
}
