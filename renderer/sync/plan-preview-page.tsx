import {
  Body1,
  Button,
  Caption1,
  Card,
  Checkbox,
  Dropdown,
  Label,
  Option,
  Spinner,
  Subtitle2,
  Title1,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Play20Regular, ArrowSync20Regular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SyncOutcome } from '../../shared/contract/sync';
import type { PlanItemKind } from '../../shared/sync';
import { call, type ApiError } from '../api/client';
import type { PageProps } from '../app/page-ids';
import { ErrorHelp } from './error-help';
import { formatDateTime, formatDuration, total } from './format';
import { PlanItems } from './plan-items';
import { outdatedReasons, PlanOutdated } from './plan-freshness';
import { KindTiles, PlanFacts } from './plan-summary';
import { RunConflicts } from './run-conflicts';
import { SafetyBrake } from './safety-brake';
import { SyncProgress } from './sync-progress';
import { useSyncStatus } from './use-sync-status';
import { targetName, useTargets } from '../settings/targets/use-targets';
import { DemoDataLabel } from '../app/demo-label';

const useStyles = makeStyles({
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'center' },
  // A horizontal Field gives its control a third of its own width, which the dropdown overflows into the next button.
  targetPicker: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  targetDropdown: { minWidth: '220px' },
  card: { padding: tokens.spacingVerticalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/** The latest dry run of a target in the history, if any. */
async function latestDryRun(targetId: string): Promise<string | null> {
  const runs = await call('sync:runs', { offset: 0, limit: 50, targetId });
  return runs.items.find((r) => r.dryRun && r.status !== 'running')?.id ?? null;
}

/**
 * Plan preview: a dry run reads Entra and plans every change without applying anything; the admin reads the counts
 * per kind, the full item list with reasons and before → after, conflicts and the brake's verdict, then applies it.
 */
export function PlanPreviewPage(props: PageProps) {
  const styles = useStyles();
  const { navigate } = props;
  const startedHere = useRef<string | null>(null);
  const endedRuns = useRef(new Set<string>());
  const [runId, setRunId] = useState<string | null | undefined>(props.params.runId);
  const [outcome, setOutcome] = useState<SyncOutcome>();
  const [loadError, setLoadError] = useState<{ code: string; message: string }>();
  const [kind, setKind] = useState<PlanItemKind | undefined>();
  const [full, setFull] = useState(false);
  /** Bumped when a run ends: the shown plan may have gone out of date, so its freshness is asked for again. */
  const [checks, setChecks] = useState(0);
  // Which target the dry run and Sync now are for: the embedded directory unless the admin picks another.
  const [target, setTarget] = useState(props.params.target ?? 'local');
  const targets = useTargets();

  // A dry run ended (this page's or another window's): show it. A real run started here opens in the history.
  const onFinished = useCallback(
    (done: SyncOutcome) => {
      if (done.run.dryRun) {
        if (done.run.targetId) setTarget(done.run.targetId);
        setKind(undefined);
        setOutcome(done);
        setRunId(done.run.id);
      } else if (done.run.id === startedHere.current) {
        navigate('history', { runId: done.run.id });
      } else {
        // A short run can finish before sync:runNow has answered with its id: applyNow looks here once it has it.
        endedRuns.current.add(done.run.id);
      }
      setChecks((n) => n + 1);
    },
    [navigate],
  );
  const sync = useSyncStatus(onFinished);

  useEffect(() => {
    if (runId !== undefined) return;
    // The history's answer can come after a dry run started here has finished and been shown (the answer and the
    // event travel apart): the latest dry run is only a starting point, never a replacement for a run already shown.
    let stale = false;
    latestDryRun(target).then(
      (id) => !stale && setRunId((shown) => (shown === undefined ? id : shown)),
      (e: ApiError) => !stale && setLoadError({ code: e.code, message: e.message }),
    );
    return () => {
      stale = true;
    };
  }, [runId, target]);

  // Asked for on every load and after every run, so a plan is never shown as current once it is not (freshness).
  useEffect(() => {
    if (!runId) return;
    let stale = false;
    call('sync:run', { runId }).then(
      (o) => {
        if (stale) return;
        if (o.run.targetId) setTarget(o.run.targetId);
        setOutcome(o);
        setLoadError(undefined);
      },
      (e: ApiError) => !stale && setLoadError({ code: e.code, message: e.message }),
    );
    return () => {
      stale = true;
    };
  }, [runId, checks]);

  const startDryRun = async () => {
    startedHere.current = await sync.start('dryRun', { full, target });
  };
  const applyNow = async () => {
    const id = await sync.start('runNow', { target: outcome?.run.targetId ?? target });
    startedHere.current = id;
    if (id !== null && endedRuns.current.has(id)) navigate('history', { runId: id });
  };
  // "Preview the effect with a dry run" (Sync settings) opens this page asking for a new dry run: start it once.
  const askedFor = useRef(false);
  const { start } = sync;
  useEffect(() => {
    if (props.params.dryRun !== 'start' || askedFor.current) return;
    askedFor.current = true;
    void start('dryRun', { target }).then((id) => (startedHere.current = id));
  }, [props.params.dryRun, start, target]);
  const pickTarget = (id: string) => {
    if (id === target) return;
    setTarget(id);
    setOutcome(undefined);
    setLoadError(undefined);
    setRunId(undefined);
  };

  const running = sync.active;
  const run = outcome?.run;
  const counts = outcome?.plan?.counts ?? run?.planned;
  const outdated = run?.dryRun ? outdatedReasons(outcome?.freshness) : [];

  return (
    <>
      <header className={styles.header}>
        <Title1 as="h1">Plan preview</Title1>
        <DemoDataLabel>Plans of the demo tenant, against its own directory. Yours is kept apart.</DemoDataLabel>
        <Body1>
          A dry run reads Entra ID and works out every change the sync would make — nothing is changed. Read it, then apply it
          with Sync now.
        </Body1>
      </header>
      <div className={styles.actions}>
        <div className={styles.targetPicker}>
          <Label id="plan-target-label">Sync into</Label>
          <Dropdown
            aria-labelledby="plan-target-label"
            className={styles.targetDropdown}
            value={targetName(targets.list, target)}
            selectedOptions={[target]}
            disabled={!!running}
            onOptionSelect={(_, d) => d.optionValue && pickTarget(d.optionValue)}
            data-testid="plan-target"
          >
            {(targets.list?.targets ?? []).map((t) => (
              <Option key={t.id} value={t.id}>
                {t.name}
              </Option>
            ))}
          </Dropdown>
        </div>
        <Button appearance="primary" icon={<ArrowSync20Regular />} disabled={!!running} onClick={() => void startDryRun()}>
          Run a dry run
        </Button>
        <Checkbox checked={full} onChange={(_, d) => setFull(d.checked === true)} label="Read everything (not only changes)" />
        {run && run.dryRun && run.status === 'succeeded' && (
          <Button icon={<Play20Regular />} disabled={!!running || outdated.length > 0} onClick={() => void applyNow()}>
            Apply with Sync now
          </Button>
        )}
      </div>
      {sync.actionError && <ErrorHelp title="The sync could not start" error={sync.actionError} />}
      {running && (
        <Card className={styles.card}>
          <SyncProgress active={running} onCancel={() => void sync.cancel()} />
        </Card>
      )}
      {loadError && <ErrorHelp title="The plan could not be loaded" error={loadError} />}
      {runId === undefined && !loadError && <Spinner size="small" label="Loading the last plan…" />}
      {runId === null && !running && !outcome && (
        <Card className={styles.card}>
          <Subtitle2 as="h2">No plan yet</Subtitle2>
          <Body1>Run a dry run to see what the first sync would create.</Body1>
        </Card>
      )}
      {run && counts && (
        <Card className={styles.card} data-testid="plan-result">
          <Subtitle2 as="h2">
            {run.dryRun ? 'Dry run' : 'Run'} of {formatDateTime(run.startedAt)}: {total(counts).toLocaleString()} changes
            {outdated.length > 0 ? ' (outdated)' : ''}
          </Subtitle2>
          <PlanOutdated reasons={outdated} disabled={!!running} onDryRun={() => void startDryRun()} />
          <Caption1>
            Into {targetName(targets.list, run.targetId)} ·{' '}
            {run.mode === 'delta' ? 'Changes since the last read' : 'Everything read'} · {formatDuration(run.durationMs)} ·{' '}
            {run.graphRequests.toLocaleString()} Graph requests
            {run.notes.length > 0 ? ` · ${run.notes.join(' ')}` : ''}
          </Caption1>
          {run.error && <ErrorHelp title="The dry run failed" error={run.error} />}
          {outcome?.guard && !outcome.guard.allowed && <SafetyBrake run={run} guard={outcome.guard} />}
          <KindTiles counts={counts} selected={kind} onSelect={setKind} />
          {outcome?.plan && <PlanFacts plan={outcome.plan} />}
          <RunConflicts runId={run.id} count={run.conflicts} dryRun={run.dryRun} />
          <Subtitle2 as="h3">Every change</Subtitle2>
          <PlanItems runId={run.id} counts={counts} kind={kind} onKindChange={setKind} />
        </Card>
      )}
    </>
  );
}
