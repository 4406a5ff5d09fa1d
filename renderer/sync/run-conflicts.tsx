import {
  Body1,
  Button,
  Caption1,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Open12Regular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import type { ConflictView, RunConflictList } from '../../shared/contract/sync';
import { shortId, type NameRules } from '../../shared/name-rules';
import { call, type ApiError } from '../api/client';
import { ErrorHelp } from './error-help';
import { formatCount } from './format';
import { DuplicateGroupRule, ObjectNameFields, draftProblems, objectLabel, type OverrideDraft } from './name-rules-editor';

/**
 * A run's name conflicts, wherever a run's result is shown (the wizard's first sync, the dashboard's last sync, a
 * run's details, Plan preview): what was left out, each Entra object with its id and a link to it in the Entra admin
 * center, and "Resolve" — the duplicate group name rule and a name per object, saved to the sync settings.
 */

const useStyles = makeStyles({
  list: {
    margin: 0,
    paddingLeft: tokens.spacingHorizontalXL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
  objects: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  id: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  actions: {
    display: 'flex',
    gap: tokens.spacingHorizontalS,
    alignItems: 'center',
    flexWrap: 'wrap',
    marginTop: tokens.spacingVerticalS,
  },
  dialog: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
});

/** Loads a run's conflicts; `count` (the run record's) skips the request when there are none. */
function useRunConflicts(runId: string, count: number | undefined) {
  const [state, setState] = useState<{ runId: string; list?: RunConflictList; error?: { code: string; message: string } }>();
  useEffect(() => {
    if (count === 0) return;
    let stale = false;
    call('sync:runConflicts', { runId }).then(
      (list) => !stale && setState({ runId, list }),
      (e: ApiError) => !stale && setState({ runId, error: { code: e.code, message: e.message } }),
    );
    return () => void (stale = true);
  }, [runId, count]);
  return count === 0 || state?.runId !== runId ? undefined : state;
}

/** The conflicts of one run, or nothing when it had none. `dryRun`: told as what a sync would leave out. */
export function RunConflicts(props: { runId: string; count?: number; dryRun?: boolean; onResolved?: () => void }) {
  const styles = useStyles();
  const state = useRunConflicts(props.runId, props.count);
  const [resolving, setResolving] = useState(false);
  const [saved, setSaved] = useState(false);
  if (state?.error) return <ErrorHelp title="The run’s name conflicts could not be read" error={state.error} />;
  const list = state?.list;
  if (!list || list.total === 0) return null;
  const objects = new Set(list.conflicts.flatMap((c) => c.externalIds)).size;
  return (
    <MessageBar intent="warning" layout="multiline" data-testid="run-conflicts">
      <MessageBarBody>
        <MessageBarTitle>
          {formatCount(list.total)} name {list.total === 1 ? 'conflict' : 'conflicts'}:{' '}
          {props.dryRun
            ? 'these Entra objects would not be synced as they are'
            : 'these Entra objects were not synced as they are'}
        </MessageBarTitle>
        <ul className={styles.list}>
          {list.conflicts.map((c) => (
            <li key={`${c.code}:${c.name}:${c.externalIds.join(',')}`}>
              <ConflictEntry conflict={c} />
            </li>
          ))}
        </ul>
        {list.total > list.conflicts.length && (
          <Caption1>…and {formatCount(list.total - list.conflicts.length)} more (the first ones are listed).</Caption1>
        )}
        <div className={styles.actions}>
          <Button size="small" appearance="primary" onClick={() => setResolving(true)}>
            Resolve {objects === 1 ? 'it' : 'them'}…
          </Button>
          <Caption1>or later in Sync settings → Name conflicts.</Caption1>
          {saved && <Caption1 role="status">Saved: the next dry run or sync uses the new names.</Caption1>}
        </div>
        {resolving && (
          <ResolveDialog
            conflicts={list.conflicts}
            onClose={(done) => {
              setResolving(false);
              if (done) {
                setSaved(true);
                props.onResolved?.();
              }
            }}
          />
        )}
      </MessageBarBody>
    </MessageBar>
  );
}

function ConflictEntry(props: { conflict: ConflictView }) {
  const styles = useStyles();
  const { conflict } = props;
  return (
    <>
      <Body1 block>{headline(conflict)}</Body1>
      <ul className={styles.objects}>
        {conflict.objects.map((o) => (
          <li key={o.id}>
            <Caption1>
              {objectLabel(o)} · object id <span className={styles.id}>{o.id}</span> ·{' '}
              <Link
                href={o.portalUrl}
                target="_blank"
                rel="noreferrer"
                aria-label={`Open ${o.displayName ?? o.id} in the Entra admin center`}
              >
                Open in the Entra admin center <Open12Regular />
              </Link>
            </Caption1>
          </li>
        ))}
      </ul>
    </>
  );
}

/** One sentence per conflict, in our words (the planner's message names ids, which are listed below it). */
function headline(c: ConflictView): string {
  const what = c.kind === 'user' ? 'username' : 'group name';
  switch (c.code) {
    case 'username-conflict':
    case 'group-name-conflict':
      return `${c.externalIds.length} Entra ${c.kind}s would get the ${what} “${c.kind === 'group' ? (c.objects[0]?.displayName ?? c.name) : c.name}”: ${
        c.keeperId
          ? `the one already synced under it (id ${shortId(c.keeperId)}) keeps it, the others are left out`
          : 'none of them is synced under it (never merged)'
      } until each has a name of its own.`;
    case 'username-taken':
    case 'group-name-taken':
      return `The ${what} “${c.name}” is already held in the target by another ${c.kind}: this ${c.kind} is not synced.`;
    case 'override-conflict':
      return `The ${what} “${c.name}” set in Sync settings is also wanted by another ${c.kind}: the other keeps it.`;
    case 'username-missing':
      return `${c.name} has no value for the username rule: the user is not synced.`;
  }
}

/** The Resolve dialog: the rule (for group conflicts) and a name per object, saved to the sync settings in one write. */
function ResolveDialog(props: { conflicts: readonly ConflictView[]; onClose: (saved: boolean) => void }) {
  const styles = useStyles();
  const [stored, setStored] = useState<NameRules>();
  const [rule, setRule] = useState<NameRules['duplicateGroups']>('skip');
  const [draft, setDraft] = useState<{ user: OverrideDraft; group: OverrideDraft }>({ user: {}, group: {} });
  const [error, setError] = useState<{ code: string; message: string }>();
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    call('sync:getPolicy', undefined).then(
      (policy) => {
        setStored(policy.names);
        setRule(policy.names.duplicateGroups);
        const pick = (all: Readonly<Record<string, string>>, kind: 'user' | 'group') =>
          Object.fromEntries(
            props.conflicts
              .flatMap((c) => (c.kind === kind ? c.externalIds : []))
              .flatMap((id) => (all[id] ? [[id, all[id]]] : [])),
          );
        setDraft({ user: pick(policy.names.usernameOverrides, 'user'), group: pick(policy.names.groupOverrides, 'group') });
      },
      (e: ApiError) => setError({ code: e.code, message: e.message }),
    );
  }, [props.conflicts]);
  const problems = stored ? draftProblems(props.conflicts, draft, stored) : {};
  const groupConflict = props.conflicts.find((c) => c.kind === 'group' && c.code === 'group-name-conflict');

  const save = async () => {
    if (Object.keys(problems).length > 0) return;
    setSaving(true);
    try {
      // Read again just before writing: the dialog changes only the names, never another setting.
      const policy = await call('sync:getPolicy', undefined);
      const merge = (all: Readonly<Record<string, string>>, changed: OverrideDraft) => {
        const next: Record<string, string> = { ...all };
        for (const [id, name] of Object.entries(changed)) {
          if (name.trim()) next[id] = name.trim();
          else delete next[id];
        }
        return next;
      };
      await call('sync:savePolicy', {
        policy: {
          ...policy,
          names: {
            duplicateGroups: rule,
            usernameOverrides: merge(policy.names.usernameOverrides, draft.user),
            groupOverrides: merge(policy.names.groupOverrides, draft.group),
          },
        },
      });
      props.onClose(true);
    } catch (e) {
      const failure = e as ApiError;
      setError({ code: failure.code, message: failure.message });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog open modalType="modal" onOpenChange={(_, d) => !d.open && props.onClose(false)}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Resolve the name conflicts</DialogTitle>
          <DialogContent className={styles.dialog}>
            <Body1>
              Give each object a name of its own in the target. Nothing changes until the next sync; a dry run shows the effect
              first.
            </Body1>
            {groupConflict && (
              <DuplicateGroupRule
                value={rule}
                onChange={setRule}
                example={{ name: groupConflict.objects[0]?.displayName ?? groupConflict.name, id: groupConflict.externalIds[0]! }}
              />
            )}
            <ObjectNameFields
              conflicts={props.conflicts}
              draft={draft}
              problems={problems}
              onChange={(kind, id, name) => setDraft((d) => ({ ...d, [kind]: { ...d[kind], [id]: name } }))}
            />
            {error && <ErrorHelp title="The names could not be saved" error={error} />}
          </DialogContent>
          <DialogActions>
            <Button
              appearance="primary"
              disabled={!stored || saving || Object.keys(problems).length > 0}
              onClick={() => void save()}
            >
              Save to Sync settings
            </Button>
            <Button onClick={() => props.onClose(false)}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
