/**
 * The whole sync from a demo tenant into a demo Confluence for tests (remote/test-support.ts): the real engine,
 * planner, brake and ConfluenceTarget over our transport and HTTPS, links in SQLite. Nothing of the HTTP path is
 * replaced.
 */
import {
  startConfluenceEmulator,
  type ConfluenceEmulatorOptions,
  type RunningConfluenceEmulator,
} from '../../../emulator/confluence';
import { systemClock, type Clock } from '../../ports';
import type { SyncSource } from '../../sync/engine';
import { defaultPolicy, remoteSyncRig, type RemoteSyncOptions, type RemoteSyncRig } from '../remote/test-support';
import { confluenceEngineTarget } from './confluence-engine-target';

export { defaultPolicy, noBrake } from '../remote/test-support';

export type SyncOptions = RemoteSyncOptions;

export interface ConfluenceSyncRig extends RemoteSyncRig {
  readonly confluence: RunningConfluenceEmulator;
}

/** A fresh demo Confluence and sync database in `dir`; `sync` runs the engine from `source` into them. */
export async function confluenceSyncRig(
  source: SyncSource,
  dir: string,
  emulator: ConfluenceEmulatorOptions = {},
  clock: Clock = systemClock,
): Promise<ConfluenceSyncRig> {
  const confluence = await startConfluenceEmulator({ deleteMs: 150, ...emulator });
  const rig = remoteSyncRig(source, dir, {
    product: 'confluence',
    name: 'Demo Confluence',
    service: confluence,
    clock,
    policy: defaultPolicy,
    batchSize: 5,
    engineTarget: (args) => confluenceEngineTarget({ ...args, token: confluence.info.adminToken }),
  });
  return { ...rig, confluence };
}

/** The demo Confluence's content by names: users with their state and groups, and each group's members. */
export function confluenceSnapshot(confluence: RunningConfluenceEmulator) {
  return {
    users: confluence.control
      .users()
      .map((u) => `${u.username}|${u.email}|${u.fullName}|${u.active ? 'active' : 'disabled'}|${u.groups.join(',')}`)
      .sort(),
    groups: confluence.control
      .groups()
      .map((g) => `${g.name}:${g.members.join(',')}`)
      .sort(),
  };
}
