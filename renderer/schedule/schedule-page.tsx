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
  Switch,
  Title1,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Pause20Regular, Play20Regular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import type { ScheduleState, ScheduleStatus } from '../../shared/contract/schedule';
import { call, on } from '../api/client';
import type { PageProps } from '../app/pages';
import { formatDateTime, formatRelative } from '../sync/format';
import { StepSchedule, useScheduleDraft } from '../wizard/step-schedule';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '1000px' },
  card: { padding: tokens.spacingVerticalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
});

const stateText: Record<ScheduleState, { color: 'success' | 'informative' | 'warning' | 'danger' | 'subtle'; text: string }> = {
  off: { color: 'subtle', text: 'Off' },
  paused: { color: 'warning', text: 'Paused' },
  waiting: { color: 'success', text: 'On' },
  running: { color: 'informative', text: 'Running' },
  retrying: { color: 'warning', text: 'Retrying' },
  failed: { color: 'danger', text: 'Last run failed' },
};

/** A time in the zone the schedule runs in (the browser's own zone may differ). */
function inZone(iso: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
  } catch {
    return formatDateTime(iso);
  }
}

/** Where the schedule stands: state, next run, last outcome, pause/resume and start at login. */
function ScheduleStatusCard(props: { status: ScheduleStatus; onStatus: (s: ScheduleStatus) => void; onRotate: () => void }) {
  const styles = useStyles();
  const s = props.status;
  const [busy, setBusy] = useState(false);
  // The switch moves at once; the saved value follows through `schedule:changed`.
  const [startAtLogin, setStartAtLogin] = useState<boolean>();
  const run = async (action: () => Promise<ScheduleStatus>) => {
    setBusy(true);
    try {
      props.onStatus(await action());
    } finally {
      setBusy(false);
      setStartAtLogin(undefined);
    }
  };
  const last = s.lastOutcome;
  return (
    <Card className={styles.card} aria-labelledby="schedule-status-heading" data-testid="schedule-status">
      <div className={styles.row}>
        <Subtitle2 as="h2" id="schedule-status-heading">
          Now
        </Subtitle2>
        <Badge appearance="filled" color={stateText[s.state].color}>
          {stateText[s.state].text}
        </Badge>
        {s.enabled && <Caption1>{s.description}</Caption1>}
      </div>
      {s.nextRunAt && (
        <Body1>
          Next sync {formatRelative(s.nextRunAt)}: {inZone(s.nextRunAt, s.effectiveTimeZone)} ({s.effectiveTimeZone})
        </Body1>
      )}
      {last && (
        <Caption1>
          Last scheduled sync: {last.status} {formatRelative(last.finishedAt)}
          {last.attempts > 1 ? ` after ${last.attempts} attempts` : ''}.
        </Caption1>
      )}
      {s.problem && (
        <MessageBar intent={s.state === 'retrying' ? 'warning' : 'error'} layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{s.state === 'retrying' ? 'Retrying' : 'The scheduled sync failed'}</MessageBarTitle>
            {s.problem.message}
          </MessageBarBody>
          {s.problem.code === 'secret-expired' && (
            <Button onClick={props.onRotate} style={{ alignSelf: 'center' }}>
              Replace the secret
            </Button>
          )}
        </MessageBar>
      )}
      <div className={styles.row}>
        {s.enabled &&
          (s.paused ? (
            <Button icon={<Play20Regular />} disabled={busy} onClick={() => void run(() => call('schedule:resume', undefined))}>
              Resume the schedule
            </Button>
          ) : (
            <Button icon={<Pause20Regular />} disabled={busy} onClick={() => void run(() => call('schedule:pause', undefined))}>
              Pause the schedule
            </Button>
          ))}
        <Switch
          checked={startAtLogin ?? s.startAtLogin}
          label="Start with the computer, in the tray (desktop app)"
          onChange={(_, d) => {
            setStartAtLogin(d.checked);
            void run(() => call('schedule:setStartAtLogin', { enabled: d.checked }));
          }}
        />
      </div>
    </Card>
  );
}

/** The schedule after setup: the same form as the wizard's step, its status, pause/resume and start at login. */
export function SchedulePage(props: PageProps) {
  const styles = useStyles();
  const draft = useScheduleDraft(true, false);
  const [status, setStatus] = useState<ScheduleStatus>();
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    call('schedule:get', undefined).then(setStatus, () => undefined);
    return on('schedule:changed', setStatus);
  }, []);
  const save = async () => {
    setSaved(false);
    if (await draft.save()) setSaved(true);
  };
  return (
    <div className={styles.page}>
      <Title1 as="h1">Schedule</Title1>
      {status && <ScheduleStatusCard status={status} onStatus={setStatus} onRotate={() => props.navigate('rotation')} />}
      <StepSchedule draft={draft} />
      {draft.loaded && (
        <div className={styles.row}>
          <Button appearance="primary" disabled={!draft.valid || draft.saving} onClick={() => void save()}>
            {draft.saving ? 'Saving…' : 'Save the schedule'}
          </Button>
          {!draft.valid && <Caption1>{draft.problem}</Caption1>}
          {saved && <Caption1 role="status">Saved.</Caption1>}
        </div>
      )}
    </div>
  );
}
