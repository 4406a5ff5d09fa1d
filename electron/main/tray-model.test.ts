import { describe, expect, it } from 'vitest';
import type { ReminderStatus, ScheduleStatus } from '../../shared/contract/schedule';
import { autostartEntry } from './autostart-entry';
import { paintBadge } from './tray-badge';
import { formatRunTime, trayModel } from './tray-model';

const now = new Date('2026-05-04T10:00:00Z'); // a Monday

const schedule = (over: Partial<ScheduleStatus> = {}): ScheduleStatus => ({
  enabled: true,
  cron: '0 2 * * *',
  timeZone: '',
  effectiveTimeZone: 'Europe/Berlin',
  systemTimeZone: 'Europe/Berlin',
  paused: false,
  startAtLogin: false,
  description: 'Every day at 02:00',
  state: 'waiting',
  nextRunAt: '2026-05-05T00:00:00.000Z',
  retry: null,
  lastOutcome: null,
  problem: null,
  ...over,
});

const reminders = (over: Partial<ReminderStatus> = {}): ReminderStatus => ({
  configured: true,
  expiresAt: '2027-01-01T00:00:00.000Z',
  daysLeft: 200,
  source: 'graph',
  level: 'ok',
  threshold: null,
  title: '',
  message: '',
  snoozed: false,
  showBanner: false,
  oldSecret: null,
  checkedAt: null,
  ...over,
});

const labels = (m: ReturnType<typeof trayModel>) => m.items.map((i) => (i === null ? '—' : i.label));

describe('tray model', () => {
  it('shows Open, Sync now, Pause, the next run and Quit, with no badge when all is well', () => {
    const model = trayModel({ schedule: schedule(), reminders: reminders(), syncing: false, canRun: true, now });
    expect(labels(model)).toEqual([
      'Open Entra Sync Assistant',
      '—',
      'Sync now',
      'Pause schedule',
      'Next sync: tomorrow 02:00',
      '—',
      'Quit',
    ]);
    expect(model.badge).toBe('none');
    expect(model.tooltip).toBe('Entra Sync Assistant · next sync tomorrow 02:00');
  });

  it('promises no next run while the connection setup is unfinished, as the dashboard says "Cannot run yet"', () => {
    const model = trayModel({ schedule: schedule(), reminders: null, syncing: false, canRun: false, now });
    expect(labels(model)).toContain('Schedule cannot run yet: finish the connection setup');
    expect(labels(model).some((l) => l.startsWith('Next sync'))).toBe(false);
    expect(model.tooltip).toBe('Entra Sync Assistant · Schedule cannot run yet: finish the connection setup');
    // Paused or off, the schedule promises nothing anyway and says so as before.
    const paused = trayModel({
      schedule: schedule({ paused: true, state: 'paused', nextRunAt: null }),
      reminders: null,
      syncing: false,
      canRun: false,
      now,
    });
    expect(labels(paused)).toContain('Schedule paused');
  });

  it('offers Resume when paused, and disables Sync now while a sync runs', () => {
    const model = trayModel({
      schedule: schedule({ paused: true, state: 'paused', nextRunAt: null }),
      reminders: null,
      syncing: true,
      canRun: true,
      now,
    });
    expect(labels(model)).toContain('Resume schedule');
    expect(labels(model)).toContain('Schedule paused');
    expect(model.items.find((i) => i?.id === 'sync-now')).toMatchObject({ label: 'Syncing…', enabled: false });
    expect(model.tooltip).toBe('Entra Sync Assistant · syncing');
  });

  it('warns about the secret in the menu, tooltip and icon', () => {
    const soon = trayModel({
      schedule: schedule(),
      reminders: reminders({ level: 'urgent', daysLeft: 7, threshold: 7 }),
      syncing: false,
      canRun: true,
      now,
    });
    expect(labels(soon)).toContain('Client secret expires in 7 days: replace it…');
    expect(soon.badge).toBe('warning');
    expect(soon.tooltip).toBe('Entra Sync Assistant · next sync tomorrow 02:00 · secret expires in 7 days');
    const expired = trayModel({
      schedule: schedule(),
      reminders: reminders({ level: 'expired', daysLeft: -2 }),
      syncing: false,
      canRun: true,
      now,
    });
    expect(expired.badge).toBe('error');
    expect(labels(expired)).toContain('Client secret expired: replace it…');
  });

  it('says a scheduled sync failed, and why when the secret expired', () => {
    const failed = schedule({
      state: 'failed',
      problem: { code: 'secret-expired', message: 'The scheduled sync failed because the client secret expired.' },
    });
    const model = trayModel({ schedule: failed, reminders: reminders(), syncing: false, canRun: true, now });
    expect(labels(model)).toContain('Last scheduled sync failed: secret expired');
    expect(model.badge).toBe('error');
    expect(model.tooltip).toContain('last scheduled sync failed');
    const retrying = trayModel({
      schedule: schedule({ state: 'retrying', problem: { code: 'graph-read-failed', message: '' } }),
      reminders: reminders(),
      syncing: false,
      canRun: true,
      now,
    });
    expect(labels(retrying)).toContain('Last scheduled sync failed: open the app to see why, retrying');
    expect(labels(retrying).join(' ')).not.toContain('graph-read-failed');
    expect(retrying.badge).toBe('warning');
  });

  it('keeps the tooltip within what Windows shows', () => {
    const model = trayModel({
      schedule: schedule({
        state: 'failed',
        effectiveTimeZone: 'America/Argentina/ComodRivadavia',
        problem: { code: 'x', message: '' },
      }),
      reminders: reminders({ level: 'unknown', daysLeft: null, expiresAt: null }),
      syncing: false,
      canRun: true,
      now,
    });
    expect(model.tooltip.length).toBeLessThanOrEqual(127);
  });

  it('formats run times relative to today, in the schedule’s zone, naming a foreign zone', () => {
    expect(formatRunTime('2026-05-04T18:30:00Z', now, 'Europe/Berlin', 'Europe/Berlin')).toBe('today 20:30');
    expect(formatRunTime('2026-05-07T00:00:00Z', now, 'Europe/Berlin', 'Europe/Berlin')).toBe('Thu 02:00');
    expect(formatRunTime('2026-06-01T00:00:00Z', now, 'Europe/Berlin', 'Europe/Berlin')).toBe('1 Jun 02:00');
    expect(formatRunTime('2026-05-05T06:00:00Z', now, 'America/New_York', 'Europe/Berlin')).toBe(
      'tomorrow 02:00 (America/New_York)',
    );
  });
});

describe('tray badge', () => {
  it('paints an opaque coloured dot in the bottom-right corner and leaves the rest alone', () => {
    const size = 32;
    const transparent = new Uint8Array(size * size * 4);
    const painted = paintBadge(transparent, size, 'error');
    const px = (x: number, y: number) => Array.from(painted.slice((y * size + x) * 4, (y * size + x) * 4 + 4));
    expect(px(24, 24)).toEqual([0x38, 0x34, 0xd1, 255]); // BGRA
    expect(px(2, 2)).toEqual([0, 0, 0, 0]);
    expect(paintBadge(transparent, size, 'none')).toEqual(transparent);
    expect(transparent.every((v) => v === 0)).toBe(true);
  });
});

describe('autostart entry', () => {
  it('starts the app hidden, with the executable quoted', () => {
    const entry = autostartEntry('/opt/Entra Sync "Assistant"/app');
    expect(entry).toContain('Exec="/opt/Entra Sync \\"Assistant\\"/app" --hidden');
    expect(entry.startsWith('[Desktop Entry]\nType=Application\n')).toBe(true);
  });
});
