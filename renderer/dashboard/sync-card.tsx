import { Badge, Body1, Button, Caption1, Checkbox, Link } from '@fluentui/react-components';
import { ArrowSync20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { TargetLastRun } from '../../shared/contract/sync';
import { graphRequestsPhrase } from '../../shared/shared-read-words';
import type { SyncRunRecord } from '../../shared/sync';
import { ErrorHelp } from '../sync/error-help';
import {
  formatCount,
  formatDateTime,
  formatDuration,
  formatRelative,
  kindDisplayOrder,
  kindLabels,
  statusColor,
  statusLabels,
  total,
} from '../sync/format';
import { readLabel, resultSentence } from '../sync/run-words';
import { wholeRunOf, wholeRunRequests, type WholeRun } from '../sync/whole-run';
import { RunConflicts } from '../sync/run-conflicts';
import { SafetyBrake } from '../sync/safety-brake';
import { SyncProgress } from '../sync/sync-progress';
import type { useSyncStatus } from '../sync/use-sync-status';
import { DashboardCard, useCardStyles } from './dashboard-card';

/** "180 × create user · 35 × create group …" for the kinds a run applied, or the one sentence for how it ended. */
function appliedSummary(run: Pick<SyncRunRecord, 'status' | 'dryRun' | 'applied' | 'planned' | 'failedItems'>): string {
  const counts = run.status === 'blocked' ? run.planned : run.applied;
  const parts = kindDisplayOrder
    .filter((k) => counts[k] > 0)
    .map((k) => `${formatCount(counts[k])} × ${kindLabels[k].toLowerCase()}`);
  return resultSentence(run, parts.join(' · '));
}

/** One line per target (name, outcome, counts), once there is more than the embedded directory. */
function TargetLines(props: { targets: readonly TargetLastRun[]; onOpenRun: (runId: string) => void }) {
  const styles = useCardStyles();
  return (
    <div data-testid="last-sync-targets">
      {props.targets.map(({ id, name, lastRun }) => (
        <div key={id} className={styles.row} data-testid={`last-sync-target-${id}`}>
          <Body1>{name}</Body1>
          {lastRun ? (
            <>
              <Badge appearance="filled" color={statusColor(lastRun.status)}>
                {statusLabels[lastRun.status]}
              </Badge>
              <Body1>{appliedSummary(lastRun)}</Body1>
              <Link onClick={() => props.onOpenRun(lastRun.id)}>Details</Link>
            </>
          ) : (
            <Caption1>Not synced yet</Caption1>
          )}
        </div>
      ))}
    </div>
  );
}

/** Sync now with progress and cancel, and the last sync's result (with the brake's confirmation when it held). */
export function SyncCard(props: {
  sync: ReturnType<typeof useSyncStatus>;
  canSync: boolean;
  onOpenRun: (runId: string) => void;
  /** Opens the connection setup (Settings → Edit connection, the wizard's steps). */
  onFinishSetup?: () => void;
}) {
  const styles = useCardStyles();
  const { sync } = props;
  const [full, setFull] = useState(false);
  const active = sync.active;
  const finishedHere = sync.finished && !sync.finished.run.dryRun ? sync.finished : null;
  const last = finishedHere?.run ?? sync.status?.lastRun ?? null;
  const guard = finishedHere?.guard ?? null;
  // Sync now into several targets: one row per target; the last sync is all of them, not the last target's row.
  const whole: WholeRun | null = last ? wholeRunOf(last, sync.status?.targets) : null;
  const lastStatus = whole?.status ?? last?.status;
  // Where a run into several targets counted its one read of Entra.
  const nameOf = (id: string) =>
    sync.status?.targets?.find((t) => t.id === id)?.name ?? (id === 'local' ? 'Embedded directory' : id);

  return (
    <DashboardCard
      title="Sync"
      wide
      testId="sync-card"
      actions={
        <>
          <Checkbox checked={full} onChange={(_, d) => setFull(d.checked === true)} label="Read everything" disabled={!!active} />
          <Button
            appearance="primary"
            icon={<ArrowSync20Regular />}
            disabled={!!active || !props.canSync || !sync.status}
            // Every target (the embedded directory and each of Settings → Targets), Entra read once.
            onClick={() => void sync.start('runNow', { full, target: 'all' })}
          >
            Sync now
          </Button>
        </>
      }
    >
      {!props.canSync && (
        <Body1>
          No sync can run yet: the connection is missing a value.{' '}
          {props.onFinishSetup ? (
            <Link onClick={props.onFinishSetup}>Finish the connection setup</Link>
          ) : (
            'Finish the connection setup'
          )}{' '}
          to sync.
        </Body1>
      )}
      {sync.actionError && <ErrorHelp title="The sync could not start" error={sync.actionError} />}
      {sync.loadError && <ErrorHelp title="The sync status could not be read" error={sync.loadError} />}
      {active && <SyncProgress active={active} onCancel={() => void sync.cancel()} />}
      {!active && last && whole && (
        <div data-testid="last-sync">
          <div className={styles.row}>
            <Body1>Last sync</Body1>
            <Badge appearance="filled" color={statusColor(whole.status)} data-testid="last-sync-status">
              {statusLabels[whole.status]}
            </Badge>
            <Body1 data-testid="last-sync-targets-summary">{whole.headline}</Body1>
            <Body1>{formatRelative(last.finishedAt ?? last.startedAt)}</Body1>
            <Link onClick={() => props.onOpenRun(whole.failures[0]?.runId ?? last.id)}>Details</Link>
          </div>
          <Body1 block data-testid="last-sync-counts">
            {appliedSummary({ ...whole, dryRun: false })}
          </Body1>
          <Caption1 block>
            {formatDateTime(last.startedAt)} · {readLabel(last).toLowerCase()} · {formatDuration(whole.durationMs)} ·{' '}
            {wholeRunRequests(whole)} · {formatCount(total(whole.applied))} changes applied
            {whole.failedItems ? ` · ${formatCount(whole.failedItems)} failed` : ''}
          </Caption1>
        </div>
      )}
      {!active && last && !whole && (
        <div data-testid="last-sync">
          <div className={styles.row}>
            <Body1>Last sync</Body1>
            <Badge appearance="filled" color={statusColor(last.status)} data-testid="last-sync-status">
              {statusLabels[last.status]}
            </Badge>
            <Body1>{formatRelative(last.finishedAt ?? last.startedAt)}</Body1>
            <Link onClick={() => props.onOpenRun(last.id)}>Details</Link>
          </div>
          <Body1 block data-testid="last-sync-counts">
            {appliedSummary(last)}
          </Body1>
          <Caption1 block>
            {formatDateTime(last.startedAt)} · {readLabel(last).toLowerCase()} · {formatDuration(last.durationMs)} ·{' '}
            {graphRequestsPhrase(last, nameOf, formatCount)} · {formatCount(total(last.applied))} changes applied
            {last.failedItems ? ` · ${formatCount(last.failedItems)} failed` : ''}
          </Caption1>
        </div>
      )}
      {!active && sync.status?.targets && sync.status.targets.length > 1 && (
        <TargetLines targets={sync.status.targets} onOpenRun={props.onOpenRun} />
      )}
      {!active && last && <RunConflicts runId={last.id} count={last.conflicts} dryRun={last.status === 'blocked'} />}
      {!active && !last && sync.status && props.canSync && (
        <Body1>No sync has run yet. Start with a dry run in Plan preview, or Sync now.</Body1>
      )}
      {/* A cancelled run's one sentence is its result line above. */}
      {!active && !whole && last?.error && last.status !== 'blocked' && last.status !== 'cancelled' && (
        <ErrorHelp title="Why the last sync stopped" error={last.error} />
      )}
      {/* Into several targets: each failed target with its own reason and advice (the others went on). */}
      {!active &&
        whole?.failures.map((f) => <ErrorHelp key={f.runId} title={`Why the sync into ${f.name} failed`} error={f.error} />)}
      {!active && lastStatus === 'partial' && (whole ? whole.failedItems > 0 : true) && (
        <ErrorHelp
          title="Some changes failed"
          intent="warning"
          error={{
            code: 'partial',
            message: `${formatCount(whole?.failedItems ?? last?.failedItems ?? 0)} items could not be applied.`,
          }}
        />
      )}
      {!active && last?.status === 'blocked' && (
        <SafetyBrake
          run={last}
          guard={guard}
          busy={!!active}
          onReview={() => props.onOpenRun(last.id)}
          onConfirm={() => void sync.start('runNow', { confirmBrake: last.id, target: last.targetId })}
        />
      )}
    </DashboardCard>
  );
}
