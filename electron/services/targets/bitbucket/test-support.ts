/**
 * The whole sync from a demo tenant into a demo Bitbucket for tests (remote/test-support.ts): the real engine,
 * planner, brake and BitbucketTarget over our transport and HTTPS, links and remembered licences in SQLite. Nothing
 * of the HTTP path is replaced.
 */
import {
  startBitbucketEmulator,
  type BitbucketEmulatorOptions,
  type RunningBitbucketEmulator,
} from '../../../emulator/bitbucket';
import { systemClock, type Clock } from '../../ports';
import type { SyncSource } from '../../sync/engine';
import { defaultPolicy, remoteSyncRig, type RemoteSyncOptions, type RemoteSyncRig } from '../remote/test-support';
import { bitbucketEngineTarget } from './bitbucket-engine-target';

export { defaultPolicy, noBrake } from '../remote/test-support';

export type SyncOptions = RemoteSyncOptions;

export interface BitbucketSyncRig extends RemoteSyncRig {
  readonly bitbucket: RunningBitbucketEmulator;
}

/** A fresh demo Bitbucket and sync database in `dir`; `sync` runs the engine from `source` into them. */
export async function bitbucketSyncRig(
  source: SyncSource,
  dir: string,
  emulator: BitbucketEmulatorOptions = {},
  clock: Clock = systemClock,
): Promise<BitbucketSyncRig> {
  const bitbucket = await startBitbucketEmulator(emulator);
  const rig = remoteSyncRig(source, dir, {
    product: 'bitbucket',
    name: 'Demo Bitbucket',
    service: bitbucket,
    config: { username: bitbucket.info.adminUsername },
    clock,
    policy: defaultPolicy,
    // 5: even a small tenant's apply runs in several batches.
    batchSize: 5,
    engineTarget: (args) => bitbucketEngineTarget({ ...args, password: bitbucket.info.adminPassword }),
  });
  return { ...rig, bitbucket };
}

/** The demo Bitbucket's content by names: users with their groups, and each group's members. */
export function bitbucketSnapshot(bitbucket: RunningBitbucketEmulator) {
  return {
    users: bitbucket.control
      .users()
      .map((u) => `${u.name.toLowerCase()}|${u.emailAddress}|${u.displayName}|${u.groups.join(',')}`)
      .sort(),
    groups: bitbucket.control
      .groups()
      .map((g) => `${g.name}:${g.members.map((m) => m.toLowerCase()).join(',')}`)
      .sort(),
  };
}
