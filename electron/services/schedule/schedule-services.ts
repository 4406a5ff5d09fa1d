/**
 * The schedule feature's long-lived services, created once per app core: the scheduler, the reminders and the
 * rotation support, wired to the connection and the sync and stopped when the core closes.
 */
import type { AppContext } from '../app/app-context';
import type { ConnectionService } from '../connection/connection-service';
import type { SyncService } from '../sync/sync-service';
import { createExpiryRefresh } from './expiry-refresh';
import { createReminderService, type ReminderService } from './reminders';
import { createRotation, type Rotation } from './rotation';
import { createScheduler, type Scheduler } from './scheduler';
import { scheduledSyncOf } from './sync-port';

export interface ScheduleServices {
  readonly scheduler: Scheduler;
  readonly reminders: ReminderService;
  readonly rotation: Rotation;
}

/** Creates and starts (once the connection is ready) the scheduler and reminders; registers their cleanup. */
export function createScheduleServices(
  ctx: AppContext,
  deps: { readonly connection: ConnectionService; readonly sync: SyncService },
): ScheduleServices {
  const { settings, clock, logger, notifier, events, vault } = ctx;
  const reminders = createReminderService({
    settings,
    clock,
    logger,
    notifier,
    onChange: (status) => events.emit('reminders:changed', status),
  });
  const scheduler = createScheduler({
    settings,
    clock,
    logger,
    notifier,
    sync: scheduledSyncOf(deps.sync),
    secretExpiry: () => {
      const expiry = reminders.expiry();
      return { expired: expiry.expiredFlag, expiresAt: expiry.expiresAt };
    },
    onChange: (status) => events.emit('schedule:changed', status),
  });
  const rotation = createRotation({ connection: deps.connection, vault, reminders, events, logger });

  // Every validation, manual date, rotation and demo start may change the expiry; every sync may reveal it.
  const offConnection = deps.connection.onChange(() => reminders.check());
  const refreshExpiry = createExpiryRefresh({ connection: deps.connection, settings, clock, logger });
  const offSync = deps.sync.onRunFinished((outcome) => {
    const { run } = outcome;
    scheduler.noteRunFinished({ trigger: run.trigger, dryRun: run.dryRun, status: run.status });
    reminders.check();
    // A sync that signed in can read the expiry too: the reminders follow a date changed since the last test.
    if (run.status === 'succeeded' || run.status === 'partial') {
      void refreshExpiry().then((stored) => stored && reminders.check());
    }
  });

  let stopped = false;
  // After the demo tenant (if in use) is back: its start-up rewrites the connection's values.
  void deps.connection.ready().then(
    () => {
      if (stopped) return;
      reminders.start();
      // A newer version's settings are read-only: the scheduler could not record its slots and would run a policy
      // this version only partly understands, so scheduled syncs wait until the app is updated.
      if (settings.readOnly) logger.warn('schedule: not started, the settings were written by a newer version');
      else scheduler.start();
    },
    (error: unknown) => logger.error('schedule: not started', { error: error instanceof Error ? error.message : String(error) }),
  );

  ctx.onClose(async () => {
    stopped = true;
    offConnection();
    offSync();
    scheduler.stop();
    reminders.stop();
    await scheduler.idle();
  });
  return { scheduler, reminders, rotation };
}
