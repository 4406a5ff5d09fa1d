import { Badge, Body1, Caption1, Link, makeStyles } from '@fluentui/react-components';
import type { ScheduleState, ScheduleStatus } from '../../shared/contract/schedule';
import { formatDateTime, formatRelative } from '../sync/format';
import { DashboardCard, useCardStyles } from './dashboard-card';

const stateBadges: Record<ScheduleState, { color: 'success' | 'informative' | 'warning' | 'danger' | 'subtle'; text: string }> = {
  off: { color: 'informative', text: 'Off' },
  paused: { color: 'warning', text: 'Paused' },
  waiting: { color: 'success', text: 'On' },
  running: { color: 'informative', text: 'Running' },
  retrying: { color: 'warning', text: 'Retrying' },
  failed: { color: 'danger', text: 'Last run failed' },
};

const useStyles = makeStyles({
  // Third of three small cards: in the two-column layout it takes the whole row instead of leaving a hole.
  span: { '@media (min-width: 861px) and (max-width: 1200px)': { gridColumn: '1 / -1' } },
});

/** When the next scheduled sync runs, and how the last scheduled one went. */
export function ScheduleCard(props: {
  schedule: ScheduleStatus | undefined;
  error?: string;
  onOpen?: () => void;
  /** False while no sync can run (the connection setup is not finished): the schedule must not promise a run. */
  canRun?: boolean;
}) {
  const styles = useCardStyles();
  const own = useStyles();
  const s = props.schedule;
  const stalled = s !== undefined && s.enabled && !s.paused && props.canRun === false;
  return (
    <DashboardCard
      title="Next scheduled sync"
      testId="schedule-card"
      className={own.span}
      actions={props.onOpen && <Link onClick={props.onOpen}>Change the schedule</Link>}
    >
      {!s ? (
        <Body1>{props.error ?? 'Loading…'}</Body1>
      ) : (
        <>
          <div className={styles.row}>
            {stalled ? (
              <Badge appearance="filled" color="warning">
                Cannot run yet
              </Badge>
            ) : (
              <Badge appearance={s.state === 'off' ? 'outline' : 'filled'} color={stateBadges[s.state].color}>
                {stateBadges[s.state].text}
              </Badge>
            )}
            {s.enabled && <Caption1>{s.description}</Caption1>}
          </div>
          {stalled ? (
            <Body1 data-testid="schedule-stalled">
              No scheduled sync can run until the connection setup is finished: finish it, then the schedule runs as set.
            </Body1>
          ) : s.nextRunAt ? (
            <>
              <span className={styles.big} data-testid="next-run">
                {formatRelative(s.nextRunAt)}
              </span>
              <Caption1>
                {formatDateTime(s.nextRunAt, s.effectiveTimeZone)} ({s.effectiveTimeZone})
              </Caption1>
            </>
          ) : (
            <Body1>
              {s.state === 'off'
                ? 'Scheduled sync is off: syncs run only with Sync now.'
                : s.paused
                  ? 'Paused: no scheduled sync runs until you turn it back on.'
                  : 'No run is planned.'}
            </Body1>
          )}
          {s.retry && (
            <Caption1>
              Retry {s.retry.attempt} of {s.retry.maxAttempts} {formatRelative(s.retry.at)}.
            </Caption1>
          )}
          {s.lastOutcome && (
            <Caption1>
              Last scheduled run {formatRelative(s.lastOutcome.finishedAt)}: {s.lastOutcome.status}.
            </Caption1>
          )}
          {s.problem && <Body1>{s.problem.message}</Body1>}
        </>
      )}
    </DashboardCard>
  );
}
