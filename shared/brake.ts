import { z } from 'zod';
import type { PlanItemKind } from './sync';

/**
 * The safety brake's vocabulary, shared by the guard, the renderer and the terminal host: the limits (settings
 * schema with defaults), what a plan takes away (its risk), which limits it crosses, and the words for all three —
 * so the dashboard, the confirmation dialog and `entra-sync sync` say the same counts.
 */

/**
 * The defaults, per thing a sync can take away. Whichever limit is crossed first holds the plan.
 * - Users: a wrong filter disables a whole tenant in one run; 10% or 50 lets ordinary leavers through.
 * - Groups: deleting a group drops every permission that names it in the target, and recreating it does not bring
 *   them back, so the count limit is small; ordinary churn is a group or two.
 * - Memberships: a team move removes a few per person, a wrong `flatten`/`direct` switch or group filter removes
 *   thousands; 500 lets a re-organisation of a mid-sized team through.
 */
export const safetyDefaults = {
  maxShare: 0.1,
  maxCount: 50,
  maxGroupShare: 0.1,
  maxGroupCount: 5,
  maxMembershipShare: 0.1,
  maxMembershipCount: 500,
} as const;

const share = (fallback: number) => z.number().min(0).max(1).nullable().default(fallback);
const count = (fallback: number) => z.number().int().min(0).nullable().default(fallback);

/** The brake's limits; null turns a limit off. Older settings (users only) parse with the other defaults. */
export const safetyPolicySchema = z
  .object({
    /** Share of synced users a plan may disable or delete. */
    maxShare: share(safetyDefaults.maxShare),
    /** Users a plan may disable or delete. */
    maxCount: count(safetyDefaults.maxCount),
    maxGroupShare: share(safetyDefaults.maxGroupShare),
    maxGroupCount: count(safetyDefaults.maxGroupCount),
    maxMembershipShare: share(safetyDefaults.maxMembershipShare),
    maxMembershipCount: count(safetyDefaults.maxMembershipCount),
  })
  .default({ ...safetyDefaults });
export type SafetyPolicy = z.infer<typeof safetyPolicySchema>;

/** The kinds that take something away: the brake counts them and a confirmation covers exactly them. */
export const destructivePlanItemKinds = [
  'disable-user',
  'delete-user',
  'delete-group',
  'remove-member',
] as const satisfies readonly PlanItemKind[];
export type DestructiveKind = (typeof destructivePlanItemKinds)[number];

export function isDestructiveKind(kind: PlanItemKind): kind is DestructiveKind {
  return (destructivePlanItemKinds as readonly PlanItemKind[]).includes(kind);
}

/** What a plan would take away, against what the sync manages in the target before it. */
export interface PlanRisk {
  /** Managed users in the target before the plan. */
  readonly syncedUsers: number;
  readonly disabling: number;
  readonly deleting: number;
  /** (disabling + deleting) / max(syncedUsers, 1). */
  readonly share: number;
  /** Managed groups in the target before the plan. */
  readonly syncedGroups: number;
  readonly deletingGroups: number;
  /** deletingGroups / max(syncedGroups, 1). */
  readonly groupShare: number;
  /** Memberships of managed groups in the target before the plan. */
  readonly syncedMemberships: number;
  readonly removingMembers: number;
  /** removingMembers / max(syncedMemberships, 1). */
  readonly membershipShare: number;
}

/** The risk of a plan with these counts. Deleting a user or group takes its memberships with it (not counted twice). */
export function measureRisk(
  counts: Readonly<Record<DestructiveKind, number>>,
  synced: { readonly users: number; readonly groups: number; readonly memberships: number },
): PlanRisk {
  const removingUsers = counts['disable-user'] + counts['delete-user'];
  return {
    syncedUsers: synced.users,
    disabling: counts['disable-user'],
    deleting: counts['delete-user'],
    share: removingUsers / Math.max(synced.users, 1),
    syncedGroups: synced.groups,
    deletingGroups: counts['delete-group'],
    groupShare: counts['delete-group'] / Math.max(synced.groups, 1),
    syncedMemberships: synced.memberships,
    removingMembers: counts['remove-member'],
    membershipShare: counts['remove-member'] / Math.max(synced.memberships, 1),
  };
}

export type BrakeSubject = 'users' | 'groups' | 'memberships';

/** One limit a plan crosses: `actual` is a count (`by: 'count'`) or a share from 0 to 1 (`by: 'share'`). */
export interface BrakeCrossing {
  readonly subject: BrakeSubject;
  readonly by: 'share' | 'count';
  readonly limit: number;
  readonly actual: number;
}

/** The brake's decision. */
export type GuardVerdict =
  | { readonly allowed: true; readonly confirmedRunId?: string }
  | {
      readonly allowed: false;
      /** `threshold-exceeded`: a limit is crossed; `confirmation-mismatch`: a confirmation does not cover the plan. */
      readonly code: 'threshold-exceeded' | 'confirmation-mismatch';
      /** Everything below, in words. */
      readonly message: string;
      readonly risk: PlanRisk;
      readonly limit: SafetyPolicy;
      /** The limits crossed, users first. */
      readonly crossed: readonly BrakeCrossing[];
      /** Destructive items outside the confirmation given (confirmation-mismatch only). */
      readonly unconfirmed?: Readonly<Record<DestructiveKind, number>>;
    };

const numbers = new Intl.NumberFormat('en-US');
const n = (value: number) => numbers.format(value);
const plural = (value: number, one: string, many: string) => `${n(value)} ${value === 1 ? one : many}`;
const percent = (share: number, digits = 1) => `${Number((share * 100).toFixed(digits))}%`;

/** A share shown beside its limit: enough digits that "more than" is visible (10.04% rather than 10%). */
function percentOver(actual: number, limit: number): string {
  for (let digits = 1; digits < 4; digits++)
    if (Number((actual * 100).toFixed(digits)) > limit * 100) return percent(actual, digits);
  return percent(actual, 4);
}

/** "disable 20 users and delete 0 users (20% of 100 synced users), delete 40 groups (…) and remove 0 memberships (…)". */
export function describeRisk(risk: PlanRisk): string {
  return (
    `disable ${plural(risk.disabling, 'user', 'users')} and delete ${plural(risk.deleting, 'user', 'users')} ` +
    `(${percent(risk.share)} of ${plural(risk.syncedUsers, 'synced user', 'synced users')}), ` +
    `delete ${plural(risk.deletingGroups, 'group', 'groups')} ` +
    `(${percent(risk.groupShare)} of ${plural(risk.syncedGroups, 'synced group', 'synced groups')}) ` +
    `and remove ${plural(risk.removingMembers, 'membership', 'memberships')} ` +
    `(${percent(risk.membershipShare)} of ${plural(risk.syncedMemberships, 'synced membership', 'synced memberships')})`
  );
}

const subjectWords: Record<BrakeSubject, { verb: string; one: string; many: string; of: string }> = {
  users: { verb: 'disabled or deleted', one: 'user', many: 'users', of: 'synced users' },
  groups: { verb: 'deleted', one: 'group', many: 'groups', of: 'synced groups' },
  memberships: { verb: 'removed', one: 'membership', many: 'memberships', of: 'synced memberships' },
};

/** "groups deleted: 40, more than the limit of 5 groups". */
export function describeCrossing(crossing: BrakeCrossing): string {
  const w = subjectWords[crossing.subject];
  return crossing.by === 'count'
    ? `${w.many} ${w.verb}: ${n(crossing.actual)}, more than the limit of ${plural(crossing.limit, w.one, w.many)}`
    : `${w.many} ${w.verb}: ${percentOver(crossing.actual, crossing.limit)} of ${w.of}, more than the limit of ${percent(crossing.limit)}`;
}

/**
 * One line per subject crossed: "users disabled or deleted: 273 (91% of synced users), more than the limits of
 * 50 users and 10%", or a single crossing as {@link describeCrossing} says it.
 */
export function describeCrossingsBySubject(crossed: readonly BrakeCrossing[]): string[] {
  const subjects = [...new Set(crossed.map((c) => c.subject))];
  return subjects.map((subject) => {
    const mine = crossed.filter((c) => c.subject === subject);
    const count = mine.find((c) => c.by === 'count');
    const share = mine.find((c) => c.by === 'share');
    if (!count || !share) return describeCrossing(mine[0]!);
    const w = subjectWords[subject];
    return (
      `${w.many} ${w.verb}: ${n(count.actual)} (${percentOver(share.actual, share.limit)} of ${w.of}), ` +
      `more than the limits of ${plural(count.limit, w.one, w.many)} and ${percent(share.limit)}`
    );
  });
}

/** All crossings in one sentence part, joined with semicolons. */
export function describeCrossings(crossed: readonly BrakeCrossing[]): string {
  return describeCrossingsBySubject(crossed).join('; ');
}

const kindWords: Record<DestructiveKind, [string, string]> = {
  'disable-user': ['user to disable', 'users to disable'],
  'delete-user': ['user to delete', 'users to delete'],
  'delete-group': ['group to delete', 'groups to delete'],
  'remove-member': ['membership to remove', 'memberships to remove'],
};

/** "2 users to disable and 1 group to delete" (kinds with a zero count left out). */
export function describeKindCounts(counts: Readonly<Record<DestructiveKind, number>>): string {
  const parts = destructivePlanItemKinds
    .filter((kind) => counts[kind] > 0)
    .map((kind) => plural(counts[kind], ...kindWords[kind]));
  return parts.length <= 1 ? (parts[0] ?? 'nothing') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
