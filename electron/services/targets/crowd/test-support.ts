/**
 * The real Crowd target wired to a running demo Crowd for tests: our transport trusting the emulator's CA, memory
 * links, a clock shared with the emulator; and the whole sync from a demo tenant into a demo Crowd (the real engine,
 * planner, brake and CrowdTarget over HTTPS, links in SQLite), with {@link abortingAfter} to cut a run after a number
 * of writes. Nothing of the HTTP path is replaced.
 */
import { join } from 'node:path';
import type { SyncPolicy, SyncProgressEvent, SyncRunResult } from '../../../../shared/sync';
import { targetConfigSchema, type TargetConfigInput } from '../../../../shared/targets';
import { startCrowdEmulator, type CrowdEmulatorOptions, type RunningCrowdEmulator } from '../../../emulator/crowd';
import { createHttpTransport, type HttpTransport } from '../../http/transport';
import { systemClock, type Clock } from '../../ports';
import { openDatabase, type SqliteDatabase } from '../../sync/database';
import { createSyncEngine, type SyncSource } from '../../sync/engine';
import type { EngineTarget, PreparedTarget } from '../../sync/engine-target';
import type { DirectoryTarget } from '../directory-target';
import { createLocalDirectory } from '../local/local-directory';
import { createMemoryLinks } from '../remote/links';
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

/** Every record of a paged read. */
export async function collect<T>(pages: AsyncIterable<readonly T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

export interface CrowdSyncRig {
  readonly crowd: RunningCrowdEmulator;
  sync(options?: CrowdSyncOptions): Promise<SyncRunResult>;
  close(): Promise<void>;
}

export interface CrowdSyncOptions {
  readonly dryRun?: boolean;
  readonly config?: Partial<TargetConfigInput>;
  readonly policy?: SyncPolicy;
  /** Aborted once this many writes were started. */
  readonly abortAfterWrites?: number;
  readonly onProgress?: (event: SyncProgressEvent) => void;
}

let dbs = 0;

/** A fresh demo Crowd and database in `dir`; `sync` runs the engine from `source` into them. */
export async function crowdSyncRig(
  source: SyncSource,
  dir: string,
  basePolicy: SyncPolicy,
  options: CrowdEmulatorOptions = {},
  clock: Clock = systemClock,
): Promise<CrowdSyncRig> {
  const crowd = await startCrowdEmulator(options);
  const transport: HttpTransport = createHttpTransport({ extraCaPem: crowd.info.caCertPem, env: {}, timeoutMs: 15_000 });
  const db: SqliteDatabase = openDatabase(join(dir, `crowd-sync-${process.pid}-${++dbs}.db`));
  return {
    crowd,
    async sync(o = {}) {
      const engine = createSyncEngine({
        db,
        target: createLocalDirectory(db),
        source,
        hostKind: 'test',
        cache: false,
        clock,
        batchSize: 3,
      });
      const config = targetConfigSchema.parse({
        id: 'crowd-1',
        name: 'Demo Crowd',
        product: 'crowd',
        baseUrl: crowd.info.baseUrl,
        username: crowd.info.applicationName,
        ...o.config,
      });
      const policy = o.policy ?? basePolicy;
      const real = crowdEngineTarget({
        config,
        applicationName: crowd.info.applicationName,
        password: crowd.info.applicationPassword,
        db,
        transport,
        clock,
        globalPolicy: policy,
      });
      const controller = new AbortController();
      const cut = o.abortAfterWrites;
      const target: EngineTarget =
        cut === undefined
          ? real
          : { ...real, prepare: async (input) => abortingAfter(await real.prepare(input), cut, controller) };
      const [result] = await engine.runTargets(
        { trigger: 'manual', policy, dryRun: o.dryRun, signal: controller.signal, onProgress: o.onProgress },
        [target],
      );
      return result!;
    },
    async close() {
      db.close();
      await transport.close();
      await crowd.close();
    },
  };
}

/** The prepared target with every write counted; the run is aborted once `writes` of them were started. */
export function abortingAfter(prepared: PreparedTarget, writes: number, controller: AbortController): PreparedTarget {
  const inner = prepared.target;
  let started = 0;
  const count =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A) => {
      if (++started >= writes) controller.abort();
      return fn(...args);
    };
  const target: DirectoryTarget = {
    ...inner,
    readUsers: (o) => inner.readUsers(o),
    readGroups: (o) => inner.readGroups(o),
    readMemberships: (o) => inner.readMemberships(o),
    createUser: count((...a: Parameters<DirectoryTarget['createUser']>) => inner.createUser(...a)),
    updateUser: count((...a: Parameters<DirectoryTarget['updateUser']>) => inner.updateUser(...a)),
    setUserActive: count((...a: Parameters<DirectoryTarget['setUserActive']>) => inner.setUserActive(...a)),
    deleteUser: count((...a: Parameters<DirectoryTarget['deleteUser']>) => inner.deleteUser(...a)),
    createGroup: count((...a: Parameters<DirectoryTarget['createGroup']>) => inner.createGroup(...a)),
    updateGroup: count((...a: Parameters<DirectoryTarget['updateGroup']>) => inner.updateGroup(...a)),
    deleteGroup: count((...a: Parameters<DirectoryTarget['deleteGroup']>) => inner.deleteGroup(...a)),
    addMember: count((...a: Parameters<DirectoryTarget['addMember']>) => inner.addMember(...a)),
    removeMember: count((...a: Parameters<DirectoryTarget['removeMember']>) => inner.removeMember(...a)),
  };
  return { ...prepared, target };
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
