import Conf from 'conf';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { HostKind } from '../../shared/ipc';
import { emulatedDemoTenant } from '../emulator';
import { emulatedDemoTargets } from '../emulator/demo-targets';
import { createAppCore, type AppCore } from '../services/app/app-core';
import { ensurePrivateDir, ownerOnlyFileMode } from '../services/app/data-dir';
import { EventHub } from '../services/app/events';
import { createLineLogger } from '../services/logging/line-logger';
import { systemClock, type Clock, type Logger } from '../services/ports';
import { FileVault } from '../services/settings/file-vault';
import type { ExportDelivery } from '../services/sync/export';
import { createSettingsStore } from '../services/settings/settings-store';
import { appVersion } from './version';

export interface NodeCore {
  readonly core: AppCore;
  readonly events: EventHub;
  readonly logger: Logger;
  close(): Promise<void>;
}

/**
 * Builds the app core for plain Node (browser host, terminal): `conf` for settings, a file vault,
 * notifications as contract events (the page shows them), logs to `<dataDir>/logs/main.log`.
 */
export function createNodeCore(options: {
  dataDir: string;
  host: HostKind;
  clock?: Clock;
  deliverExport?: ExportDelivery;
}): NodeCore {
  const { dataDir } = options;
  const clock = options.clock ?? systemClock;
  // Owner-only before the log is created in it; the core tightens the rest at start (see data-dir.ts).
  ensurePrivateDir(join(dataDir, 'logs'));
  const logPath = join(dataDir, 'logs', 'main.log');
  const logStream = createWriteStream(logPath, { flags: 'a', mode: ownerOnlyFileMode });
  const logger = createLineLogger(
    (line) => logStream.write(line),
    () => clock.now(),
  );
  const events = new EventHub();
  const settings = createSettingsStore({
    open: () =>
      new Conf<Record<string, unknown>>({
        cwd: dataDir,
        configName: 'settings',
        projectName: 'entra-sync-assistant',
        configFileMode: ownerOnlyFileMode,
      }),
    filePath: join(dataDir, 'settings.json'),
    clock,
    logger,
  });
  const core = createAppCore({
    host: options.host,
    version: appVersion,
    platform: process.platform,
    dataDir,
    settings,
    vault: new FileVault(join(dataDir, 'secrets.json'), undefined, { clock, logger }),
    notifier: { notify: (n) => events.emit('app:notification', n) },
    clock,
    logger,
    events,
    demoTenant: emulatedDemoTenant(),
    demoTargets: emulatedDemoTargets(),
    ...(options.deliverExport ? { deliverExport: options.deliverExport } : {}),
  });
  return {
    core,
    events,
    logger,
    async close() {
      await core.close();
      await new Promise<void>((resolve) => logStream.end(() => resolve()));
    },
  };
}
