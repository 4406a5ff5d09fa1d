import {
  emptyPlanCounts,
  planItemKinds,
  type GroupFields,
  type Plan,
  type PlanConflict,
  type PlanItem,
  type PlanItemKind,
  type PlanWarning,
  type SyncPolicy,
  type UserFields,
} from '../../../shared/sync';
import { measureRisk } from '../../../shared/brake';
import { nameKey, type SourceDirectory, type TargetState } from './model';
import { groupName, groupsInScope, mapUser, passesUserFilters, userScopeCandidates } from './scope';
import { updateReason } from './update-reason';
import { resolveNameSteps } from './name-conflicts';
import { describeConflictObjects, groupNamesUnderRules } from './name-rules-apply';
import { planMembershipSteps } from './plan-memberships';
import { reasons, yieldEvery } from './plan-shared';

/**
 * The planner: a pure function from (source, target state, policy) to a {@link Plan}. Nothing here reads a clock,
 * the network or a database.
 *
 * Rules worth knowing:
 * - Identity is the Entra object id. A changed UPN is an update of the same account, never a new one.
 * - Two Entra objects that map to one name are a conflict: the one already holding the name keeps it, the others
 *   get no items at all (never merged) — unless the policy's name rules (`policy.names`: a duplicate group name
 *   rule, names set per object) give them names of their own. A name set per object never takes another's name.
 * - Memberships of users outside the scope are left alone (frozen with the disabled or kept account), so bringing a
 *   user back, or undoing a wrong filter, restores their groups; deleting a user or group removes its memberships
 *   with it, so no remove-member items are planned for those.
 */

const userFieldNames = ['username', 'email', 'displayName', 'givenName', 'surname'] as const;
const groupFieldNames = ['name', 'description'] as const;

/**
 * Runs a step generator of its own (name resolution) with its yields counted on from `base`, and hands the total
 * to `done`: the planning progress the engine shows must never go back (it went from 9,216 to 1,024).
 */
function* countedOn<T>(
  base: number,
  done: (work: number) => void,
  steps: Generator<number, T, void>,
): Generator<number, T, void> {
  let work = base;
  for (;;) {
    const step = steps.next();
    if (step.done) {
      done(work);
      return step.value;
    }
    work = Math.max(work, base + step.value);
    yield work;
  }
}

/** Plans synchronously. Use {@link planSteps} to plan a large tenant without blocking the event loop. */
export function createPlan(source: SourceDirectory, target: TargetState, policy: SyncPolicy): Plan {
  const steps = planSteps(source, target, policy);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The planner as a generator: it yields the amount of work done every few thousand objects and returns the plan.
 * Still pure; the caller decides whether to pause between steps.
 */
export function* planSteps(source: SourceDirectory, target: TargetState, policy: SyncPolicy): Generator<number, Plan, void> {
  const caps = target.capabilities;
  const comparedUserFields = userFieldNames.filter((f) => !caps.userFields || caps.userFields.includes(f));
  const comparedGroupFields = groupFieldNames.filter((f) => !caps.groupFields || caps.groupFields.includes(f));
  const byKind = new Map<PlanItemKind, PlanItem[]>(planItemKinds.map((k) => [k, []]));
  const push = (item: PlanItem) => byKind.get(item.kind)!.push(item);
  const conflicts: PlanConflict[] = [];
  const warnings: PlanWarning[] = [];
  let work = 0;

  // Users: scope, mapping, name conflicts.
  const desiredUsers = new Map<string, { fields: UserFields; active: boolean }>();
  // In scope but without a username: reported, and left as they are in the target rather than treated as leavers.
  const unmappable = new Set<string>();
  const usernameOverrides = policy.names.usernameOverrides;
  const overriddenUsers = new Set<string>();
  for (const id of userScopeCandidates(source, policy)) {
    if (++work % yieldEvery === 0) yield work;
    const user = source.users.get(id);
    if (!user || !passesUserFilters(user, policy)) continue;
    const mapped = mapUser(user, policy.mapping);
    const override = Object.hasOwn(usernameOverrides, id) ? usernameOverrides[id]!.trim() : '';
    if (override) {
      overriddenUsers.add(id);
      mapped.username = policy.mapping.lowercaseUsername ? override.toLowerCase() : override;
    }
    if (mapped.username === null) {
      unmappable.add(id);
      conflicts.push({
        code: 'username-missing',
        kind: 'user',
        name: user.upn,
        externalIds: [id],
        message: `${user.upn} has no ${policy.mapping.username}, so no username can be derived; the user is not synced.`,
      });
      continue;
    }
    // The mapped object itself (its username is known not null here): no copy per user at 100k users.
    desiredUsers.set(id, { fields: mapped as UserFields, active: user.accountEnabled });
  }
  const leaversFreeNames = policy.cleanup.leavers === 'delete' && caps.canDeleteUsers;
  const userNames = yield* countedOn(
    work,
    (done) => (work = done),
    resolveNameSteps({
      kind: 'user',
      candidates: desiredUsers,
      candidateName: (d) => d.fields.username,
      held: target.users,
      heldName: (u) => u.username,
      unmanaged: target.unmanagedUsernames,
      canRename: caps.canRenameUsers,
      leaversFreeNames,
      overridden: overriddenUsers,
    }),
  );
  conflicts.push(...userNames.conflicts);
  yield (work += desiredUsers.size);

  const syncedUsers = new Set<string>();
  for (const [id, desired] of desiredUsers) {
    if (userNames.skipped.has(id)) continue;
    syncedUsers.add(id);
    const current = target.users.get(id);
    const username = userNames.names.get(id)!;
    const fields: UserFields = username === desired.fields.username ? desired.fields : { ...desired.fields, username };
    if (!current) {
      push({ kind: 'create-user', externalId: id, after: fields, active: desired.active, reason: reasons.newInScope });
    } else {
      if (username !== desired.fields.username) {
        warnings.push({
          code: 'rename-unsupported',
          externalId: id,
          message: `The target cannot rename ${current.username} to ${desired.fields.username}.`,
        });
      }
      const diff = diffFields(current, fields, comparedUserFields);
      if (diff)
        push({
          kind: 'update-user',
          externalId: id,
          username: current.username,
          ...diff,
          reason:
            overriddenUsers.has(id) && diff.after.username !== undefined
              ? reasons.usernameSet
              : updateReason(source.users.get(id), current, diff.after, policy.mapping),
        });
      if (current.active !== desired.active) {
        if (desired.active) push({ kind: 'enable-user', externalId: id, username, reason: reasons.enabled });
        else if (caps.canDisable) push({ kind: 'disable-user', externalId: id, username, reason: reasons.disabled });
        else
          warnings.push({
            code: 'disable-unsupported',
            externalId: id,
            message: `${username} is disabled in Entra but the target cannot deactivate users.`,
          });
      }
    }
    if (++work % yieldEvery === 0) yield work;
  }
  for (const current of target.users.values()) {
    // Counted before the skip: after a full sync nearly every held user is still wanted (100k skips, one slice).
    if (++work % yieldEvery === 0) yield work;
    if (desiredUsers.has(current.externalId) || unmappable.has(current.externalId)) continue;
    const reason = source.users.has(current.externalId) ? reasons.leftScope : reasons.deleted;
    const ref = { externalId: current.externalId, username: current.username };
    if (policy.cleanup.leavers === 'delete' && caps.canDeleteUsers) push({ kind: 'delete-user', ...ref, reason });
    else if (policy.cleanup.leavers !== 'keep' && current.active) {
      if (caps.canDisable) push({ kind: 'disable-user', ...ref, reason });
      else
        warnings.push({
          code: 'disable-unsupported',
          externalId: current.externalId,
          message: `${current.username} left scope but the target cannot deactivate users.`,
        });
    }
  }

  // Groups.
  const desiredGroups = new Map<string, GroupFields>();
  for (const id of groupsInScope(source, policy)) {
    const group = source.groups.get(id)!;
    desiredGroups.set(id, { name: groupName(group.displayName, id), description: group.description?.trim() || null });
    if (++work % yieldEvery === 0) yield work;
  }
  const groupRules = groupNamesUnderRules(desiredGroups, target.groups, policy.names);
  if (policy.users.scope === 'requiredGroups' || policy.groups.scope === 'requiredGroups') {
    for (const id of policy.users.requiredGroupIds) {
      if (!source.groups.has(id))
        warnings.push({
          code: 'required-group-missing',
          externalId: id,
          message: `Required group ${id} was not found in Entra.`,
        });
    }
  }
  const groupNames = yield* countedOn(
    work,
    (done) => (work = done),
    resolveNameSteps({
      kind: 'group',
      candidates: desiredGroups,
      candidateName: (g) => g.name,
      held: target.groups,
      heldName: (g) => g.name,
      unmanaged: target.unmanagedGroupNames,
      canRename: caps.canRenameGroups,
      leaversFreeNames: policy.cleanup.vanishedGroups === 'delete' && caps.canDeleteGroups,
      overridden: groupRules.overridden,
    }),
  );
  conflicts.push(...groupNames.conflicts);
  const syncedGroups: string[] = [];
  // The names the planned creates and renames want (a vanished group holding one is deleted first, below).
  const namesWanted = new Set<string>();
  for (const [id, desired] of desiredGroups) {
    if (++work % yieldEvery === 0) yield work;
    if (groupNames.skipped.has(id)) continue;
    syncedGroups.push(id);
    const current = target.groups.get(id);
    const fields: GroupFields = { ...desired, name: groupNames.names.get(id)! };
    if (!current) {
      push({ kind: 'create-group', externalId: id, after: fields, reason: reasons.newInScope });
      namesWanted.add(nameKey(fields.name));
      continue;
    }
    if (fields.name !== desired.name) {
      warnings.push({
        code: 'group-rename-unsupported',
        externalId: id,
        message: `The target cannot rename group ${current.name} to ${desired.name}.`,
      });
    }
    const diff = diffFields(current, fields, comparedGroupFields);
    if (diff?.after.name !== undefined) namesWanted.add(nameKey(diff.after.name));
    if (diff)
      push({
        kind: 'update-group',
        externalId: id,
        name: current.name,
        ...diff,
        reason:
          diff.after.name !== undefined && groupRules.namedBy.has(id)
            ? groupRules.namedBy.get(id) === 'override'
              ? reasons.groupNameSet
              : reasons.groupNameRule
            : { code: 'group-renamed', message: `Changed in Entra: ${Object.keys(diff.after).join(', ')}.` },
      });
  }
  // A group deleted in Entra and recreated under its name (a new id), or another group renamed to a vanished one's
  // name: the old group must go before the create or rename, or that item and every add-member of the group fail
  // on the name still taken. Only those deletions move up; the others stay last, after everything else is done.
  const nameFreeingDeletes: PlanItem[] = [];
  if (policy.cleanup.vanishedGroups === 'delete' && caps.canDeleteGroups) {
    for (const current of target.groups.values()) {
      if (desiredGroups.has(current.externalId)) continue;
      const item: PlanItem = {
        kind: 'delete-group',
        externalId: current.externalId,
        name: current.name,
        reason: source.groups.has(current.externalId) ? reasons.groupLeftScope : reasons.groupDeleted,
      };
      if (namesWanted.has(nameKey(current.name))) nameFreeingDeletes.push(item);
      else push(item);
    }
  }
  yield (work += desiredGroups.size);

  // Memberships of synced groups, between synced users only.
  const memberships = yield* planMembershipSteps(work, {
    source,
    target,
    policy,
    syncedUsers,
    syncedGroups,
    userNames,
    groupNames,
    push,
  });
  work = memberships.work;
  const membershipsInScope = memberships.inScope;

  const items: PlanItem[] = [...nameFreeingDeletes];
  const counts = emptyPlanCounts();
  for (const kind of planItemKinds) {
    const list = byKind.get(kind)!;
    counts[kind] = list.length + (kind === 'delete-group' ? nameFreeingDeletes.length : 0);
    for (const item of list) {
      items.push(item);
      if (++work % (yieldEvery * 16) === 0) yield work;
    }
  }
  let syncedMemberships = 0;
  for (const members of target.members.values()) syncedMemberships += members.length;
  return {
    items,
    counts,
    risk: measureRisk(counts, { users: target.users.size, groups: target.groups.size, memberships: syncedMemberships }),
    conflicts: describeConflictObjects(conflicts, source),
    warnings,
    scope: {
      sourceUsers: source.users.size,
      sourceGroups: source.groups.size,
      usersInScope: syncedUsers.size,
      groupsInScope: syncedGroups.length,
      membershipsInScope,
    },
  };
}

/** The fields that differ, as before/after halves; undefined when nothing changed. */
function diffFields<T extends object, K extends keyof T>(
  current: T,
  next: T,
  names: readonly K[],
): { before: Partial<T>; after: Partial<T> } | undefined {
  let diff: { before: Partial<T>; after: Partial<T> } | undefined;
  for (const name of names) {
    if (current[name] !== next[name]) {
      diff ??= { before: {}, after: {} };
      diff.before[name] = current[name];
      diff.after[name] = next[name];
    }
  }
  return diff;
}
