import Conf from 'conf';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emulatedDemoTenant, type EmulatedDemoTenant } from '../../emulator';
import { emulatedDemoTargets, type EmulatedDemoTargets } from '../../emulator/demo-targets';
import { silentLogger, systemClock, type Clock } from '../ports';
import { FileVault } from '../settings/file-vault';
import { createSettingsStore } from '../settings/settings-store';
import type { SyncOutcome } from '../../../shared/contract/sync';
import { createAppCore, type AppCore } from './app-core';
import { dispatch } from './dispatcher';
import { EventHub } from './events';

/**
 * A real app core over a temporary data folder, for host and contract tests. `seed` writes files into the folder
 * before the core opens it (a settings file from another version, a damaged vault).
 */
export function createTestCore(options: { seed?: (dataDir: string) => void; clock?: Clock } = {}): {
  core: AppCore;
  events: EventHub;
  dataDir: string;
  /** The demo tenant and demo products the core starts, for tests that look at them. */
  demoTenant: EmulatedDemoTenant;
  demoTargets: EmulatedDemoTargets;
  /** A contract request through the dispatcher, as a host sends it: the value, or the error (code, message) thrown. */
  call<T>(channel: string, args?: unknown): Promise<T>;
  /** The outcomes of the next `count` runs to finish (ask before starting them). */
  finished(count: number): Promise<SyncOutcome[]>;
  dispose(): Promise<void>;
} {
  const dataDir = mkdtempSync(join(tmpdir(), 'esa-core-'));
  options.seed?.(dataDir);
  const events = new EventHub();
  const settings = createSettingsStore({
    open: () =>
      new Conf<Record<string, unknown>>({ cwd: dataDir, configName: 'settings', projectName: 'test', configFileMode: 0o600 }),
    filePath: join(dataDir, 'settings.json'),
    clock: options.clock ?? systemClock,
    logger: silentLogger,
  });
  const demoTenant = emulatedDemoTenant();
  const demoTargets = emulatedDemoTargets();
  const core = createAppCore({
    host: 'browser',
    version: '0.0.0-test',
    platform: process.platform,
    dataDir,
    settings,
    vault: new FileVault(join(dataDir, 'secrets.json')),
    notifier: { notify: (n) => events.emit('app:notification', n) },
    clock: options.clock ?? systemClock,
    logger: silentLogger,
    events,
    demoTenant,
    demoTargets,
  });
  return {
    core,
    events,
    dataDir,
    demoTenant,
    demoTargets,
    async call<T>(channel: string, args?: unknown): Promise<T> {
      const envelope = await dispatch(core.handlers, channel, args, silentLogger);
      if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), envelope.error);
      return envelope.value as T;
    },
    finished: (count) =>
      new Promise<SyncOutcome[]>((resolve) => {
        const got: SyncOutcome[] = [];
        const off = events.subscribe((event, payload) => {
          if (event !== 'sync:finished') return;
          got.push(payload as SyncOutcome);
          if (got.length === count) {
            off();
            resolve(got);
          }
        });
      }),
    async dispose() {
      await core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
