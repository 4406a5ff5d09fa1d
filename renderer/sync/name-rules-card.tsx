import { Body1, Button, Caption1, Card, Field, Input, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { Delete16Regular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import type { ConflictView } from '../../shared/contract/sync';
import type { NameRules } from '../../shared/name-rules';
import { call } from '../api/client';
import { DuplicateGroupRule, ObjectNameFields, draftProblems } from './name-rules-editor';

/**
 * Sync settings → Name conflicts: the duplicate group name rule, a name for each object of the latest run's
 * conflicts, and the names set earlier (each can be changed or removed). Part of the settings form: saved with it.
 */

const useStyles = makeStyles({
  card: { padding: tokens.spacingVerticalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'end' },
  grow: { flexGrow: 1 },
  hint: { color: tokens.colorNeutralForeground3 },
});

/** The latest run's conflicts (a dry run counts): what the admin is most likely here to resolve. */
function useLatestConflicts(): readonly ConflictView[] {
  const [conflicts, setConflicts] = useState<readonly ConflictView[]>([]);
  useEffect(() => {
    let stale = false;
    void call('sync:runs', { offset: 0, limit: 1 })
      .then(async (page) => {
        const latest = page.items[0];
        if (!latest || latest.conflicts === 0) return;
        const list = await call('sync:runConflicts', { runId: latest.id });
        if (!stale) setConflicts(list.conflicts);
      })
      .catch(() => undefined); // the card still edits the rule and the stored names
    return () => void (stale = true);
  }, []);
  return conflicts;
}

/** Errors of the names the form would save (empty, or the same name set for two objects), by object id. */
export function nameRuleErrors(names: NameRules): Record<string, string> {
  return draftProblems([], { user: names.usernameOverrides, group: names.groupOverrides }, names);
}

export function NameRulesCard(props: { names: NameRules; onChange: (names: NameRules) => void }) {
  const styles = useStyles();
  const conflicts = useLatestConflicts();
  const { names } = props;
  const draft = { user: names.usernameOverrides, group: names.groupOverrides };
  const problems = draftProblems(conflicts, draft, names);
  const setName = (kind: 'user' | 'group', id: string, name: string) => {
    const key = kind === 'user' ? 'usernameOverrides' : 'groupOverrides';
    const next: Record<string, string> = { ...names[key] };
    if (name === '') delete next[id];
    else next[id] = name;
    props.onChange({ ...names, [key]: next });
  };
  const inConflicts = new Set(conflicts.flatMap((c) => c.externalIds));
  const earlier = (['group', 'user'] as const).flatMap((kind) =>
    Object.entries(kind === 'user' ? names.usernameOverrides : names.groupOverrides)
      .filter(([id]) => !inConflicts.has(id))
      .map(([id, name]) => ({ kind, id, name })),
  );
  const example = conflicts.find((c) => c.kind === 'group');

  return (
    <Card className={styles.card} id="name-conflicts">
      <Subtitle2 as="h2">Name conflicts</Subtitle2>
      <Body1>
        Two Entra objects that would get one name in the target are never merged: they are left out until each has a name of its
        own. Give them one here; a dry run shows the effect.
      </Body1>
      <DuplicateGroupRule
        value={names.duplicateGroups}
        onChange={(duplicateGroups) => props.onChange({ ...names, duplicateGroups })}
        example={example ? { name: example.objects[0]?.displayName ?? example.name, id: example.externalIds[0]! } : undefined}
      />
      {conflicts.length > 0 ? (
        <>
          <Subtitle2 as="h3">Conflicts of the latest run</Subtitle2>
          <ObjectNameFields conflicts={conflicts} draft={draft} problems={problems} onChange={setName} />
        </>
      ) : (
        <Caption1 className={styles.hint}>The latest run had no name conflicts.</Caption1>
      )}
      {earlier.length > 0 && (
        <>
          <Subtitle2 as="h3">Names set earlier</Subtitle2>
          {earlier.map(({ kind, id, name }) => (
            <div key={id} className={styles.row}>
              <Field
                className={styles.grow}
                label={`${kind === 'user' ? 'Username for the user' : 'Name for the group'} with object id ${id}`}
                validationMessage={problems[id]}
                validationState={problems[id] ? 'error' : 'none'}
              >
                <Input value={name} onChange={(_, d) => setName(kind, id, d.value)} />
              </Field>
              <Button
                icon={<Delete16Regular />}
                onClick={() => setName(kind, id, '')}
                aria-label={`Remove the name set for ${id}`}
              >
                Remove
              </Button>
            </div>
          ))}
        </>
      )}
    </Card>
  );
}
