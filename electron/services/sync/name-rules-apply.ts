import { nameWithShortId, type ConflictObject, type NameRules } from '../../../shared/name-rules';
import type { GroupFields, PlanConflict } from '../../../shared/sync';
import { nameKey, type SourceDirectory } from './model';

/**
 * The policy's name rules as the planner applies them (shared/name-rules.ts), pure. Usernames set per user are
 * applied where the planner maps users; this module does the groups and describes a conflict's objects.
 */

/** Why a group's target name is what it is, when the sync settings decided it rather than Entra. */
export type GroupNameSource = 'override' | 'rule';

/**
 * Gives the desired groups their names under the rules, in place: a name set for the group wins; with the
 * `appendShortId` rule, groups sharing a display name get the start of their object id appended — except one that
 * already holds the plain name in the target. Returns the groups whose name was set per group (an override never
 * takes a name another object wants: name-conflicts.ts) and, for every renamed group, what named it.
 */
export function groupNamesUnderRules(
  desired: Map<string, GroupFields>,
  held: ReadonlyMap<string, { readonly name: string }>,
  rules: NameRules | undefined,
): { readonly overridden: ReadonlySet<string>; readonly namedBy: ReadonlyMap<string, GroupNameSource> } {
  const overridden = new Set<string>();
  const namedBy = new Map<string, GroupNameSource>();
  if (!rules) return { overridden, namedBy };
  const byKey = new Map<string, string[]>();
  for (const [id, fields] of desired) {
    const override = Object.hasOwn(rules.groupOverrides, id) ? rules.groupOverrides[id]!.trim() : '';
    if (override) {
      overridden.add(id);
      namedBy.set(id, 'override');
      desired.set(id, { ...fields, name: override });
      continue;
    }
    if (rules.duplicateGroups === 'skip') continue;
    const key = nameKey(fields.name);
    const ids = byKey.get(key);
    if (ids) ids.push(id);
    else byKey.set(key, [id]);
  }
  for (const [key, ids] of byKey) {
    if (ids.length < 2) continue;
    const keeper = ids.find((id) => nameKey(held.get(id)?.name ?? '') === key);
    for (const id of ids) {
      if (id === keeper) continue;
      const fields = desired.get(id)!;
      desired.set(id, { ...fields, name: nameWithShortId(fields.name, id) });
      namedBy.set(id, 'rule');
    }
  }
  return { overridden, namedBy };
}

/** Adds to each conflict what tells its objects apart (display name, UPN or description, member count). */
export function describeConflictObjects(conflicts: readonly PlanConflict[], source: SourceDirectory): PlanConflict[] {
  return conflicts.map((conflict) => {
    const kind = conflict.kind ?? (conflict.code.startsWith('username') ? 'user' : 'group');
    const objects = conflict.externalIds.map((id): ConflictObject => {
      if (kind === 'user') {
        const user = source.users.get(id);
        return { id, displayName: user?.displayName ?? null, detail: user?.upn ?? null };
      }
      const group = source.groups.get(id);
      const members = source.members.get(id);
      return {
        id,
        displayName: group?.displayName ?? null,
        detail: group?.description ?? null,
        ...(members ? { memberCount: members.length } : {}),
      };
    });
    return { ...conflict, kind, objects };
  });
}
