import type { Handlers } from '../../../shared/ipc';
import type { AppContext, AppCorePorts } from './app-context';
import { createConnectionService } from '../connection/connection-service';
import { prepareDataDir } from './data-dir';
import { appHandlers } from './handlers/app-handlers';
import { connectionHandlers } from './handlers/connection-handlers';
import { syncHandlers } from './handlers/sync-handlers';
import { createConnectionSync } from '../sync/connection-sync';
import { AppError } from '../../../shared/errors';
import { createScheduleServices } from '../schedule/schedule-services';
import { scheduleHandlers } from './handlers/schedule-handlers';
import { targetsHandlers } from './handlers/targets-handlers';
import { createTargetAdmin } from '../targets/target-admin';
import { openTargetVault } from '../targets/target-registry';
import { createNetworkService } from '../network/network-service';
import { networkHandlers } from './handlers/network-handlers';
import { setupForMeHandlers } from './handlers/setup-for-me-handlers';

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

  // The connection to Entra: used by the wizard, the sync engine and the scheduler (openGraph). Its proxy, extra CA
  // and custom endpoints are Settings → Network, read for every new request ("system": the process's HTTPS_PROXY /
  // NO_PROXY); its fixes speak of those settings, as both hosts of the core are the app (the terminal has its own).
  const network = createNetworkService({ ...ports, env: process.env });
  const connection = createConnectionService({
    ...ports,
    env: process.env,
    network: () => ports.settings.get().network,
    fixHost: 'app',
  });
  ctx.onClose(() => connection.close());

  // The sync: one run at a time for every host and the scheduler, on the saved connection — the admin's own over
  // <dataDir>/sync.db, the demo tenant over <dataDir>/demo/sync.db (connection-sync.ts), never the other's data.
  // Targets other than the embedded directory (Settings → Targets) are opened for a run by the target admin below,
  // which closes (stopping the demo Jira) after the sync has stopped: cleanups run in reverse order.
  ctx.onClose(() => targets.close());
  const sync = createConnectionSync({
    ...ports,
    connection,
    isDemo: () => connection.get().demo,
    hostKind: ports.host === 'electron' ? 'desktop' : ports.host,
    openTarget: (id, use) => targets.engineTarget(id, use),
  });
  ctx.onClose(() => sync.close());

  // Sync targets: settings, tokens in the vault, connection tests, and the demo Jira beside the demo tenant.
  const targets = createTargetAdmin({
    ...ports,
    // Not the app's own vault: the desktop app encrypts that with safeStorage, which the terminal cannot read.
    vault: openTargetVault(ports.dataDir, ports.clock, ports.logger),
    isDemoTenant: () => ports.settings.get().connection.demo,
    lastRunOf: (id) => sync.lastRun(id),
    forgetLinks: (id) => sync.forgetTarget(id),
    env: process.env,
  });
  void targets.restoreDemos().catch((error: unknown) =>
    ports.logger.warn('targets: the demo products could not be started again', {
      error: error instanceof Error ? error.message : String(error),
    }),
  );

  // Scheduled syncs, secret-expiry reminders and rotation; created after the sync so they stop before it closes.
  const schedule = createScheduleServices(ctx, { connection, sync });

  const handlers: Handlers = {
    ...appHandlers(ctx),
    ...connectionHandlers(ctx, connection),
    // Leaving the demo tenant removes its directory and history (the leave dialog says so); the admin's own come back.
    'connection:stopDemo': async () => {
      if (connection.get().demo && sync.status().state === 'running') {
        throw new AppError(
          'already-running',
          'A sync of the demo tenant is running. Wait for it to finish or cancel it, then leave.',
        );
      }
      const back = await connection.stopDemo();
      await sync.discardDemo();
      await targets.leaveDemo();
      return back;
    },
    ...syncHandlers(ctx, sync),
    ...scheduleHandlers(ctx, schedule),
    ...targetsHandlers(ctx, targets),
    ...networkHandlers(network),
    // "Set it up for me" / "Rotate the secret for me": the admin's sign-in held only for the flow.
    ...setupForMeHandlers(ctx, connection),
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
