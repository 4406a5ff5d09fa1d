/**
 * The real SCIM target wired to a running SCIM service for tests: the scimmy server (a real SCIM 2.0 implementation
 * from npm) or the Atlassian Cloud emulator, our transport trusting its CA, memory links, a shared clock; and the
 * whole sync from a demo tenant into it through the engine (planner, brake, apply, history, links in SQLite), with
 * {@link abortingAfter} to cut a run after a number of batched writes. Nothing of the HTTP path is replaced.
 */
import type { SyncPolicy } from '../../../../shared/sync';
import type { TargetConfigInput } from '../../../../shared/targets';
import { createHttpTransport, type HttpTransport } from '../../http/transport';
import { systemClock, type Clock } from '../../ports';
import type { SyncSource } from '../../sync/engine';
import { createMemoryLinks } from '../remote/links';
import { RemotePacer } from '../remote/pacer';
import { remoteSyncRig, type RemoteSyncOptions, type RemoteSyncRig } from '../remote/test-support';
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

export { abortingAfter, collect } from '../remote/test-support';

export interface ScimSyncRig<S> extends RemoteSyncRig<ScimSyncOptions> {
  readonly service: S;
}

export interface ScimSyncOptions extends Pick<
  RemoteSyncOptions,
  'dryRun' | 'config' | 'policy' | 'abortAfterWrites' | 'onProgress' | 'batchSize'
> {
  readonly memberChunk?: number;
}

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
  const rig = remoteSyncRig<ScimSyncOptions>(source, dir, {
    product: 'scim',
    name: 'Demo SCIM',
    service,
    config: defaults,
    clock,
    policy: basePolicy,
    // 3: a cut lands between a few writes.
    batchSize: 3,
    engineTarget: (args, o) =>
      scimEngineTarget({ ...args, token: service.info.token, ...(o.memberChunk ? { memberChunk: o.memberChunk } : {}) }),
  });
  return { ...rig, service };
}
