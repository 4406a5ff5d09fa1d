import {
  Badge,
  Body1,
  Link,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from '@fluentui/react-components';
import type { SyncRunRecord } from '../../shared/sync';
import { formatCount, formatDuration, formatRelative, statusColor, statusLabels, total, triggerLabels } from '../sync/format';
import { DashboardCard } from './dashboard-card';

/** The last few runs, each opening its details in the history. */
export function RecentRuns(props: { runs: readonly SyncRunRecord[] | undefined; onOpen: (runId?: string) => void }) {
  return (
    <DashboardCard title="Recent runs" wide testId="recent-runs" actions={<Link onClick={() => props.onOpen()}>All runs</Link>}>
      {!props.runs ? (
        <Body1>Loading…</Body1>
      ) : props.runs.length === 0 ? (
        <Body1>No runs yet.</Body1>
      ) : (
        <Table size="small" aria-label="Recent runs">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>When</TableHeaderCell>
              <TableHeaderCell>Kind</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell>Changes</TableHeaderCell>
              <TableHeaderCell>Duration</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {props.runs.map((run) => (
              <TableRow key={run.id}>
                <TableCell>
                  <Link onClick={() => props.onOpen(run.id)}>{formatRelative(run.startedAt)}</Link>
                </TableCell>
                <TableCell>
                  {run.dryRun ? 'Dry run' : 'Sync'} · {triggerLabels[run.trigger]}
                </TableCell>
                <TableCell>
                  <Badge appearance="tint" color={statusColor(run.status)}>
                    {statusLabels[run.status]}
                  </Badge>
                </TableCell>
                <TableCell>
                  {run.dryRun || run.status === 'blocked'
                    ? `${formatCount(total(run.planned))} planned`
                    : `${formatCount(total(run.applied))} applied`}
                </TableCell>
                <TableCell>{formatDuration(run.durationMs)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </DashboardCard>
  );
}
