import type { PlanConflict } from '../../../shared/sync';
import { nameKey } from './model';

/**
 * Decides which Entra object gets which target name (usernames, group names), pure. Names are unique in the
 * target, case-insensitively; an object that cannot get its name is skipped and reported, never merged.
 */

export interface NameResolutionInput<C, H> {
  readonly kind: 'user' | 'group';
  /** Objects in scope by Entra id, and the name the mapping gives each. */
  readonly candidates: ReadonlyMap<string, C>;
  readonly candidateName: (candidate: C) => string;
  /** Managed objects in the target now, by Entra id, and the name each holds. */
  readonly held: ReadonlyMap<string, H>;
  readonly heldName: (held: H) => string;
  /** Lower-cased names of objects the sync does not manage. */
  readonly unmanaged: ReadonlySet<string>;
  /** False when the target cannot rename: an existing object keeps its current name. */
  readonly canRename: boolean;
  /** True when managed objects leaving scope are deleted (their names become free). */
  readonly leaversFreeNames: boolean;
  /**
   * Candidates whose name the admin set (Sync settings → Name conflicts): an override never takes a name another
   * object wants or holds — it loses the dispute, and is reported as `override-conflict`.
   */
  readonly overridden?: ReadonlySet<string>;
}

/** Where the admin settles a conflict, said in every conflict's message. */
const whereToResolve = 'rename one in Entra, or set a name rule or a name for it in Sync settings → Name conflicts';

export interface NameResolution {
  /** The name each synced candidate ends up with. */
  readonly names: ReadonlyMap<string, string>;
  /** Candidates that get no items because of a conflict. */
  readonly skipped: ReadonlySet<string>;
  readonly conflicts: readonly PlanConflict[];
}

/** Resolves target names for the candidates. */
export function resolveNames<C, H>(input: NameResolutionInput<C, H>): NameResolution {
  const steps = resolveNameSteps(input);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

const yieldEvery = 1024;

/** {@link resolveNames} as a generator that yields every thousand objects or so (for 100k-user tenants). */
export function* resolveNameSteps<C, H>(input: NameResolutionInput<C, H>): Generator<number, NameResolution, void> {
  let work = 0;
  const { kind, candidates, held } = input;
  const overridden = input.overridden ?? new Set<string>();
  const label = kind === 'user' ? 'username' : 'group name';
  const overrideLost = (id: string, key: string, others: readonly string[]): PlanConflict => ({
    code: 'override-conflict',
    kind,
    name: key,
    externalIds: [id, ...others],
    message: `The ${label} "${key}" set for ${id} in Sync settings is already wanted by ${
      others.length ? others.join(', ') : `a ${kind} the sync does not manage`
    }; ${id} is not synced under it until that name is changed in Sync settings → Name conflicts.`,
  });
  const skipped = new Set<string>();
  const conflicts: PlanConflict[] = [];
  const heldName = (id: string) => {
    const h = held.get(id);
    return h === undefined ? undefined : input.heldName(h);
  };

  // Names wanted by more than one candidate: only those keys keep a list.
  const firstByKey = new Map<string, string>();
  const duplicates = new Map<string, string[]>();
  for (const [id, c] of candidates) {
    const key = nameKey(input.candidateName(c));
    const first = firstByKey.get(key);
    if (first === undefined) firstByKey.set(key, id);
    else {
      const ids = duplicates.get(key);
      if (ids) ids.push(id);
      else duplicates.set(key, [first, id]);
    }
    if (++work % yieldEvery === 0) yield work;
  }
  for (const [key, ids] of duplicates) {
    // The one already holding the name keeps it; else, when overrides are among the claimants, the one object that
    // came by the name without an override.
    const plain = ids.filter((id) => !overridden.has(id));
    const holder =
      ids.find((id) => nameKey(heldName(id) ?? '') === key) ??
      (plain.length === 1 && plain.length < ids.length ? plain[0] : undefined);
    for (const id of ids) if (id !== holder) skipped.add(id);
    const lostOverrides = ids.filter((id) => id !== holder && overridden.has(id));
    for (const id of lostOverrides)
      conflicts.push(
        overrideLost(
          id,
          key,
          ids.filter((other) => other !== id),
        ),
      );
    const disputed = ids.filter((id) => !lostOverrides.includes(id));
    if (disputed.length < 2) continue;
    conflicts.push({
      code: kind === 'user' ? 'username-conflict' : 'group-name-conflict',
      kind,
      name: key,
      externalIds: disputed,
      ...(holder ? { keeperId: holder } : {}),
      message: `${disputed.length} Entra ${kind}s map to the ${label} "${key}"; ${
        holder ? `only the one already synced (${holder}) keeps it` : 'none of them is synced'
      } until the conflict is resolved: ${whereToResolve}.`,
    });
  }
  firstByKey.clear();

  const effective = (id: string, c: C) => (input.canRename ? input.candidateName(c) : (heldName(id) ?? input.candidateName(c)));
  // A skipped object keeps its old name and may block another: repeat until nothing new is skipped.
  for (let pass = 0; pass <= candidates.size; pass++) {
    const holders = new Map<string, string>();
    for (const name of input.unmanaged) holders.set(name, '');
    for (const [id, h] of held) {
      const synced = candidates.has(id) && !skipped.has(id);
      const freed = !candidates.has(id) && input.leaversFreeNames;
      if (!synced && !freed) holders.set(nameKey(input.heldName(h)), id);
      if (++work % yieldEvery === 0) yield work;
    }
    // Objects that keep the name they already hold come first, whatever order the candidates arrive in.
    for (const [id, c] of candidates) {
      const current = heldName(id);
      if (current !== undefined && !skipped.has(id)) {
        const key = nameKey(current);
        if (key === nameKey(effective(id, c)) && !holders.has(key)) holders.set(key, id);
      }
      if (++work % yieldEvery === 0) yield work;
    }
    let changed = false;
    for (const [id, c] of candidates) {
      if (++work % yieldEvery === 0) yield work;
      if (skipped.has(id)) continue;
      const key = nameKey(effective(id, c));
      const holder = holders.get(key);
      if (holder === undefined) holders.set(key, id);
      else if (holder !== id) {
        skipped.add(id);
        changed = true;
        conflicts.push(
          overridden.has(id)
            ? overrideLost(id, key, holder ? [holder] : [])
            : {
                code: kind === 'user' ? 'username-taken' : 'group-name-taken',
                kind,
                name: key,
                externalIds: holder ? [id, holder] : [id],
                message: `The ${label} "${key}" is held in the target by ${
                  holder ? `another synced ${kind} (${holder}) that keeps it` : `a ${kind} the sync does not manage`
                }; ${id} is not synced until that is resolved: ${whereToResolve}.`,
              },
        );
      }
    }
    if (!changed) break;
  }

  const names = new Map<string, string>();
  for (const [id, c] of candidates) {
    if (!skipped.has(id)) names.set(id, effective(id, c));
    if (++work % yieldEvery === 0) yield work;
  }
  return { names, skipped, conflicts };
}
