/**
 * The real Crowd target wired to a running demo Crowd for tests: our transport trusting the emulator's CA, memory
 * links, a clock shared with the emulator; and the whole sync from a demo tenant into a demo Crowd (the real engine,
 * planner, brake and CrowdTarget over HTTPS, links in SQLite), with {@link abortingAfter} to cut a run after a number
 * of writes. Nothing of the HTTP path is replaced.
 */
import type { SyncPolicy } from '../../../../shared/sync';
import { startCrowdEmulator, type CrowdEmulatorOptions, type RunningCrowdEmulator } from '../../../emulator/crowd';
import { createHttpTransport, type HttpTransport } from '../../http/transport';
import { systemClock, type Clock } from '../../ports';
import type { SyncSource } from '../../sync/engine';
import { createMemoryLinks } from '../remote/links';
import { remoteSyncRig, type RemoteSyncOptions, type RemoteSyncRig } from '../remote/test-support';
import { crowdEngineTarget } from './crowd-engine-target';
import { createCrowdTarget, type CrowdTarget, type CrowdTargetOptions } from './crowd-target';

export interface CrowdEmulatorLike {
  readonly info: {
    readonly baseUrl: string;
    readonly applicationName: string;
    readonly applicationPassword: string;
    readonly caCertPem: string;
  };
}

export interface CrowdTestRig {
  readonly target: CrowdTarget;
  readonly links: ReturnType<typeof createMemoryLinks>;
  readonly transport: HttpTransport;
  close(): Promise<void>;
}

export function crowdRig(
  crowd: CrowdEmulatorLike,
  clock: Clock = systemClock,
  overrides: Partial<Omit<CrowdTargetOptions, 'transport' | 'clock' | 'links'>> = {},
): CrowdTestRig {
  const transport = createHttpTransport({ extraCaPem: crowd.info.caCertPem, env: {}, timeoutMs: 15_000 });
  const links = createMemoryLinks();
  const target = createCrowdTarget({
    id: 'crowd-test',
    baseUrl: crowd.info.baseUrl,
    applicationName: crowd.info.applicationName,
    password: crowd.info.applicationPassword,
    transport,
    clock,
    links,
    ...overrides,
  });
  return { target, links, transport, close: () => transport.close() };
}

export { abortingAfter, collect } from '../remote/test-support';

export interface CrowdSyncRig extends RemoteSyncRig<CrowdSyncOptions> {
  readonly crowd: RunningCrowdEmulator;
}

export type CrowdSyncOptions = Pick<RemoteSyncOptions, 'dryRun' | 'config' | 'policy' | 'abortAfterWrites' | 'onProgress'>;

/** A fresh demo Crowd and database in `dir`; `sync` runs the engine from `source` into them. */
export async function crowdSyncRig(
  source: SyncSource,
  dir: string,
  basePolicy: SyncPolicy,
  options: CrowdEmulatorOptions = {},
  clock: Clock = systemClock,
): Promise<CrowdSyncRig> {
  const crowd = await startCrowdEmulator(options);
  const rig = remoteSyncRig<CrowdSyncOptions>(source, dir, {
    product: 'crowd',
    name: 'Demo Crowd',
    service: crowd,
    config: { username: crowd.info.applicationName },
    clock,
    policy: basePolicy,
    batchSize: 3,
    engineTarget: (args) =>
      crowdEngineTarget({ ...args, applicationName: crowd.info.applicationName, password: crowd.info.applicationPassword }),
  });
  return { ...rig, crowd };
}

/** The demo Crowd's content by names: users with every field, and each group's direct members and child groups. */
export function crowdSnapshot(crowd: RunningCrowdEmulator) {
  const users = crowd.control
    .users()
    .map((u) => `${u.name.toLowerCase()}|${u.email}|${u.displayName}|${u.firstName}|${u.lastName}|${u.active}`)
    .sort();
  const groups = crowd.control
    .groups()
    .map(
      (g) =>
        `${g.name}:${g.members
          .map((m) => m.toLowerCase())
          .sort()
          .join(',')}/${g.children.join(',')}`,
    )
    .sort();
  return { users, groups };
}
