import type { Handlers } from '../../../shared/ipc';
import type { AppContext, AppCorePorts } from './app-context';
import { createConnectionService } from '../connection/connection-service';
import { prepareDataDir } from './data-dir';
import { appHandlers } from './handlers/app-handlers';
import { connectionHandlers } from './handlers/connection-handlers';
import { syncHandlers } from './handlers/sync-handlers';
import { createSyncService } from '../sync/sync-service';
import { createScheduleServices } from '../schedule/schedule-services';
import { scheduleHandlers } from './handlers/schedule-handlers';

export type { AppCorePorts } from './app-context';

/** The core as a host sees it: the contract's handlers, and a way to stop background work. */
export interface AppCore {
  readonly handlers: Handlers;
  /** The computer woke from sleep: background work (schedule, reminders) looks at the clock again. */
  systemResumed(): void;
  close(): Promise<void>;
}

/**
 * Wires the services behind every request channel. Both hosts call this with their own ports; each
 * feature contributes its slice of handlers, and the type below fails to compile if a channel is missing.
 */
export function createAppCore(ports: AppCorePorts): AppCore {
  // Every host: the data folder owner-only, and what an earlier version left looser tightened (see data-dir.ts).
  const tightened = prepareDataDir(ports.dataDir);
  if (tightened.length > 0) ports.logger.info('data folder made readable only by you', { paths: tightened });
  const cleanups: (() => Promise<void> | void)[] = [];
  const ctx: AppContext = { ...ports, onClose: (cleanup) => void cleanups.push(cleanup) };

  // The connection to Entra: used by the wizard, the sync engine and the scheduler (openGraph). Proxy settings
  // (HTTPS_PROXY, NO_PROXY) are the process's environment, whichever host runs the core.
  const connection = createConnectionService({ ...ports, env: process.env });
  ctx.onClose(() => connection.close());

  // The sync: one run at a time for every host and the scheduler, on <dataDir>/sync.db and the saved connection.
  const sync = createSyncService({ ...ports, connection, hostKind: ports.host === 'electron' ? 'desktop' : ports.host });
  ctx.onClose(() => sync.close());

  // Scheduled syncs, secret-expiry reminders and rotation; created after the sync so they stop before it closes.
  const schedule = createScheduleServices(ctx, { connection, sync });

  const handlers: Handlers = {
    ...appHandlers(ctx),
    ...connectionHandlers(ctx, connection),
    ...syncHandlers(ctx, sync),
    ...scheduleHandlers(ctx, schedule),
  };

  return {
    handlers,
    systemResumed() {
      schedule.scheduler.wake();
      schedule.reminders.check();
    },
    async close() {
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch (error) {
          ports.logger.error('cleanup failed while closing', { error: error instanceof Error ? error.message : String(error) });
        }
      }
    },
  };
}
