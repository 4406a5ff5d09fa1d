/**
 * The real SCIM target wired to a running SCIM service for tests: the scimmy server (a real SCIM 2.0 implementation
 * from npm) or the Atlassian Cloud emulator, our transport trusting its CA, memory links, a shared clock; and the
 * whole sync from a demo tenant into it through the engine (planner, brake, apply, history, links in SQLite), with
 * the Crowd rig's {@link abortingAfter} to cut a run after a number of writes. Nothing of the HTTP path is replaced.
 */
import { join } from 'node:path';
import type { SyncPolicy, SyncProgressEvent, SyncRunResult } from '../../../../shared/sync';
import { targetConfigSchema, type TargetConfigInput } from '../../../../shared/targets';
import { createHttpTransport, type HttpTransport } from '../../http/transport';
import { systemClock, type Clock } from '../../ports';
import { openDatabase, type SqliteDatabase } from '../../sync/database';
import { createSyncEngine, type SyncSource } from '../../sync/engine';
import type { EngineTarget, PreparedTarget } from '../../sync/engine-target';
import { createLocalDirectory } from '../local/local-directory';
import { createMemoryLinks } from '../remote/links';
import { RemotePacer } from '../remote/pacer';
import { ScimClient } from './scim-client';
import { scimEngineTarget } from './scim-engine-target';
import { readServiceConfig } from './scim-service-config';
import { createScimTarget, type ScimTarget, type ScimTargetOptions } from './scim-target';

/** What a SCIM service under test gives: its address, token and CA. */
export interface ScimServiceLike {
  readonly info: { readonly baseUrl: string; readonly token: string; readonly caCertPem: string };
}

export interface ScimTestRig {
  readonly target: ScimTarget;
  readonly links: ReturnType<typeof createMemoryLinks>;
  readonly transport: HttpTransport;
  close(): Promise<void>;
}

/** The target over HTTPS with the service's own `/ServiceProviderConfig`. */
export async function scimRig(
  service: ScimServiceLike,
  clock: Clock = systemClock,
  overrides: Partial<Omit<ScimTargetOptions, 'transport' | 'clock' | 'links'>> = {},
): Promise<ScimTestRig> {
  const transport = createHttpTransport({ extraCaPem: service.info.caCertPem, env: {}, timeoutMs: 15_000 });
  const links = createMemoryLinks();
  const pacer = overrides.pacer ?? new RemotePacer({ clock, maxConcurrency: 4 });
  const probe = new ScimClient({ baseUrl: service.info.baseUrl, token: service.info.token, transport, pacer, clock });
  const serviceConfig = overrides.serviceConfig ?? (await readServiceConfig(probe));
  const target = createScimTarget({
    id: 'scim-test',
    baseUrl: service.info.baseUrl,
    token: service.info.token,
    transport,
    clock,
    links,
    pacer,
    ...overrides,
    serviceConfig,
  });
  return { target, links, transport, close: () => transport.close() };
}

/** Every record of a paged read. */
export async function collect<T>(pages: AsyncIterable<readonly T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

export interface ScimSyncRig<S> {
  readonly service: S;
  readonly db: SqliteDatabase;
  sync(options?: ScimSyncOptions): Promise<SyncRunResult>;
  close(): Promise<void>;
}

export interface ScimSyncOptions {
  readonly dryRun?: boolean;
  readonly config?: Partial<TargetConfigInput>;
  readonly policy?: SyncPolicy;
  /** Aborted once this many writes were started. */
  readonly abortAfterWrites?: number;
  readonly onProgress?: (event: SyncProgressEvent) => void;
  readonly memberChunk?: number;
  /** Items per apply batch. Default 3, so a cut lands between a few writes. */
  readonly batchSize?: number;
}

let dbs = 0;

/** A fresh service (from `start`) and database in `dir`; `sync` runs the engine from `source` into them. */
export async function scimSyncRig<S extends ScimServiceLike & { close(): Promise<void> }>(
  start: () => Promise<S>,
  source: SyncSource,
  dir: string,
  basePolicy: SyncPolicy,
  clock: Clock = systemClock,
  defaults: Partial<TargetConfigInput> = {},
): Promise<ScimSyncRig<S>> {
  const service = await start();
  const transport: HttpTransport = createHttpTransport({ extraCaPem: service.info.caCertPem, env: {}, timeoutMs: 15_000 });
  const db: SqliteDatabase = openDatabase(join(dir, `scim-sync-${process.pid}-${++dbs}.db`));
  return {
    service,
    db,
    async sync(o = {}) {
      const engine = createSyncEngine({
        db,
        target: createLocalDirectory(db),
        source,
        hostKind: 'test',
        cache: false,
        clock,
        batchSize: o.batchSize ?? 3,
      });
      const config = targetConfigSchema.parse({
        id: 'scim-1',
        name: 'Demo SCIM',
        product: 'scim',
        baseUrl: service.info.baseUrl,
        ...defaults,
        ...o.config,
      });
      const policy = o.policy ?? basePolicy;
      const real = scimEngineTarget({
        config,
        token: service.info.token,
        db,
        transport,
        clock,
        globalPolicy: policy,
        ...(o.memberChunk ? { memberChunk: o.memberChunk } : {}),
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
      await service.close();
    },
  };
}

/** The prepared target with every item of its batches counted; the run is aborted once `writes` were started. */
export function abortingAfter(prepared: PreparedTarget, writes: number, controller: AbortController): PreparedTarget {
  const inner = prepared.target;
  const batch = inner.applyBatch?.bind(inner);
  if (!batch) throw new Error('The SCIM target applies in batches.');
  let started = 0;
  return {
    ...prepared,
    target: {
      ...inner,
      applyBatch: (items) => {
        started += items.length;
        if (started >= writes) controller.abort();
        return batch(items);
      },
    },
  };
}
