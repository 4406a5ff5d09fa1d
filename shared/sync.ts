import { z } from 'zod';
import { safetyPolicySchema, type GuardVerdict, type PlanRisk } from './brake';
import { nameRulesSchema, type ConflictObject, type ConflictObjectKind } from './name-rules';

export type { GuardVerdict, PlanRisk };

/**
 * The sync's domain: policy (settings schema with defaults), the normalised source model, plan items, guard
 * verdicts, run history and progress events. Pure TS + zod: the renderer, the services and every host share it.
 *
 * Objects are keyed by their Entra object id (`externalId` on the target side), never by username, so renames
 * in Entra become updates and two Entra users can never be merged into one account.
 */

// ---------------------------------------------------------------------------------------------------------------
// Policy

/** Where a target username comes from. `upnLocalPart` is the UPN without `@domain`. */
export const usernameSources = ['upn', 'upnLocalPart', 'mail', 'mailNickname', 'onPremisesSamAccountName'] as const;
export type UsernameSource = (typeof usernameSources)[number];

/** Where an e-mail address comes from. */
export const emailSources = ['mail', 'upn'] as const;
export type EmailSource = (typeof emailSources)[number];

export const syncPolicySchema = z.object({
  users: z
    .object({
      /** `all` users, or only direct or nested members of `requiredGroupIds`. */
      scope: z.enum(['all', 'requiredGroups']).default('all'),
      requiredGroupIds: z.array(z.string().min(1)).default([]),
      /** Guests are `userType` Guest (their UPNs carry `#EXT#`). */
      guests: z.enum(['include', 'exclude']).default('include'),
      /** Accounts disabled in Entra: synced as inactive users, or left out (then the leaver rule applies). */
      disabledAccounts: z.enum(['inactive', 'exclude']).default('inactive'),
    })
    .default({ scope: 'all', requiredGroupIds: [], guests: 'include', disabledAccounts: 'inactive' }),
  groups: z
    .object({
      /** `all` groups, only the required groups, or groups whose name matches `namePattern`. */
      scope: z.enum(['all', 'requiredGroups', 'namePattern']).default('all'),
      /** Glob(s), case-insensitive, `*` and `?`, several separated by commas: `jira-*, confluence-*`. */
      namePattern: z.string().default(''),
      /** `direct`: a target group holds the Entra group's direct user members; `flatten`: also nested ones. */
      membership: z.enum(['direct', 'flatten']).default('direct'),
    })
    .default({ scope: 'all', namePattern: '', membership: 'direct' }),
  mapping: z
    .object({
      username: z.enum(usernameSources).default('upn'),
      /** Usernames are compared case-insensitively anyway; this decides how they are written. */
      lowercaseUsername: z.boolean().default(true),
      email: z.enum(emailSources).default('mail'),
      emailFallback: z.enum([...emailSources, 'none']).default('upn'),
    })
    .default({ username: 'upn', lowercaseUsername: true, email: 'mail', emailFallback: 'upn' }),
  cleanup: z
    .object({
      /** Users who leave scope or are deleted in Entra. */
      leavers: z.enum(['disable', 'delete', 'keep']).default('disable'),
      /** Synced groups that disappear from Entra or from the group scope. */
      vanishedGroups: z.enum(['delete', 'keep']).default('delete'),
    })
    .default({ leavers: 'disable', vanishedGroups: 'delete' }),
  /** Name conflicts: the duplicate group name rule, per-object names (shared/name-rules.ts). */
  names: nameRulesSchema.prefault({}),
  /** The safety brake's limits per users, groups and memberships (shared/brake.ts). */
  safety: safetyPolicySchema,
  history: z.object({ retentionDays: z.number().int().min(1).max(3650).default(90) }).default({ retentionDays: 90 }),
  /** A delta sync becomes a full read when the last full read is older than this (hours; 0: never). */
  fullReconcileHours: z.number().min(0).default(24),
});
export type SyncPolicy = z.infer<typeof syncPolicySchema>;
/** What a settings form may hold before defaults are applied. */
export type SyncPolicyInput = z.input<typeof syncPolicySchema>;

/** The policy a new install starts with. */
export function defaultSyncPolicy(): SyncPolicy {
  return syncPolicySchema.parse({});
}

// ---------------------------------------------------------------------------------------------------------------
// Source model (what was read from Entra, before scope and mapping)

/** A user as read from Graph, only the fields the mapping can use. */
export interface SourceUser {
  readonly id: string;
  readonly upn: string;
  readonly mail: string | null;
  readonly mailNickname: string | null;
  readonly onPremisesSamAccountName: string | null;
  readonly displayName: string | null;
  readonly givenName: string | null;
  readonly surname: string | null;
  readonly accountEnabled: boolean;
  readonly userType: string | null;
}

/** A group as read from Graph. */
export interface SourceGroup {
  readonly id: string;
  readonly displayName: string | null;
  readonly description: string | null;
}

/** A tenant group for the "required groups" picker. */
export interface SourceGroupSummary extends SourceGroup {
  readonly memberCount: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Target records and plan items

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
    | 'protected';
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

// ---------------------------------------------------------------------------------------------------------------
// Runs, history and progress

export const runTriggers = ['manual', 'scheduled', 'terminal'] as const;
export type RunTrigger = (typeof runTriggers)[number];
export type RunMode = 'full' | 'delta';
export const runStatuses = ['running', 'succeeded', 'failed', 'blocked', 'cancelled', 'partial'] as const;
export type RunStatus = (typeof runStatuses)[number];

/** Error codes a sync run can end with. */
export type SyncErrorCode =
  | 'already-running'
  | 'locked-by-other-host'
  | 'graph-read-failed'
  | 'graph-answer-invalid'
  | 'target-read-failed'
  | 'target-failed'
  | 'cancelled'
  | 'interrupted'
  | 'invalid-policy'
  | 'confirmation-invalid'
  | 'internal-error';

export interface SyncErrorShape {
  readonly code: SyncErrorCode;
  readonly message: string;
}

/** One run as the history shows it. Times are ISO strings. */
export interface SyncRunRecord {
  readonly id: string;
  readonly trigger: RunTrigger;
  readonly mode: RunMode;
  readonly dryRun: boolean;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
  readonly planned: PlanCounts;
  readonly applied: PlanCounts;
  readonly failedItems: number;
  readonly conflicts: number;
  readonly graphRequests: number;
  readonly error: SyncErrorShape | null;
  /** Things the admin should know about this run, e.g. "delta token expired: full read". */
  readonly notes: readonly string[];
  /** Set when this blocked run's plan was confirmed and used by a later run. */
  readonly confirmedByRunId: string | null;
  /** The target synced into (`local`: the embedded directory; shared/targets.ts). Absent in records of old hosts. */
  readonly targetId?: string;
}

export type ItemOutcome = 'planned' | 'applied' | 'unchanged' | 'failed' | 'skipped';

/** One plan item of a run, with what happened to it. */
export interface SyncRunItemRecord {
  readonly runId: string;
  readonly seq: number;
  readonly kind: PlanItemKind;
  readonly key: string;
  readonly label: string;
  readonly reason: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly outcome: ItemOutcome;
  readonly error: SyncErrorShape | { readonly code: string; readonly message: string } | null;
}

export type SyncPhase = 'starting' | 'reading-source' | 'reading-target' | 'planning' | 'applying' | 'finishing';

/** Progress of the running sync, sent to every host (IPC event, WebSocket, terminal line). */
export interface SyncProgressEvent {
  readonly runId: string;
  readonly phase: SyncPhase;
  readonly done: number;
  /** Null while the total is unknown (paging through Graph). */
  readonly total: number | null;
  /** Objects or items per second over the phase so far. */
  readonly ratePerSecond: number | null;
  readonly message?: string;
}

/** What a finished `sync` call returns (also the shape behind `entra-sync sync --json`). */
export interface SyncRunResult {
  readonly run: SyncRunRecord;
  readonly plan: Plan | null;
  readonly guard: GuardVerdict | null;
}

/** A page of anything listed by the history or the directory browser. */
export interface Paged<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
}

/** A query of the directory browser: search matches username, name and e-mail (or group name), case-insensitively. */
export const directoryQuerySchema = z.object({
  search: z.string().max(200).default(''),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(100),
  /** Users only: only active or only inactive users. */
  active: z.boolean().optional(),
});
export type DirectoryQuery = z.input<typeof directoryQuerySchema>;

/** A user of the embedded directory, as the directory browser shows it. */
export interface DirectoryUserRow extends UserFields {
  /** The directory's own row id (stable; used to open a user's groups). */
  readonly id: string;
  readonly externalId: string | null;
  readonly active: boolean;
  readonly groupCount: number;
  readonly updatedAt: string;
}

/** A group of the embedded directory, as the directory browser shows it. */
export interface DirectoryGroupRow extends GroupFields {
  readonly id: string;
  readonly externalId: string | null;
  readonly memberCount: number;
  readonly updatedAt: string;
}
