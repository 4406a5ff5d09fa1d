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
import { useState } from 'react';
import type { ScheduleState, ScheduleStatus } from '../../shared/contract/schedule';
import { call } from '../api/client';
import { useLive } from '../api/use-live';
import type { PageProps } from '../app/page-ids';
import { useShell } from '../settings/shell-context';
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

/** What the one on/off control says next to the state it shows. */
function stateSentence(s: ScheduleStatus): string {
  if (!s.enabled) return 'Off: syncs run only when you choose Sync now. Turn it on to sync at the times below.';
  if (s.paused) return 'Paused: no scheduled sync runs until you turn it back on. Sync now still works.';
  return 'On: syncs run at the times below.';
}

/**
 * Where the schedule stands: state, next run, last outcome, the one on/off control and start at login.
 *
 * The switch shows exactly what the badge shows (on, or not running): turning it off pauses the schedule, as the
 * tray's "Pause schedule" does, and keeps the pattern; turning it on resumes it, or switches on a schedule that was
 * off with the saved pattern.
 */
function ScheduleStatusCard(props: { status: ScheduleStatus; onStatus: (s: ScheduleStatus) => void; onRotate: () => void }) {
  const styles = useStyles();
  const s = props.status;
  const desktop = useShell().info.host === 'electron';
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  // The switches move at once; the saved value follows through `schedule:changed`.
  const [running, setRunning] = useState<boolean>();
  const [startAtLogin, setStartAtLogin] = useState<boolean>();
  const run = async (action: () => Promise<ScheduleStatus>) => {
    setBusy(true);
    setFailure(undefined);
    try {
      props.onStatus(await action());
    } catch (e) {
      setFailure((e as Error).message);
    } finally {
      setBusy(false);
      setRunning(undefined);
      setStartAtLogin(undefined);
    }
  };
  const isOn = s.enabled && !s.paused;
  const turn = (next: boolean) => {
    setRunning(next);
    if (!next) return run(() => call('schedule:pause', undefined));
    if (s.paused && s.enabled) return run(() => call('schedule:resume', undefined));
    return run(async () => {
      // Off and paused at once (paused, then switched off in the wizard): switching on means running.
      if (s.paused) await call('schedule:resume', undefined);
      return call('schedule:save', { enabled: true, cron: s.cron, timeZone: s.timeZone });
    });
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
      <Switch
        checked={running ?? isOn}
        disabled={busy}
        label={{ children: 'Scheduled synchronisation', id: 'schedule-switch-label' }}
        aria-describedby="schedule-switch-state"
        onChange={(_, d) => void turn(d.checked)}
      />
      <Body1 id="schedule-switch-state" data-testid="schedule-state-sentence">
        {stateSentence(s)}
      </Body1>
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
      {failure && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The schedule was not changed</MessageBarTitle>
            {failure}
          </MessageBarBody>
        </MessageBar>
      )}
      <Switch
        checked={desktop ? (startAtLogin ?? s.startAtLogin) : false}
        disabled={!desktop || busy}
        label="Start with the computer, in the tray"
        aria-describedby="start-at-login-hint"
        onChange={(_, d) => {
          setStartAtLogin(d.checked);
          void run(() => call('schedule:setStartAtLogin', { enabled: d.checked }));
        }}
      />
      <Caption1 id="start-at-login-hint">
        {desktop
          ? 'The app then starts hidden in the tray when you sign in to this computer, so scheduled syncs run without opening it.'
          : 'Only the desktop app can start with the computer. This browser preview runs only while its terminal command does.'}
      </Caption1>
    </Card>
  );
}

/** The schedule after setup: the same form as the wizard's step, its status, pause/resume and start at login. */
export function SchedulePage(props: PageProps) {
  const styles = useStyles();
  const draft = useScheduleDraft(true, false, true);
  // Kept current by schedule:changed; an answer older than the latest change is dropped (see useLive).
  const { value: status, set: setStatus } = useLive('schedule:changed', () => call('schedule:get', undefined));
  const [saved, setSaved] = useState(false);
  const save = async () => {
    setSaved(false);
    // The pattern only: on, off or paused stay as the switch above has them.
    if (await draft.save(status?.enabled)) setSaved(true);
  };
  return (
    <div className={styles.page}>
      <Title1 as="h1">Schedule</Title1>
      {status && <ScheduleStatusCard status={status} onStatus={setStatus} onRotate={() => props.navigate('rotation')} />}
      <StepSchedule draft={draft} onOffSwitch={false} />
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
