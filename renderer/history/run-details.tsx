import {
  Badge,
  Body1,
  Button,
  Caption1,
  Card,
  MessageBar,
  MessageBarBody,
  Spinner,
  Subtitle2,
  Title1,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowLeft16Regular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SyncOutcome } from '../../shared/contract/sync';
import { graphRequestsCell, sharedReadSentence } from '../../shared/shared-read-words';
import type { PlanItemKind } from '../../shared/sync';
import { call, type ApiError } from '../api/client';
import type { PageProps } from '../app/page-ids';
import { ErrorHelp } from '../sync/error-help';
import { formatCount, formatDateTime, formatDuration, statusColor, statusLabels, total, triggerLabels } from '../sync/format';
import { PlanItems } from '../sync/plan-items';
import { KindTiles, PlanFacts } from '../sync/plan-summary';
import { RunConflicts } from '../sync/run-conflicts';
import { cancelledSentence, readLabel } from '../sync/run-words';
import { SafetyBrake } from '../sync/safety-brake';
import { SyncProgress } from '../sync/sync-progress';
import { useSyncStatus } from '../sync/use-sync-status';
import { ExportButtons } from './export-buttons';
import { targetName, useTargets } from '../settings/targets/use-targets';

const useStyles = makeStyles({
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, alignItems: 'flex-start' },
  titleRow: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
  card: { padding: tokens.spacingVerticalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(170px, 1fr))',
    gap: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    margin: 0,
  },
  fact: { display: 'flex', flexDirection: 'column', margin: 0 },
  dd: { margin: 0 },
  notes: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

/** One run: what it was, what it did (item by item, with outcome), why it stopped, and its export. */
export function RunDetails(props: PageProps & { runId: string }) {
  const styles = useStyles();
  const { runId, navigate } = props;
  const [outcome, setOutcome] = useState<SyncOutcome>();
  const [error, setError] = useState<{ code: string; message: string }>();
  const [kind, setKind] = useState<PlanItemKind | undefined>();
  const [attempt, setAttempt] = useState(0);
  const confirming = useRef<string | null>(null);
  const targets = useTargets();

  // This run changed (its confirmation was used) or the run confirmed from here ended: show the news.
  const onFinished = useCallback(
    (done: SyncOutcome) => {
      if (done.run.id === confirming.current) navigate('history', { runId: done.run.id });
      else setAttempt((n) => n + 1);
    },
    [navigate],
  );
  const sync = useSyncStatus(onFinished);

  useEffect(() => {
    let stale = false;
    call('sync:run', { runId }).then(
      (o) => {
        if (stale) return;
        setOutcome(o);
        setError(undefined);
      },
      (e: ApiError) => !stale && setError({ code: e.code, message: e.message }),
    );
    return () => {
      stale = true;
    };
  }, [runId, attempt]);
  const load = () => setAttempt((n) => n + 1);

  const back = (
    <Button appearance="subtle" icon={<ArrowLeft16Regular />} onClick={() => navigate('history')}>
      All runs
    </Button>
  );
  if (error) {
    return (
      <>
        {back}
        <ErrorHelp title="This run could not be loaded" error={error} onRetry={load} />
      </>
    );
  }
  if (!outcome) return <Spinner label="Loading the run…" />;
  const { run } = outcome;
  const shownCounts = run.dryRun || run.status === 'blocked' ? run.planned : run.applied;
  const confirm = async () => {
    // The confirmation is for the plan of this run's target.
    confirming.current = await sync.start('runNow', { confirmBrake: run.id, target: run.targetId });
  };

  const nameOf = (targetId: string) => targetName(targets.list, targetId);
  // Entra read once for several targets: where its requests are counted, beside the run's own notes.
  const notes = [sharedReadSentence(run, nameOf), ...run.notes].filter((n): n is string => n !== null);
  const facts: [string, string][] = [
    ['Target', targetName(targets.list, run.targetId)],
    ['Started', formatDateTime(run.startedAt)],
    ['Finished', formatDateTime(run.finishedAt)],
    ['Duration', formatDuration(run.durationMs)],
    ['Trigger', triggerLabels[run.trigger]],
    ['Read from Entra', readLabel(run)],
    ['Graph requests', graphRequestsCell(run, nameOf, formatCount)],
    ['Planned changes', formatCount(total(run.planned))],
    ['Applied changes', run.dryRun ? '— (dry run)' : formatCount(total(run.applied))],
    ['Failed items', formatCount(run.failedItems)],
    ['Conflicts', formatCount(run.conflicts)],
  ];

  return (
    <>
      <header className={styles.header}>
        {back}
        <div className={styles.titleRow}>
          <Title1 as="h1">{run.dryRun ? 'Dry run' : 'Sync run'}</Title1>
          <Badge size="large" appearance="filled" color={statusColor(run.status)} data-testid="run-status">
            {statusLabels[run.status]}
          </Badge>
        </div>
        <Caption1>Run {run.id}</Caption1>
      </header>
      {run.status === 'cancelled' ? (
        <MessageBar intent="warning" data-testid="cancelled-run">
          <MessageBarBody>{cancelledSentence(run)}</MessageBarBody>
        </MessageBar>
      ) : (
        run.error && <ErrorHelp title="Why it stopped" error={run.error} />
      )}
      {run.status === 'partial' && (
        <ErrorHelp
          title="Some changes failed"
          intent="warning"
          error={{ code: 'partial', message: `${formatCount(run.failedItems)} items could not be applied.` }}
        />
      )}
      {run.status === 'blocked' && (
        <SafetyBrake
          run={run}
          guard={outcome.guard}
          busy={!!sync.active}
          onReview={() =>
            setKind(outcome.plan?.counts['delete-user'] && !outcome.plan.counts['disable-user'] ? 'delete-user' : 'disable-user')
          }
          onConfirm={() => void confirm()}
        />
      )}
      {sync.actionError && <ErrorHelp title="The sync could not start" error={sync.actionError} />}
      {sync.active && (
        <Card className={styles.card}>
          <SyncProgress active={sync.active} onCancel={() => void sync.cancel()} />
        </Card>
      )}
      <Card className={styles.card}>
        <dl className={styles.facts}>
          {facts.map(([label, value]) => (
            <div key={label} className={styles.fact}>
              <dt>
                <Caption1>{label}</Caption1>
              </dt>
              <dd className={styles.dd}>
                <Body1>{value}</Body1>
              </dd>
            </div>
          ))}
        </dl>
        {notes.length > 0 && (
          <ul className={styles.notes} aria-label="Notes">
            {notes.map((note) => (
              <li key={note}>
                <Caption1>{note}</Caption1>
              </li>
            ))}
          </ul>
        )}
        <ExportButtons what="this run" load={(format) => call('sync:exportRun', { runId: run.id, format })} />
      </Card>
      <Card className={styles.card}>
        <Subtitle2 as="h2">{run.dryRun || run.status === 'blocked' ? 'Planned changes' : 'Applied changes'}</Subtitle2>
        <KindTiles counts={shownCounts} selected={kind} onSelect={setKind} />
        {outcome.plan && <PlanFacts plan={outcome.plan} applied={!run.dryRun && run.status !== 'blocked'} />}
        <RunConflicts runId={run.id} count={run.conflicts} dryRun={run.dryRun || run.status === 'blocked'} />
        <PlanItems runId={run.id} counts={run.planned} kind={kind} onKindChange={setKind} showOutcome />
      </Card>
    </>
  );
}
