import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SyncOutcome } from '../../../shared/contract/sync';
import { AppError } from '../../../shared/errors';
import { ensurePrivateDir } from '../app/data-dir';
import { localTargetId } from '../../../shared/targets';
import { openDatabase, type SqliteDatabase } from './database';
import { createPlanBasisStore, freshnessOf, settingsRevision, type PlanBasisStore } from './plan-basis';
import { emptyStore, holdsDemoData } from './store-reset';
import { createSyncService, type SyncService, type SyncServiceOptions } from './sync-service';

/**
 * The sync per connection: the admin's own connection syncs over `<dataDir>/sync.db`, the demo tenant over
 * `<dataDir>/demo/sync.db` — each with its own embedded directory, history, source snapshot and target links. So
 * the demo's ~200 users never show in the admin's directory, never appear in the admin's history, and a sync of the
 * admin's own tenant never plans against them (the brake would fire on "deleting" them).
 *
 * ```ts
 * const sync = createConnectionSync({ ...options, isDemo: () => connection.get().demo });
 * await sync.runNow({ trigger: 'manual' });   // into the store of the connection in use
 * await sync.discardDemo();                   // leaving the demo: its store is removed
 * await sync.resetDirectory();                // Settings → reset: directory and history of the connection in use
 * ```
 *
 * Only one run at a time across both stores; which store a call reaches is decided per call, so leaving the demo
 * switches every reader (dashboard, directory, history) at once.
 */
export interface ConnectionSync extends SyncService {
  /** Whose store calls reach now. */
  scope(): StoreScope;
  /**
   * Empties the embedded directory, the run history and the source snapshot (so the next sync reads everything) of
   * the connection in use. Links to other targets are kept. Refuses while a sync runs.
   */
  resetDirectory(): Promise<{ readonly runs: number; readonly users: number; readonly groups: number }>;
  /**
   * Removes the demo's store, closing it first (a demo run that started meanwhile — a scheduled one — is cancelled
   * and awaited). Callers refuse to leave while a demo sync runs; this never leaves the store half-removed.
   */
  discardDemo(): Promise<void>;
}

export type StoreScope = 'own' | 'demo';

export interface ConnectionSyncOptions extends Omit<SyncServiceOptions, 'dbPath'> {
  /** Whether the connection in use is the demo tenant. */
  readonly isDemo: () => boolean;
}

/** The folder of the demo's store inside the data folder. */
export const demoStoreFolder = 'demo';

const running = () => new AppError('already-running', 'A sync is running. Wait for it to finish or cancel it, then try again.');

export function createConnectionSync(options: ConnectionSyncOptions): ConnectionSync {
  const paths: Record<StoreScope, string> = {
    own: join(options.dataDir, 'sync.db'),
    demo: join(options.dataDir, demoStoreFolder, 'sync.db'),
  };
  const services: Partial<Record<StoreScope, SyncService>> = {};
  /** Each store's plan bases, on a connection of its own to the store's database. */
  const bases: Partial<Record<StoreScope, { db: SqliteDatabase; store: PlanBasisStore }>> = {};
  const listeners = new Set<(outcome: SyncOutcome) => void>();
  let closed = false;

  const scope = (): StoreScope => (options.isDemo() ? 'demo' : 'own');
  const open = (which: StoreScope): SyncService => {
    const existing = services[which];
    if (existing) return existing;
    if (closed) throw new AppError('app-closing', 'The app is closing; try again after it restarts.');
    if (which === 'demo') ensurePrivateDir(join(options.dataDir, demoStoreFolder));
    if (which === 'own' && holdsDemoData(paths.own)) {
      // An earlier version synced the demo tenant into the admin's own store: without this, the first real sync
      // would plan against the demo users (and the brake would fire on "deleting" them).
      const removed = emptyStore(paths.own);
      options.logger.warn('sync: the demo data an earlier version kept in sync.db was removed', { ...removed });
    }
    const service = createSyncService({ ...options, dbPath: paths[which] });
    service.onRunFinished((outcome) => {
      for (const listener of [...listeners]) listener(outcome);
    });
    services[which] = service;
    return service;
  };
  const current = () => open(scope());
  const basisStore = (which: StoreScope): PlanBasisStore => {
    open(which);
    const existing = bases[which];
    if (existing) return existing.store;
    const db = openDatabase(paths[which]);
    const store = createPlanBasisStore(db);
    bases[which] = { db, store };
    return store;
  };
  const runningService = () => Object.values(services).find((s) => s.status().state === 'running');
  /** Starts a run in the current store, unless the other store's run is still going. */
  const startable = () => {
    const busy = runningService();
    const target = current();
    if (busy && busy !== target) throw running();
    return target;
  };
  const closeStore = async (which: StoreScope) => {
    const service = services[which];
    const basis = bases[which];
    delete services[which];
    delete bases[which];
    await service?.close();
    basis?.db.close();
  };

  return {
    scope,
    async dryRun(opts = {}, onStarted) {
      const service = startable();
      const store = basisStore(scope());
      // What the plan is computed from, taken before it reads anything.
      const basis = {
        settingsRevision: settingsRevision(options.settings.get().sync),
        directoryMarker: service.lastRun(opts.targetId ?? localTargetId)?.id ?? null,
        computedAt: options.clock.now().toISOString(),
      };
      const outcome = await service.dryRun(opts, (runId) => {
        store.record(runId, basis);
        onStarted?.(runId);
      });
      store.record(outcome.run.id, basis);
      return outcome;
    },
    runNow: (opts, onStarted) => startable().runNow(opts, onStarted),
    runAll: (opts, onStarted) => startable().runAll(opts, onStarted),
    targets: () => current().targets(),
    cancel: () => runningService()?.cancel() ?? false,
    status() {
      const busy = runningService();
      const status = current().status();
      if (!busy || busy === services[scope()]) return status;
      const other = busy.status();
      return other.state === 'running' ? { ...other, lastRun: status.lastRun } : status;
    },
    lastRun: (targetId) => current().lastRun(targetId),
    history: (query) => current().history(query),
    forgetTarget: (targetId) => current().forgetTarget(targetId),
    onRunFinished(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    run(runId) {
      const service = current();
      const outcome = service.run(runId);
      if (!outcome.run.dryRun) return outcome;
      const freshness = freshnessOf(outcome.run, basisStore(scope()).get(runId), {
        settingsRevision: settingsRevision(options.settings.get().sync),
        lastRun: service.lastRun(outcome.run.targetId ?? localTargetId),
      });
      return { ...outcome, freshness };
    },
    get items() {
      return current().items;
    },
    exportRun: (runId, format) => current().exportRun(runId, format),
    conflicts: (runId) => current().conflicts(runId),
    get directory() {
      return current().directory;
    },
    get sourceState() {
      return current().sourceState;
    },
    withGraph: (use) => current().withGraph(use),

    async resetDirectory() {
      if (runningService()) throw running();
      const which = scope();
      await closeStore(which);
      return emptyStore(paths[which]);
    },

    async discardDemo() {
      await closeStore('demo');
      rmSync(join(options.dataDir, demoStoreFolder), { recursive: true, force: true });
    },

    async close() {
      closed = true;
      await Promise.all((Object.keys(services) as StoreScope[]).map((which) => closeStore(which)));
      for (const basis of Object.values(bases)) basis.db.close();
    },
  };
}
