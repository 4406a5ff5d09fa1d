import { Caption1, Field, Input, Radio, RadioGroup, makeStyles, tokens } from '@fluentui/react-components';
import type { ConflictView } from '../../shared/contract/sync';
import { nameWithShortId, overrideProblem, shortId, type ConflictObject, type NameRules } from '../../shared/name-rules';

/**
 * The pieces that settle name conflicts, shared by the Resolve dialog of a run's conflicts and Sync settings → Name
 * conflicts: the duplicate group name rule, and a name per object. What they edit is `policy.names`.
 */

const useStyles = makeStyles({
  objects: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  hint: { color: tokens.colorNeutralForeground3 },
});

/** The duplicate group name rule as a radio group; `example`: a group of a current conflict, to show the effect. */
export function DuplicateGroupRule(props: {
  value: NameRules['duplicateGroups'];
  onChange: (value: NameRules['duplicateGroups']) => void;
  example?: { readonly name: string; readonly id: string };
}) {
  const example = props.example ?? { name: 'Marketing', id: '5a1b2c3d-0000' };
  return (
    <Field label="Entra groups with the same name">
      <RadioGroup value={props.value} onChange={(_, d) => props.onChange(d.value as NameRules['duplicateGroups'])}>
        <Radio value="skip" label="Leave them out until each has a name of its own (a name set below, or renamed in Entra)" />
        <Radio
          value="appendShortId"
          label={`Add the start of the object id to each: “${nameWithShortId(example.name, example.id)}” (one already synced keeps its name)`}
        />
      </RadioGroup>
    </Field>
  );
}

/** How an object of a conflict is told apart from the others: its name, UPN or description, members, short id. */
export function objectLabel(object: ConflictObject): string {
  const parts = [object.displayName ?? 'No display name'];
  if (object.detail) parts.push(object.detail);
  if (object.memberCount !== undefined) parts.push(`${object.memberCount} ${object.memberCount === 1 ? 'member' : 'members'}`);
  parts.push(`id ${shortId(object.id)}`);
  return parts.join(' · ');
}

export type OverrideDraft = Readonly<Record<string, string>>;

/** The error of each object's name in `draft` (by object id): empty, too long, or a name another object has. */
export function draftProblems(
  conflicts: readonly ConflictView[],
  draft: { readonly user: OverrideDraft; readonly group: OverrideDraft },
  stored: NameRules,
): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const kind of ['user', 'group'] as const) {
    const all = { ...(kind === 'user' ? stored.usernameOverrides : stored.groupOverrides), ...draft[kind] };
    for (const [id, name] of Object.entries(draft[kind])) {
      if (name.trim() === '') continue; // no name of its own (a stored one is removed)
      // Not the name in dispute, nor another object's name.
      const disputed = conflicts.filter((c) => c.kind === kind && c.externalIds.includes(id)).map((c) => c.name);
      const others = Object.entries(all)
        .filter(([other, n]) => other !== id && n.trim() !== '')
        .map(([, n]) => n);
      const problem = overrideProblem(name, [...disputed, ...others]);
      if (problem) problems[id] = problem;
    }
  }
  return problems;
}

/** One input per object of the conflicts: the name it gets in the target. Empty: the name Entra and the rules give it. */
export function ObjectNameFields(props: {
  conflicts: readonly ConflictView[];
  draft: { readonly user: OverrideDraft; readonly group: OverrideDraft };
  onChange: (kind: 'user' | 'group', id: string, name: string) => void;
  problems: Readonly<Record<string, string>>;
}) {
  const styles = useStyles();
  const seen = new Set<string>();
  const rows: { kind: 'user' | 'group'; object: ConflictView['objects'][number]; disputed: string }[] = [];
  // The name in dispute as Entra spells it (the conflict's own is lower-cased).
  const spelled = (c: ConflictView) => (c.kind === 'group' ? (c.objects[0]?.displayName ?? c.name) : c.name);
  for (const c of props.conflicts) {
    for (const object of c.objects) {
      if (seen.has(object.id)) continue;
      seen.add(object.id);
      rows.push({ kind: c.kind, object, disputed: spelled(c) });
    }
  }
  return (
    <div className={styles.objects}>
      {rows.map(({ kind, object, disputed }) => (
        <Field
          key={object.id}
          label={`${kind === 'user' ? 'Username' : 'Group name'} for ${objectLabel(object)}`}
          validationMessage={props.problems[object.id]}
          validationState={props.problems[object.id] ? 'error' : 'none'}
        >
          <Input
            value={props.draft[kind][object.id] ?? ''}
            onChange={(_, d) => props.onChange(kind, object.id, d.value)}
            placeholder={`Leave empty to keep “${disputed}” (then the conflict stays)`}
            data-testid={`override-${object.id}`}
          />
        </Field>
      ))}
      <Caption1 className={styles.hint}>
        A name set here must be one no other object has: if another object wants it too, the other keeps it and this one is
        reported again.
      </Caption1>
    </div>
  );
}
