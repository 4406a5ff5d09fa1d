import {
  Badge,
  Body1,
  Button,
  Caption1,
  Card,
  Link,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Title1,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ChevronLeft16Regular, ChevronRight16Regular } from '@fluentui/react-icons';
import { useCallback, useEffect, useState } from 'react';
import { graphRequestsCell } from '../../shared/shared-read-words';
import type { Paged, SyncRunRecord } from '../../shared/sync';
import { call, on, type ApiError } from '../api/client';
import type { PageProps } from '../app/page-ids';
import { ErrorHelp } from '../sync/error-help';
import { formatCount, formatDateTime, formatDuration, statusColor, statusLabels, total, triggerLabels } from '../sync/format';
import { RunDetails } from './run-details';
import { targetName, useTargets } from '../settings/targets/use-targets';
import { DemoDataLabel } from '../app/demo-label';

const pageSize = 25;

const useStyles = makeStyles({
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  card: {
    padding: tokens.spacingVerticalL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    overflowX: 'auto',
  },
  pager: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', justifyContent: 'flex-end' },
});

/** The run history: every run, newest first; a run opens its details. */
export function HistoryPage(props: PageProps) {
  if (props.params.runId) return <RunDetails {...props} key={props.params.runId} runId={props.params.runId} />;
  return <RunList {...props} />;
}

function RunList(props: PageProps) {
  const styles = useStyles();
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Paged<SyncRunRecord>>();
  const [error, setError] = useState<{ code: string; message: string }>();
  const targets = useTargets();

  const load = useCallback(() => {
    call('sync:runs', { offset, limit: pageSize }).then(
      (p) => {
        setPage(p);
        setError(undefined);
      },
      (e: ApiError) => setError({ code: e.code, message: e.message }),
    );
  }, [offset]);
  useEffect(() => {
    load();
    return on('sync:finished', load);
  }, [load]);

  return (
    <>
      <header className={styles.header}>
        <Title1 as="h1">History</Title1>
        <DemoDataLabel>
          Runs of the demo tenant. Your own history is kept apart and shows again when you leave the demo tenant.
        </DemoDataLabel>
        <Body1>Every sync and dry run, with each change it planned or applied. Open a run for its details and export.</Body1>
      </header>
      {error && <ErrorHelp title="The history could not be loaded" error={error} onRetry={load} />}
      {!page && !error && <Spinner label="Loading…" />}
      {page && (
        <Card className={styles.card}>
          {page.total === 0 ? (
            <Body1>No runs yet. Start one with Sync now on the dashboard, or a dry run in Plan preview.</Body1>
          ) : (
            <Table aria-label="Sync runs" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Started</TableHeaderCell>
                  <TableHeaderCell>Target</TableHeaderCell>
                  <TableHeaderCell>Kind</TableHeaderCell>
                  <TableHeaderCell>Status</TableHeaderCell>
                  <TableHeaderCell>Changes</TableHeaderCell>
                  <TableHeaderCell>Duration</TableHeaderCell>
                  <TableHeaderCell>Graph requests</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {page.items.map((run) => (
                  <TableRow key={run.id} data-testid="run-row">
                    <TableCell>
                      <Link onClick={() => props.navigate('history', { runId: run.id })}>{formatDateTime(run.startedAt)}</Link>
                    </TableCell>
                    <TableCell data-testid="run-target">{targetName(targets.list, run.targetId)}</TableCell>
                    <TableCell>
                      {run.dryRun ? 'Dry run' : 'Sync'} · {triggerLabels[run.trigger]} · {run.mode}
                    </TableCell>
                    <TableCell>
                      <Badge appearance="tint" color={statusColor(run.status)}>
                        {statusLabels[run.status]}
                      </Badge>
                      {run.error && <Caption1> {run.error.code}</Caption1>}
                    </TableCell>
                    <TableCell>
                      {run.dryRun || run.status === 'blocked'
                        ? `${formatCount(total(run.planned))} planned`
                        : `${formatCount(total(run.applied))} applied`}
                    </TableCell>
                    <TableCell>{formatDuration(run.durationMs)}</TableCell>
                    <TableCell data-testid="run-graph-requests">
                      {graphRequestsCell(run, (id) => targetName(targets.list, id), formatCount)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {page.total > pageSize && (
            <div className={styles.pager}>
              <Caption1>
                {formatCount(offset + 1)}–{formatCount(offset + page.items.length)} of {formatCount(page.total)}
              </Caption1>
              <Button
                size="small"
                icon={<ChevronLeft16Regular />}
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - pageSize))}
              >
                Newer
              </Button>
              <Button
                size="small"
                icon={<ChevronRight16Regular />}
                iconPosition="after"
                disabled={offset + page.items.length >= page.total}
                onClick={() => setOffset(offset + pageSize)}
              >
                Older
              </Button>
            </div>
          )}
        </Card>
      )}
    </>
  );
}
