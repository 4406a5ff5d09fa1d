/**
 * The whole sync from a demo tenant into a demo Bitbucket for tests: the real engine, planner, brake and
 * BitbucketTarget over our transport and HTTPS, links and remembered licences in SQLite. Nothing of the HTTP path is
 * replaced.
 */
import { join } from 'node:path';
import { defaultSyncPolicy, type SyncPolicy, type SyncProgressEvent, type SyncRunResult } from '../../../../shared/sync';
import { targetConfigSchema, type TargetConfigInput } from '../../../../shared/targets';
import {
  startBitbucketEmulator,
  type BitbucketEmulatorOptions,
  type RunningBitbucketEmulator,
} from '../../../emulator/bitbucket';
import { createHttpTransport, type HttpTransport } from '../../http/transport';
import { systemClock, type Clock, type Logger } from '../../ports';
import { openDatabase, type SqliteDatabase } from '../../sync/database';
import { createSyncEngine, type SyncSource } from '../../sync/engine';
import type { EngineTarget } from '../../sync/engine-target';
import { createLocalDirectory } from '../local/local-directory';
import { bitbucketEngineTarget } from './bitbucket-engine-target';

export const defaultPolicy: SyncPolicy = defaultSyncPolicy();
/** The brake off, for tests whose subject is not the brake. */
export const noBrake: SyncPolicy['safety'] = Object.fromEntries(
  Object.keys(defaultPolicy.safety).map((k) => [k, null]),
) as unknown as SyncPolicy['safety'];

export interface SyncOptions {
  readonly dryRun?: boolean;
  readonly config?: Partial<TargetConfigInput>;
  readonly policy?: SyncPolicy;
  readonly confirmRunId?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: SyncProgressEvent) => void;
  /** Items per apply batch (default 5, so that even a small tenant's apply runs in several batches). */
  readonly batchSize?: number;
  /** Wraps the engine target (to count or cut writes). */
  readonly wrap?: (target: EngineTarget) => EngineTarget;
}

export interface BitbucketSyncRig {
  readonly bitbucket: RunningBitbucketEmulator;
  readonly db: SqliteDatabase;
  /** Every line the engine logged, with its fields as JSON. */
  readonly logs: string[];
  sync(options?: SyncOptions): Promise<SyncRunResult>;
  close(): Promise<void>;
}

let dbs = 0;

/** A fresh demo Bitbucket and sync database in `dir`; `sync` runs the engine from `source` into them. */
export async function bitbucketSyncRig(
  source: SyncSource,
  dir: string,
  emulator: BitbucketEmulatorOptions = {},
  clock: Clock = systemClock,
): Promise<BitbucketSyncRig> {
  const bitbucket = await startBitbucketEmulator(emulator);
  const transport: HttpTransport = createHttpTransport({ extraCaPem: bitbucket.info.caCertPem, env: {}, timeoutMs: 15_000 });
  const db = openDatabase(join(dir, `bitbucket-sync-${process.pid}-${++dbs}.db`));
  const logs: string[] = [];
  const line = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    void logs.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  const logger: Logger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
  return {
    bitbucket,
    db,
    logs,
    async sync(o = {}) {
      const engine = createSyncEngine({
        db,
        target: createLocalDirectory(db),
        source,
        hostKind: 'test',
        cache: false,
        batchSize: o.batchSize ?? 5,
        clock,
        logger,
      });
      const config = targetConfigSchema.parse({
        id: 'bitbucket-1',
        name: 'Demo Bitbucket',
        product: 'bitbucket',
        baseUrl: bitbucket.info.baseUrl,
        username: bitbucket.info.adminUsername,
        ...o.config,
      });
      const policy = o.policy ?? defaultPolicy;
      const target = bitbucketEngineTarget({
        config,
        password: bitbucket.info.adminPassword,
        db,
        transport,
        clock,
        globalPolicy: policy,
      });
      const [result] = await engine.runTargets(
        {
          trigger: 'manual',
          policy,
          dryRun: o.dryRun,
          ...(o.confirmRunId ? { confirmRunId: o.confirmRunId } : {}),
          ...(o.signal ? { signal: o.signal } : {}),
          ...(o.onProgress ? { onProgress: o.onProgress } : {}),
        },
        [o.wrap ? o.wrap(target) : target],
      );
      return result!;
    },
    async close() {
      db.close();
      await transport.close();
      await bitbucket.close();
    },
  };
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
