import {
  Badge,
  Body1,
  Button,
  Caption1,
  Card,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Subtitle2,
} from '@fluentui/react-components';
import { ArrowSync20Regular, DocumentSearch20Regular } from '@fluentui/react-icons';
import { useCallback, useEffect, useState } from 'react';
import type { SyncOutcome } from '../../shared/contract/sync';
import type { PlanCounts, PlanItemKind } from '../../shared/sync';
import { call } from '../api/client';
import { ErrorHelp } from '../sync/error-help';
import { formatCount, formatDuration, kindDisplayOrder, kindLabels, total } from '../sync/format';
import { PlanItems } from '../sync/plan-items';
import { KindTiles } from '../sync/plan-summary';
import { RunConflicts } from '../sync/run-conflicts';
import { SafetyBrake } from '../sync/safety-brake';
import { SyncProgress } from '../sync/sync-progress';
import { useSyncStatus } from '../sync/use-sync-status';
import { WhereUsersGo } from './where-users-go';
import { useStepStyles } from './wizard-styles';

/** The first sync as the wizard follows it: a dry run, then Sync now, each matched to its outcome by run id. */
export function useFirstSync() {
  const sync = useSyncStatus();
  const [dryRunId, setDryRunId] = useState<string | null>(null);
  const [syncRunId, setSyncRunId] = useState<string | null>(null);
  const [fetched, setFetched] = useState<Readonly<Record<string, SyncOutcome>>>({});
  const outcomeOf = (id: string | null) => (id === null ? undefined : sync.finished?.run.id === id ? sync.finished : fetched[id]);

  // A finished event can be missed (started before this window listened): ask for the outcome once idle.
  const idle = sync.status?.state === 'idle';
  useEffect(() => {
    if (!idle) return;
    for (const id of [dryRunId, syncRunId]) {
      if (id && !fetched[id] && sync.finished?.run.id !== id) {
        void call('sync:run', { runId: id }).then(
          (outcome) => outcome.run.status !== 'running' && setFetched((o) => ({ ...o, [id]: outcome })),
          () => undefined,
        );
      }
    }
  }, [idle, dryRunId, syncRunId, fetched, sync.finished]);

  const dryRun = useCallback(async () => {
    setSyncRunId(null);
    setDryRunId(await sync.start('dryRun', { full: true }));
  }, [sync]);

  const runNow = useCallback(
    async (confirmBrake?: string) => setSyncRunId(await sync.start('runNow', confirmBrake ? { confirmBrake } : {})),
    [sync],
  );

  const dry = outcomeOf(dryRunId);
  const real = outcomeOf(syncRunId);
  const lastRun = sync.status?.lastRun ?? null;
  // After a restart on this step, a sync that already succeeded counts.
  const succeeded = real ? real.run.status === 'succeeded' : lastRun?.status === 'succeeded';
  return { sync, dry, real, dryRunId, syncRunId, lastRun, succeeded, dryRun, runNow };
}

export type FirstSync = ReturnType<typeof useFirstSync>;

/** What a run applied, as one badge per kind that changed anything. */
function AppliedCounts(props: { counts: PlanCounts }) {
  const styles = useStepStyles();
  const kinds = kindDisplayOrder.filter((kind) => props.counts[kind] > 0);
  if (kinds.length === 0) return <Body1>Nothing needed to change: the directory already matched Entra.</Body1>;
  return (
    <ul className={styles.badges} aria-label="Changes applied">
      {kinds.map((kind) => (
        <li key={kind}>
          <Badge appearance="tint" color="success" size="large" data-testid={`applied-${kind}`}>
            {formatCount(props.counts[kind])} × {kindLabels[kind]}
          </Badge>
        </li>
      ))}
    </ul>
  );
}

/** Step 7: a dry run first (the plan's counts and list), then Sync now with progress. */
export function StepFirstSync(props: { sync: FirstSync; demo: boolean }) {
  const styles = useStepStyles();
  const { sync, dry, real, lastRun } = props.sync;
  const [kind, setKind] = useState<PlanItemKind>();
  const running = sync.active;
  const dryOk = dry?.run.status === 'succeeded';
  const held = real?.run.status === 'blocked' ? real : undefined;
  const previous = !real && lastRun?.status === 'succeeded' ? lastRun : null;

  return (
    <div className={styles.step}>
      <Body1>
        First a dry run: the app reads {props.demo ? 'the demo tenant' : 'your tenant'} and shows every change the first sync
        would make to the embedded directory — nothing is changed yet. Then “Sync now” applies it.
      </Body1>
      <div className={styles.row}>
        <Button
          appearance={dry ? 'secondary' : 'primary'}
          icon={<DocumentSearch20Regular />}
          disabled={!!running}
          onClick={() => void props.sync.dryRun()}
        >
          {dry ? 'Run the dry run again' : 'Start the dry run'}
        </Button>
        <Button
          appearance={dryOk && !real ? 'primary' : 'secondary'}
          icon={<ArrowSync20Regular />}
          disabled={!!running || !dryOk}
          onClick={() => void props.sync.runNow()}
        >
          Sync now
        </Button>
      </div>
      {sync.actionError && <ErrorHelp title="The sync could not start" error={sync.actionError} />}
      {running && (
        <Card className={styles.card}>
          <SyncProgress active={running} onCancel={() => void sync.cancel()} />
        </Card>
      )}
      {previous && (
        <MessageBar intent="success">
          <MessageBarBody>
            <MessageBarTitle>The first sync is done</MessageBarTitle>
            {formatCount(total(previous.applied))} changes applied. Go to the dashboard, or run it again.
          </MessageBarBody>
        </MessageBar>
      )}
      {real && real.run.status !== 'blocked' && (
        <Card className={styles.card} data-testid="sync-result">
          <Subtitle2 as="h3" className={styles.cardTitle}>
            {real.run.status === 'succeeded' ? 'The first sync is done' : `The sync ended: ${real.run.status}`}
          </Subtitle2>
          <Caption1>
            {formatCount(total(real.run.applied))} changes applied in {formatDuration(real.run.durationMs)} ·{' '}
            {formatCount(real.run.graphRequests)} Graph requests
          </Caption1>
          {real.run.error && <ErrorHelp title="The sync failed" error={real.run.error} />}
          <AppliedCounts counts={real.run.applied} />
          <RunConflicts runId={real.run.id} count={real.run.conflicts} />
        </Card>
      )}
      {props.sync.succeeded && !running && <WhereUsersGo demo={props.demo} />}
      {held && (
        <SafetyBrake run={held.run} guard={held.guard} onConfirm={() => void props.sync.runNow(held.run.id)} busy={!!running} />
      )}
      {dry && (
        <Card className={styles.card} data-testid="dry-run-result">
          <Subtitle2 as="h3" className={styles.cardTitle}>
            Dry run: {formatCount(total(dry.run.planned))} changes planned
          </Subtitle2>
          <Caption1>
            {formatDuration(dry.run.durationMs)} · {formatCount(dry.run.graphRequests)} Graph requests · nothing was changed
          </Caption1>
          {dry.run.error && <ErrorHelp title="The dry run failed" error={dry.run.error} />}
          {dry.guard && !dry.guard.allowed && <SafetyBrake run={dry.run} guard={dry.guard} />}
          <RunConflicts runId={dry.run.id} count={dry.run.conflicts} dryRun />
          <KindTiles counts={dry.run.planned} selected={kind} onSelect={setKind} />
          {/* The list scrolls in its own region so the step stays one screen long; focusable for keyboard scrolling. */}
          <div className={styles.scrollList} role="region" aria-label="Planned changes" tabIndex={0}>
            <PlanItems runId={dry.run.id} counts={dry.run.planned} kind={kind} onKindChange={setKind} />
          </div>
        </Card>
      )}
    </div>
  );
}
