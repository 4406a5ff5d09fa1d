/**
 * The whole sync from a demo tenant into a demo Confluence for tests: the real engine, planner, brake and
 * ConfluenceTarget over our transport and HTTPS, links in SQLite. Nothing of the HTTP path is replaced.
 */
import { join } from 'node:path';
import { defaultSyncPolicy, type SyncPolicy, type SyncProgressEvent, type SyncRunResult } from '../../../../shared/sync';
import { targetConfigSchema, type TargetConfigInput } from '../../../../shared/targets';
import {
  startConfluenceEmulator,
  type ConfluenceEmulatorOptions,
  type RunningConfluenceEmulator,
} from '../../../emulator/confluence';
import { createHttpTransport, type HttpTransport } from '../../http/transport';
import { systemClock, type Clock, type Logger } from '../../ports';
import { openDatabase, type SqliteDatabase } from '../../sync/database';
import { createSyncEngine, type SyncSource } from '../../sync/engine';
import type { EngineTarget } from '../../sync/engine-target';
import { createLocalDirectory } from '../local/local-directory';
import { confluenceEngineTarget } from './confluence-engine-target';

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
  readonly wrap?: (target: EngineTarget) => EngineTarget;
}

export interface ConfluenceSyncRig {
  readonly confluence: RunningConfluenceEmulator;
  readonly db: SqliteDatabase;
  readonly logs: string[];
  sync(options?: SyncOptions): Promise<SyncRunResult>;
  close(): Promise<void>;
}

let dbs = 0;

/** A fresh demo Confluence and sync database in `dir`; `sync` runs the engine from `source` into them. */
export async function confluenceSyncRig(
  source: SyncSource,
  dir: string,
  emulator: ConfluenceEmulatorOptions = {},
  clock: Clock = systemClock,
): Promise<ConfluenceSyncRig> {
  const confluence = await startConfluenceEmulator({ deleteMs: 150, ...emulator });
  const transport: HttpTransport = createHttpTransport({ extraCaPem: confluence.info.caCertPem, env: {}, timeoutMs: 15_000 });
  const db = openDatabase(join(dir, `confluence-sync-${process.pid}-${++dbs}.db`));
  const logs: string[] = [];
  const line = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    void logs.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  const logger: Logger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
  return {
    confluence,
    db,
    logs,
    async sync(o = {}) {
      const engine = createSyncEngine({
        db,
        target: createLocalDirectory(db),
        source,
        hostKind: 'test',
        cache: false,
        batchSize: 5,
        clock,
        logger,
      });
      const config = targetConfigSchema.parse({
        id: 'confluence-1',
        name: 'Demo Confluence',
        product: 'confluence',
        baseUrl: confluence.info.baseUrl,
        ...o.config,
      });
      const policy = o.policy ?? defaultPolicy;
      const target = confluenceEngineTarget({
        config,
        token: confluence.info.adminToken,
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
      await confluence.close();
    },
  };
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
