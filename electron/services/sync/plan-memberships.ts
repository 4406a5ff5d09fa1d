/**
 * The membership part of the planner (`plan.ts`): the add-member and remove-member items of the synced groups,
 * between synced users only. Pure like the rest of the planner; it yields the planner's work count on from where the
 * user and group parts left it.
 */
import type { PlanItem, SyncPolicy } from '../../../shared/sync';
import type { SourceDirectory, TargetState } from './model';
import type { NameResolution } from './name-conflicts';
import { reasons, yieldEvery } from './plan-shared';
import { nestedUserMembers } from './scope';

export interface MembershipPlanInput {
  readonly source: SourceDirectory;
  readonly target: TargetState;
  readonly policy: SyncPolicy;
  /** The users that get items (in scope, with a name of their own), by external id. */
  readonly syncedUsers: ReadonlySet<string>;
  /** The groups that get items, by external id. */
  readonly syncedGroups: readonly string[];
  readonly userNames: NameResolution;
  readonly groupNames: NameResolution;
  push(item: PlanItem): void;
}

/**
 * Plans the memberships, compared as sorted lists of small integers: far cheaper in time and memory than sets of id
 * strings at half a million memberships. Yields the work done counted on from `work`; returns the work done then
 * and the number of memberships in scope.
 */
export function* planMembershipSteps(
  work: number,
  input: MembershipPlanInput,
): Generator<number, { work: number; inScope: number }, void> {
  const { source, target, policy, syncedUsers, syncedGroups, userNames, groupNames, push } = input;
  let lastYield = 0;
  let membershipsInScope = 0;
  const userIndex = new Map<string, number>();
  const userIds: string[] = [];
  for (const id of syncedUsers) {
    userIndex.set(id, userIds.length);
    userIds.push(id);
    if (++work % yieldEvery === 0) yield work;
  }
  const sortedIndexes = (ids: Iterable<string> | undefined): Int32Array => {
    const found: number[] = [];
    if (ids)
      for (const id of ids) {
        const n = userIndex.get(id);
        if (n !== undefined) found.push(n);
      }
    return uniqueSorted(Int32Array.from(found).sort());
  };
  for (const groupId of syncedGroups) {
    const groupName = groupNames.names.get(groupId)!;
    const wanted = sortedIndexes(
      policy.groups.membership === 'flatten' ? nestedUserMembers(source, [groupId]) : source.members.get(groupId),
    );
    const have = sortedIndexes(target.members.get(groupId));
    membershipsInScope += wanted.length;
    const member = (kind: 'add-member' | 'remove-member', n: number): PlanItem => {
      const userExternalId = userIds[n]!;
      const username = userNames.names.get(userExternalId)!;
      return {
        kind,
        groupExternalId: groupId,
        userExternalId,
        groupName,
        username,
        reason: kind === 'add-member' ? reasons.memberAdded : reasons.memberRemoved,
      };
    };
    let i = 0;
    let j = 0;
    while (i < wanted.length || j < have.length) {
      const w = i < wanted.length ? wanted[i]! : Infinity;
      const h = j < have.length ? have[j]! : Infinity;
      if (w === h) {
        i++;
        j++;
      } else if (w < h) {
        push(member('add-member', w));
        i++;
      } else {
        push(member('remove-member', h));
        j++;
      }
    }
    work += wanted.length + have.length + 1;
    if (work - lastYield >= yieldEvery) {
      lastYield = work;
      yield work;
    }
  }
  return { work, inScope: membershipsInScope };
}

/** The distinct values of a sorted array, compacted in place (a view of its start). */
function uniqueSorted(sorted: Int32Array): Int32Array {
  let n = 0;
  // sorted[-1] is undefined, so the first value always counts.
  for (let k = 0; k < sorted.length; k++) if (sorted[k] !== sorted[k - 1]) sorted[n++] = sorted[k]!;
  return sorted.subarray(0, n);
}
