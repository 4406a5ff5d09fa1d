import type { PlanConflict } from '../../../shared/sync';
import { nameKey } from './model';

/**
 * Decides which Entra object gets which target name (usernames, group names), pure. Names are unique in the
 * target, case-insensitively; an object that cannot get its name is skipped and reported, never merged.
 */

/** An object in scope and the name the mapping gives it. */
export interface NameCandidate {
  readonly id: string;
  readonly name: string;
}

export interface NameResolutionInput {
  readonly kind: 'user' | 'group';
  readonly candidates: readonly NameCandidate[];
  /** Names managed objects hold in the target now, by external id. */
  readonly held: ReadonlyMap<string, string>;
  /** Lower-cased names of objects the sync does not manage. */
  readonly unmanaged: ReadonlySet<string>;
  /** False when the target cannot rename: an existing object keeps its current name. */
  readonly canRename: boolean;
  /** True when managed objects leaving scope are deleted (their names become free). */
  readonly leaversFreeNames: boolean;
}

export interface NameResolution {
  /** The name each synced candidate ends up with. */
  readonly names: ReadonlyMap<string, string>;
  /** Candidates that get no items because of a conflict. */
  readonly skipped: ReadonlySet<string>;
  readonly conflicts: readonly PlanConflict[];
}

/** Resolves target names for the candidates. */
export function resolveNames(input: NameResolutionInput): NameResolution {
  const steps = resolveNameSteps(input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

const yieldEvery = 1024;

/** {@link resolveNames} as a generator that yields every few thousand candidates (for 100k-user tenants). */
export function* resolveNameSteps(input: NameResolutionInput): Generator<number, NameResolution, void> {
  let work = 0;
  const { kind, candidates, held } = input;
  const label = kind === 'user' ? 'username' : 'group name';
  const skipped = new Set<string>();
  const conflicts: PlanConflict[] = [];

  const byKey = new Map<string, string[]>();
  for (const c of candidates) {
    const key = nameKey(c.name);
    const ids = byKey.get(key);
    if (ids) ids.push(c.id);
    else byKey.set(key, [c.id]);
    if (++work % yieldEvery === 0) yield work;
  }
  for (const [key, ids] of byKey) {
    if (ids.length < 2) continue;
    const holder = ids.find((id) => nameKey(held.get(id) ?? '') === key);
    for (const id of ids) if (id !== holder) skipped.add(id);
    conflicts.push({
      code: kind === 'user' ? 'username-conflict' : 'group-name-conflict',
      name: key,
      externalIds: ids,
      message: `${ids.length} Entra ${kind}s map to the ${label} "${key}"; ${
        holder ? `only the one already synced (${holder}) keeps it` : 'none of them is synced'
      } until the conflict is resolved in Entra or in the mapping.`,
    });
  }

  const candidateIds = new Set(candidates.map((c) => c.id));
  const effective = (c: NameCandidate) => (input.canRename ? c.name : (held.get(c.id) ?? c.name));
  // A skipped object keeps its old name and may block another: repeat until nothing new is skipped.
  for (let pass = 0; pass <= candidates.length; pass++) {
    const holders = new Map<string, string>();
    for (const name of input.unmanaged) holders.set(name, '');
    for (const [id, name] of held) {
      const synced = candidateIds.has(id) && !skipped.has(id);
      const freed = !candidateIds.has(id) && input.leaversFreeNames;
      if (!synced && !freed) holders.set(nameKey(name), id);
      if (++work % yieldEvery === 0) yield work;
    }
    // Objects that keep the name they already hold come first, whatever order the candidates arrive in.
    for (const c of candidates) {
      const current = held.get(c.id);
      if (current !== undefined && !skipped.has(c.id) && nameKey(current) === nameKey(effective(c))) {
        if (!holders.has(nameKey(current))) holders.set(nameKey(current), c.id);
      }
      if (++work % yieldEvery === 0) yield work;
    }
    let changed = false;
    for (const c of candidates) {
      if (++work % yieldEvery === 0) yield work;
      if (skipped.has(c.id)) continue;
      const key = nameKey(effective(c));
      const holder = holders.get(key);
      if (holder === undefined) holders.set(key, c.id);
      else if (holder !== c.id) {
        skipped.add(c.id);
        changed = true;
        conflicts.push({
          code: 'username-taken',
          name: key,
          externalIds: holder ? [c.id, holder] : [c.id],
          message: `The ${label} "${key}" is held in the target by ${
            holder ? `another synced ${kind} (${holder}) that keeps it` : `a ${kind} the sync does not manage`
          }; ${c.id} is not synced until that is resolved.`,
        });
      }
    }
    if (!changed) break;
  }

  const names = new Map<string, string>();
  for (const c of candidates) if (!skipped.has(c.id)) names.set(c.id, effective(c));
  return { names, skipped, conflicts };
}
