import { Badge, Body1, Title1, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useState } from 'react';
import type { SyncRunRecord } from '../../shared/sync';
import { call } from '../api/client';
import { useLatestRead, useLive } from '../api/use-live';
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
  const [finishedCount, setFinishedCount] = useState(0);
  const onFinished = useCallback(() => setFinishedCount((n) => n + 1), []);
  const sync = useSyncStatus(onFinished);

  // Each kept current by its event, an answer older than the latest event dropped (see useLive).
  const connection = useLive('connection:changed', () => call('connection:get', undefined)).value;
  const reminders = useLive('reminders:changed', () => call('reminders:get', undefined)).value;
  const schedule = useLive('schedule:changed', () => call('schedule:get', undefined));
  // Runs and directory totals change when a run ends (also one started by the scheduler or another window).
  const runs = useLatestRead(finishedCount, () =>
    call('sync:runs', { offset: 0, limit: 5 }).then(
      (page) => page.items,
      (): readonly SyncRunRecord[] => [],
    ),
  ).value;
  const directory = useLatestRead(finishedCount, () => call('directory:summary', undefined)).value;

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
          schedule={schedule.value}
          error={schedule.error?.message}
          onOpen={() => navigate('schedule')}
          canRun={connection?.complete !== false}
        />
        <RecentRuns runs={runs} onOpen={openRun} />
      </div>
    </>
  );
}
