/**
 * The desktop app's life outside its window: the tray (Open, Sync now, Pause schedule, the next run, Quit), the
 * login item, power events, and opening a page when a notification or the tray asks for one. The app keeps
 * running in the tray when its window closes, so scheduled syncs and reminders go on.
 */
import { Notification, app, powerMonitor, type BrowserWindow } from 'electron';
import type { ConnectionSummary } from '../../shared/contract/connection';
import type { ReminderStatus, ScheduleStatus } from '../../shared/contract/schedule';
import { toErrorShape } from '../../shared/errors';
import type { AppCore } from '../services/app/app-core';
import type { EventHub } from '../services/app/events';
import type { Logger } from '../services/ports';
import { applyLoginItem, startedHidden } from './login-item';
import { createAppTray, type AppTray } from './tray';
import type { TrayItemId } from './tray-model';

export interface DesktopPresenceOptions {
  readonly core: AppCore;
  readonly events: EventHub;
  readonly logger: Logger;
  /** The main window, if one is open. */
  readonly window: () => BrowserWindow | undefined;
  /** Opens a new main window (none is open). */
  readonly openWindow: () => BrowserWindow;
}

export interface DesktopPresence {
  /** Started by the login item: show only the tray. */
  readonly startHidden: boolean;
  /** True while the tray icon exists: closing the window does not quit. */
  readonly inTray: boolean;
  /** Shows the window (opening it if needed), on `page` when given. */
  open(page?: string): void;
}

/** Installs the tray, power and login-item handling. Call once, after the core exists. */
export function installDesktopPresence(options: DesktopPresenceOptions): DesktopPresence {
  const { core, events, logger } = options;
  const { handlers } = core;
  let schedule: ScheduleStatus | null = null;
  let reminders: ReminderStatus | null = null;
  let syncing = false;
  // Until the connection is read, assume it can run (the common case); the first read corrects it.
  let canRun = true;
  let appliedLoginItem: boolean | undefined;
  let toldAboutTray = false;
  let tray: AppTray | undefined;

  const refresh = () => tray?.update({ schedule, reminders, syncing, canRun, now: new Date() });

  function open(page?: string): void {
    let window = options.window();
    const fresh = !window;
    if (!window) window = options.openWindow();
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    if (!page) return;
    const ask = () => events.emit('shell:navigate', { page });
    // A new window has to load and subscribe first.
    if (fresh) window.webContents.once('did-finish-load', () => setTimeout(ask, 500));
    else ask();
  }

  function tell(title: string, body: string): void {
    if (Notification.isSupported()) new Notification({ title, body }).show();
  }

  function onItem(id: TrayItemId): void {
    switch (id) {
      case 'open':
        return open();
      case 'sync-now':
        // Every target, Entra read once: the dashboard's Sync now.
        handlers['sync:runNow']({ full: false, target: 'all' }).catch((error: unknown) =>
          tell('The sync could not start', toErrorShape(error).message),
        );
        return;
      case 'toggle-pause': {
        const change = schedule?.paused ? handlers['schedule:resume'] : handlers['schedule:pause'];
        change(undefined).then(
          (status) => ((schedule = status), refresh()),
          (error: unknown) => logger.error('tray: pause/resume failed', { error: toErrorShape(error).message }),
        );
        return;
      }
      case 'schedule-problem':
        return open(schedule?.problem?.code === 'secret-expired' ? 'rotation' : 'history');
      case 'secret':
        return open('rotation');
      case 'next-run':
        return open();
      case 'quit':
        app.quit();
        return;
    }
  }

  function applyStartAtLogin(status: ScheduleStatus): void {
    if (status.startAtLogin === appliedLoginItem) return;
    appliedLoginItem = status.startAtLogin;
    applyLoginItem(status.startAtLogin, logger);
  }

  try {
    tray = createAppTray(onItem, () => open());
  } catch (error) {
    logger.error('tray: could not be created; closing the window will quit', { error: toErrorShape(error).message });
  }

  events.subscribe((event, payload) => {
    if (event === 'schedule:changed') {
      schedule = payload as ScheduleStatus;
      applyStartAtLogin(schedule);
    } else if (event === 'reminders:changed') reminders = payload as ReminderStatus;
    else if (event === 'connection:changed') canRun = (payload as ConnectionSummary).complete;
    else if (event === 'sync:progress') syncing = true;
    else if (event === 'sync:finished') syncing = false;
    else return;
    refresh();
  });

  void Promise.all([
    handlers['schedule:get'](undefined),
    handlers['reminders:get'](undefined),
    handlers['sync:status'](undefined),
    handlers['connection:get'](undefined),
  ]).then(
    ([s, r, status, connection]) => {
      schedule = s;
      reminders = r;
      canRun = connection.complete;
      syncing = status.state === 'running';
      applyStartAtLogin(s);
      refresh();
    },
    (error: unknown) => logger.error('tray: could not read the schedule', { error: toErrorShape(error).message }),
  );

  // The next-run label says "today"/"tomorrow": redraw it now and then.
  const clock = setInterval(refresh, 60_000);
  clock.unref();

  // Timers do not count the time the computer slept; the schedule and reminders look again at once.
  powerMonitor.on('resume', () => {
    logger.info('power: resumed from sleep');
    core.systemResumed();
    refresh();
  });

  app.on('window-all-closed', () => {
    if (!tray || toldAboutTray) return;
    toldAboutTray = true;
    tell(
      'Entra Sync Assistant is still running',
      'Scheduled syncs and secret reminders go on in the background. Quit from the tray icon.',
    );
  });
  app.on('before-quit', () => {
    clearInterval(clock);
    tray?.destroy();
    tray = undefined;
  });

  return {
    startHidden: startedHidden(),
    get inTray() {
      return tray !== undefined;
    },
    open,
  };
}
