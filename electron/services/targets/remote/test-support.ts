/**
 * What the products' test rigs share (bitbucket-, confluence-, crowd- and scim/test-support.ts): the whole sync from
 * a demo tenant into a product's emulator through the real engine, planner, brake and the product's engine target
 * over our transport and HTTPS, links in SQLite, every log line kept; a run cut after a number of writes
 * ({@link abortingAfter}); every record of a paged read. Nothing of the HTTP path is replaced.
 */
import { join } from 'node:path';
import { defaultSyncPolicy, type SyncPolicy, type SyncProgressEvent, type SyncRunResult } from '../../../../shared/sync';
import { targetConfigSchema, type TargetConfig, type TargetConfigInput, type TargetProduct } from '../../../../shared/targets';
import { createHttpTransport, type HttpTransport } from '../../http/transport';
import type { Clock, Logger } from '../../ports';
import { openDatabase, type SqliteDatabase } from '../../sync/database';
import { createSyncEngine, type SyncSource } from '../../sync/engine';
import type { EngineTarget, PreparedTarget } from '../../sync/engine-target';
import type { DirectoryTarget } from '../directory-target';
import { createLocalDirectory } from '../local/local-directory';

export const defaultPolicy: SyncPolicy = defaultSyncPolicy();
/** The brake off, for tests whose subject is not the brake. */
export const noBrake: SyncPolicy['safety'] = Object.fromEntries(
  Object.keys(defaultPolicy.safety).map((k) => [k, null]),
) as unknown as SyncPolicy['safety'];

/** Every record of a paged read. */
export async function collect<T>(pages: AsyncIterable<readonly T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

/**
 * The prepared target with every write counted (a batch as many writes as it has items); the run is aborted once
 * `writes` of them were started.
 */
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
  const batch = inner.applyBatch?.bind(inner);
  if (batch)
    target.applyBatch = (items) => {
      started += items.length;
      if (started >= writes) controller.abort();
      return batch(items);
    };
  return { ...prepared, target };
}

/** One run of a rig. */
export interface RemoteSyncOptions {
  readonly dryRun?: boolean;
  readonly config?: Partial<TargetConfigInput>;
  readonly policy?: SyncPolicy;
  readonly confirmRunId?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: SyncProgressEvent) => void;
  /** Items per apply batch (the rig's default otherwise). */
  readonly batchSize?: number;
  /** Wraps the engine target (to count or cut writes). */
  readonly wrap?: (target: EngineTarget) => EngineTarget;
  /** Aborted once this many writes were started. */
  readonly abortAfterWrites?: number;
}

export interface RemoteSyncRig<O extends RemoteSyncOptions = RemoteSyncOptions> {
  readonly db: SqliteDatabase;
  /** Every line the engine logged, with its fields as JSON. */
  readonly logs: string[];
  sync(options?: O): Promise<SyncRunResult>;
  close(): Promise<void>;
}

/** What the engine target of a product is built from. */
export interface RigTargetArgs {
  readonly config: TargetConfig;
  readonly db: SqliteDatabase;
  readonly transport: HttpTransport;
  readonly clock: Clock;
  readonly globalPolicy: SyncPolicy;
}

export interface RemoteSyncSpec<O extends RemoteSyncOptions> {
  readonly product: TargetProduct;
  /** The target's name, e.g. `Demo Jira`; its id is `<product>-1`. */
  readonly name: string;
  /** The running service: its address and CA; closed with the rig. */
  readonly service: { readonly info: { readonly baseUrl: string; readonly caCertPem: string }; close(): Promise<void> };
  /** Config fields beyond id, name, product and base URL (e.g. the username); each run's `config` goes over them. */
  readonly config?: Partial<TargetConfigInput>;
  readonly clock: Clock;
  readonly policy: SyncPolicy;
  /** Items per apply batch unless a run says otherwise. */
  readonly batchSize: number;
  engineTarget(args: RigTargetArgs, options: O): EngineTarget;
}

let dbs = 0;

/** A sync database in `dir` beside the started service; `sync` runs the engine from `source` into it. */
export function remoteSyncRig<O extends RemoteSyncOptions>(
  source: SyncSource,
  dir: string,
  spec: RemoteSyncSpec<O>,
): RemoteSyncRig<O> {
  const { service, clock } = spec;
  const transport = createHttpTransport({ extraCaPem: service.info.caCertPem, env: {}, timeoutMs: 15_000 });
  const db = openDatabase(join(dir, `${spec.product}-sync-${process.pid}-${++dbs}.db`));
  const logs: string[] = [];
  const line = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    void logs.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  const logger: Logger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
  return {
    db,
    logs,
    async sync(o = {} as O) {
      const engine = createSyncEngine({
        db,
        target: createLocalDirectory(db),
        source,
        hostKind: 'test',
        cache: false,
        batchSize: o.batchSize ?? spec.batchSize,
        clock,
        logger,
      });
      const config = targetConfigSchema.parse({
        id: `${spec.product}-1`,
        name: spec.name,
        product: spec.product,
        baseUrl: service.info.baseUrl,
        ...spec.config,
        ...o.config,
      });
      const policy = o.policy ?? spec.policy;
      const real = spec.engineTarget({ config, db, transport, clock, globalPolicy: policy }, o);
      const wrapped = o.wrap ? o.wrap(real) : real;
      const controller = new AbortController();
      const cut = o.abortAfterWrites;
      const target: EngineTarget =
        cut === undefined
          ? wrapped
          : {
              ...wrapped,
              prepare: async (input) => abortingAfter(await wrapped.prepare(input), cut, controller),
            };
      const signal = cut === undefined ? o.signal : controller.signal;
      const [result] = await engine.runTargets(
        {
          trigger: 'manual',
          policy,
          dryRun: o.dryRun,
          ...(o.confirmRunId ? { confirmRunId: o.confirmRunId } : {}),
          ...(signal ? { signal } : {}),
          ...(o.onProgress ? { onProgress: o.onProgress } : {}),
        },
        [target],
      );
      return result!;
    },
    async close() {
      db.close();
      await transport.close();
      await service.close();
    },
  };
}
