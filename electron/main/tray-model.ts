/**
 * What the tray shows, as plain data: menu items, tooltip and icon badge, from the schedule, the reminders and
 * whether a sync runs. Pure (no Electron), so it is tested in Node; `tray.ts` turns it into a Tray and a Menu.
 */
import type { ReminderStatus, ScheduleStatus } from '../../shared/contract/schedule';

export type TrayBadge = 'none' | 'warning' | 'error';

export type TrayItemId = 'open' | 'sync-now' | 'toggle-pause' | 'next-run' | 'schedule-problem' | 'secret' | 'quit';

export interface TrayItem {
  readonly id: TrayItemId;
  readonly label: string;
  readonly enabled: boolean;
}

export interface TrayModel {
  /** Menu items in order; `null` is a separator. */
  readonly items: readonly (TrayItem | null)[];
  readonly tooltip: string;
  readonly badge: TrayBadge;
}

export interface TrayInput {
  readonly schedule: ScheduleStatus | null;
  readonly reminders: ReminderStatus | null;
  readonly syncing: boolean;
  /**
   * False while no sync can run (the connection setup is not finished: `ConnectionSummary.complete`): the schedule
   * must not promise a run — the dashboard's schedule card says "Cannot run yet" from the same state.
   */
  readonly canRun: boolean;
  readonly now: Date;
}

/** "Tue 02:00", or "today 02:00" / "tomorrow 02:00", in `timeZone`; the zone is named when it is not this computer's. */
export function formatRunTime(iso: string, now: Date, timeZone: string, systemTimeZone: string): string {
  const at = new Date(iso);
  const dayKey = (d: Date) =>
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  const tomorrow = new Date(now.getTime() + 86_400_000);
  let day: string;
  if (dayKey(at) === dayKey(now)) day = 'today';
  else if (dayKey(at) === dayKey(tomorrow)) day = 'tomorrow';
  else if (at.getTime() - now.getTime() < 6 * 86_400_000)
    day = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short' }).format(at);
  else day = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short' }).format(at);
  return timeZone === systemTimeZone ? `${day} ${time}` : `${day} ${time} (${timeZone})`;
}

function scheduleLine(s: ScheduleStatus | null, now: Date, canRun: boolean): string {
  if (!s) return 'Schedule: loading…';
  // As the dashboard's schedule card: an enabled, unpaused schedule cannot run before the connection is set up.
  if (!canRun && s.enabled && !s.paused) return 'Schedule cannot run yet: finish the connection setup';
  switch (s.state) {
    case 'off':
      return 'No schedule: syncs run with Sync now';
    case 'paused':
      return 'Schedule paused';
    case 'running':
      return 'Scheduled sync running…';
    case 'retrying':
    case 'failed':
    case 'waiting':
      return s.nextRunAt
        ? `Next sync: ${formatRunTime(s.nextRunAt, now, s.effectiveTimeZone, s.systemTimeZone)}`
        : 'No next sync: the pattern does not run again';
  }
}

function secretLine(r: ReminderStatus | null): string | null {
  if (!r || !r.configured) return null;
  switch (r.level) {
    case 'expired':
      return 'Client secret expired: replace it…';
    case 'urgent':
    case 'soon':
      return r.daysLeft === 0
        ? 'Client secret expires today: replace it…'
        : r.daysLeft === 1
          ? 'Client secret expires tomorrow: replace it…'
          : `Client secret expires in ${r.daysLeft ?? '?'} days: replace it…`;
    case 'unknown':
      return 'Client secret expiry unknown…';
    case 'ok':
      return null;
  }
}

/** Builds the tray's menu, tooltip and badge. */
export function trayModel(input: TrayInput): TrayModel {
  const { schedule, reminders, syncing, canRun, now } = input;
  const scheduleProblem = schedule && (schedule.state === 'failed' || schedule.state === 'retrying') ? schedule.problem : null;
  const secret = secretLine(reminders);
  const canPause = schedule !== null && schedule.enabled;
  const items: (TrayItem | null)[] = [
    { id: 'open', label: 'Open Entra Sync Assistant', enabled: true },
    null,
    { id: 'sync-now', label: syncing ? 'Syncing…' : 'Sync now', enabled: !syncing },
    { id: 'toggle-pause', label: schedule?.paused ? 'Resume schedule' : 'Pause schedule', enabled: canPause },
    { id: 'next-run', label: scheduleLine(schedule, now, canRun), enabled: false },
  ];
  if (scheduleProblem) {
    const label =
      scheduleProblem.code === 'secret-expired'
        ? 'Last scheduled sync failed: secret expired'
        : // The code is for diagnostics; the tray only needs to say there is something to look at.
          'Last scheduled sync failed: open the app to see why';
    items.push({ id: 'schedule-problem', label: schedule?.state === 'retrying' ? `${label}, retrying` : label, enabled: true });
  }
  if (secret) items.push(null, { id: 'secret', label: secret, enabled: true });
  items.push(null, { id: 'quit', label: 'Quit', enabled: true });

  const secretBad = reminders?.configured === true && reminders.level === 'expired';
  const secretSoon = reminders?.configured === true && (reminders.level === 'urgent' || reminders.level === 'soon');
  const badge: TrayBadge =
    secretBad || schedule?.state === 'failed' ? 'error' : secretSoon || schedule?.state === 'retrying' ? 'warning' : 'none';

  const parts = ['Entra Sync Assistant'];
  if (syncing) parts.push('syncing');
  else if (schedule) parts.push(scheduleLine(schedule, now, canRun).replace(/^Next sync: /, 'next sync '));
  if (scheduleProblem) parts.push('last scheduled sync failed');
  if (secret) parts.push(secret.replace(/: replace it…$|…$/, '').replace(/^Client secret/, 'secret'));
  // Windows cuts tray tooltips at 127 characters.
  const tooltip = parts.join(' · ').slice(0, 127);
  return { items, tooltip, badge };
}
