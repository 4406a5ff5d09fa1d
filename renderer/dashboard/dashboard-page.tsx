import { Badge, Body1, Title1, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import type { ConnectionSummary } from '../../shared/contract/connection';
import type { ReminderStatus, ScheduleStatus } from '../../shared/contract/schedule';
import type { DirectorySummary } from '../../shared/contract/sync';
import type { SyncRunRecord } from '../../shared/sync';
import { call, on, type ApiError } from '../api/client';
import type { PageProps } from '../app/page-ids';
import { formatCount } from '../sync/format';
import { useSyncStatus } from '../sync/use-sync-status';
import { ConnectionCard } from './connection-card';
import { ExpiryCard } from './expiry-card';
import { RecentRuns } from './recent-runs';
import { ScheduleCard } from './schedule-card';
import { SyncCard } from './sync-card';

const useStyles = makeStyles({
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(3, minmax(0, 1fr))',
    gap: tokens.spacingHorizontalL,
    '@media (max-width: 1200px)': { gridTemplateColumns: 'repeat(2, minmax(0, 1fr))' },
    '@media (max-width: 860px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
});

/** Home, once set up: connection, secret expiry, next scheduled sync, Sync now with progress, recent runs. */
export function DashboardPage(props: PageProps) {
  const styles = useStyles();
  const { navigate } = props;
  const [connection, setConnection] = useState<ConnectionSummary>();
  const [reminders, setReminders] = useState<ReminderStatus>();
  const [schedule, setSchedule] = useState<ScheduleStatus>();
  const [scheduleError, setScheduleError] = useState<string>();
  const [runs, setRuns] = useState<readonly SyncRunRecord[]>();
  const [directory, setDirectory] = useState<DirectorySummary>();
  const [finishedCount, setFinishedCount] = useState(0);
  const onFinished = useCallback(() => setFinishedCount((n) => n + 1), []);
  const sync = useSyncStatus(onFinished);

  useEffect(() => {
    const failed = (e: ApiError) => e.message;
    call('connection:get', undefined).then(setConnection, () => undefined);
    call('reminders:get', undefined).then(setReminders, () => undefined);
    call('schedule:get', undefined).then(setSchedule, (e: ApiError) => setScheduleError(failed(e)));
    const offs = [
      on('connection:changed', setConnection),
      on('reminders:changed', setReminders),
      on('schedule:changed', setSchedule),
    ];
    return () => offs.forEach((off) => off());
  }, []);

  // Runs and directory totals change when a run ends (also one started by the scheduler or another window).
  useEffect(() => {
    call('sync:runs', { offset: 0, limit: 5 }).then(
      (page) => setRuns(page.items),
      () => setRuns([]),
    );
    call('directory:summary', undefined).then(setDirectory, () => undefined);
  }, [finishedCount]);

  const openRun = (runId?: string) => navigate('history', runId ? { runId } : {});

  return (
    <>
      <header className={styles.header}>
        <Title1 as="h1">Dashboard</Title1>
        {connection?.demo && (
          <Badge size="large" appearance="filled" color="warning" data-testid="demo-label">
            DEMO
          </Badge>
        )}
      </header>
      {directory && (
        <Body1>
          The directory holds {formatCount(directory.users)} users ({formatCount(directory.activeUsers)} active),{' '}
          {formatCount(directory.groups)} groups and {formatCount(directory.memberships)} memberships.
        </Body1>
      )}
      <div className={styles.grid}>
        <SyncCard
          sync={sync}
          canSync={connection?.complete !== false}
          onOpenRun={openRun}
          onFinishSetup={() => navigate('settings', { edit: 'connection' })}
        />
        <ConnectionCard connection={connection} />
        <ExpiryCard reminders={reminders} onRotate={() => navigate('rotation')} />
        <ScheduleCard
          schedule={schedule}
          error={scheduleError}
          onOpen={() => navigate('schedule')}
          canRun={connection?.complete !== false}
        />
        <RecentRuns runs={runs} onOpen={openRun} />
      </div>
    </>
  );
}
