/**
 * The sync as the app uses it: one instance per app core, over `<dataDir>/sync.db` (embedded directory, history,
 * source snapshot), running on the saved connection. Every host (Electron IPC, browser host, the scheduler) goes
 * through it, so there is one run at a time in the app; the engine's database lock extends that to other processes.
 *
 * ```ts
 * const sync = createSyncService({ dataDir, settings, connection, events, clock, logger, notifier, hostKind: 'desktop' });
 * const preview = await sync.dryRun();                        // read + plan + guard, nothing changes
 * const done = await sync.runNow({ trigger: 'scheduled' });   // resolves when the run ends (any status)
 * await sync.runNow({ trigger: 'manual', confirmBrake: blockedRunId }); // apply a plan the brake held, once
 * sync.cancel(); sync.status(); sync.lastRun(); sync.history({ offset: 0, limit: 20 });
 * const off = sync.onRunFinished((outcome) => …);
 * ```
 *
 * Runs reject (AppError) only when they cannot start: `already-running`, `locked-by-other-host`, `invalid-policy`,
 * or the connection's own codes (no saved connection, expired secret, …). Once started, every ending — succeeded,
 * partial, blocked, cancelled, failed — resolves with a {@link SyncOutcome}. Progress goes to `sync:progress`,
 * endings to `sync:finished`. Its shape: sync-service-types.ts; run endings: run-outcomes.ts.
 */
import { join } from 'node:path';
import type { ActiveRun, SyncOutcome } from '../../../shared/contract/sync';
import { AppError } from '../../../shared/errors';
import type { RunTrigger, SyncProgressEvent, SyncRunRecord } from '../../../shared/sync';
import type { GraphConnection } from '../graph/graph-client';
import { directoryExportJob, runExportJob } from './export-jobs';
import { createDirectoryBrowser } from '../targets/local/directory-browser';
import { createLocalDirectory } from '../targets/local/local-directory';
import { openDatabase, type SqliteDatabase } from './database';
import { createSyncEngine } from './engine';
import { createHistoryStore } from './history-store';
import { createSourceStateStore } from './source-state';
import { SyncStateCache } from './state-cache';
import { createConflictStore } from './conflict-store';
import { createSqliteLinks } from '../targets/remote/sqlite-links';
import { openRunTargets, type OpenedTarget } from './run-target-opening';
import { localTargetId } from '../../../shared/targets';
import { createRunOutcomes } from './run-outcomes';
import { sourceKeyOf, type OnStarted, type SyncService, type SyncServiceOptions } from './sync-service-types';

export {
  sourceKeyOf,
  type OnStarted,
  type RunNowOptions,
  type SyncConnection,
  type SyncService,
  type SyncServiceOptions,
} from './sync-service-types';

/** What the dashboard and notifications call the embedded directory among targets. */
export const localTargetName = 'Embedded directory';

export { summarisePlan } from './plan-summary';

/** Opens the database and builds the service. Call `close()` (app-core registers it with `onClose`). */
export function createSyncService(options: SyncServiceOptions): SyncService {
  const { clock, logger, events } = options;
  const db: SqliteDatabase = openDatabase(options.dbPath ?? join(options.dataDir, 'sync.db'));
  const target = createLocalDirectory(db, { clock });
  const browser = createDirectoryBrowser(db);
  const history = createHistoryStore(db, clock);
  const conflictStore = createConflictStore(db);
  const sourceState = createSourceStateStore(db);
  // A run this kind of host left `running` belongs to a process that is gone (one app instance per host kind):
  // say so in the history now rather than at the next run.
  const interrupted = history.markInterrupted(options.hostKind);
  if (interrupted > 0) logger.warn('sync: runs of an earlier session were interrupted', { count: interrupted });
  const stateCache = new SyncStateCache();
  const outcomes = createRunOutcomes({ conflictStore, events, logger, notifier: options.notifier, targets });
  let active: (ActiveRun & { readonly controller: AbortController }) | null = null;
  let current: Promise<void> = Promise.resolve();
  let closed = false;

  /** The embedded directory, then every target of Settings → Targets (when this service can open them). */
  function targets(): { id: string; name: string }[] {
    const remote = options.openTarget ? options.settings.get().targets : [];
    return [{ id: localTargetId, name: localTargetName }, ...remote.map((t) => ({ id: t.id, name: t.name }))];
  }

  async function execute(
    request: { trigger: RunTrigger; dryRun: boolean; full: boolean; confirmBrake?: string; targetIds: readonly string[] },
    onStarted?: OnStarted,
  ): Promise<SyncOutcome[]> {
    if (closed) throw new AppError('app-closing', 'The app is closing; start the sync again after it restarts.');
    if (active)
      throw new AppError('already-running', 'A sync is already running in this app. Wait for it to finish or cancel it.');
    // Claimed synchronously, before any await, so two clicks cannot both start a run. The id comes with the
    // engine's first progress event.
    const claim: ActiveRun & { controller: AbortController } = {
      runId: '',
      trigger: request.trigger,
      dryRun: request.dryRun,
      full: request.full,
      startedAt: clock.now().toISOString(),
      targetId: request.targetIds[0] ?? localTargetId,
      progress: null,
      controller: new AbortController(),
    };
    active = claim;
    let graph: GraphConnection | undefined;
    const opened: OpenedTarget[] = [];
    let finished: () => void = () => {};
    current = new Promise<void>((resolve) => (finished = resolve));
    try {
      const connection = (graph = await options.connection.openGraph());
      const key = connection.key ?? sourceKeyOf(connection, await options.connection.get());
      const engine = createSyncEngine({
        db,
        target,
        source: { key, client: connection.client, requestCount: () => connection.requestCount() },
        hostKind: options.hostKind,
        clock,
        logger,
        read: options.engine?.backoffMs === undefined ? undefined : { backoffMs: options.engine.backoffMs },
        batchSize: options.engine?.batchSize,
        // One warm state for all of this service's runs: delta runs skip reloading the directory.
        cache: stateCache,
      });
      const runTargets = await openRunTargets(
        request.targetIds,
        options.openTarget,
        { db, globalPolicy: () => options.settings.get().sync },
        opened,
      );
      const runOptions = {
        trigger: request.trigger,
        policy: options.settings.get().sync,
        dryRun: request.dryRun,
        full: request.full,
        confirmRunId: request.confirmBrake,
        signal: claim.controller.signal,
        onProgress: (event: SyncProgressEvent) => {
          if (!active || active.controller !== claim.controller) return;
          const first = active.runId === '';
          active = { ...active, runId: event.runId, progress: event };
          events.emit('sync:progress', event);
          if (first) onStarted?.(event.runId);
        },
      };
      const results =
        runTargets.length === 1 && runTargets[0] === 'local'
          ? [await engine.run(runOptions)]
          : await engine.runTargets(runOptions, runTargets);
      active = null;
      return results.map((result) => outcomes.publish(result));
    } finally {
      if (active?.controller === claim.controller) active = null;
      graph?.close();
      for (const one of opened) await one.close().catch(() => undefined);
      finished();
    }
  }

  function lastRun(targetId?: string): SyncRunRecord | null {
    for (let offset = 0; offset < 500; offset += 50) {
      const page = history.listRuns({ offset, limit: 50, ...(targetId ? { targetId } : {}) });
      const found = page.items.find((r) => !r.dryRun && r.status !== 'running');
      if (found) return found;
      if (page.items.length < 50) break;
    }
    return null;
  }

  return {
    dryRun: async (opts = {}, onStarted) =>
      (
        await execute(
          {
            trigger: opts.trigger ?? 'manual',
            dryRun: true,
            full: opts.full === true,
            targetIds: [opts.targetId ?? localTargetId],
          },
          onStarted,
        )
      )[0]!,
    runNow: async (opts, onStarted) =>
      (
        await execute(
          {
            trigger: opts.trigger,
            dryRun: false,
            full: opts.full === true,
            confirmBrake: opts.confirmBrake,
            targetIds: [opts.targetId ?? localTargetId],
          },
          onStarted,
        )
      )[0]!,
    runAll: (opts, onStarted) => {
      const known = targets().map((t) => t.id);
      const wanted = opts.targetIds ? known.filter((id) => opts.targetIds!.includes(id)) : known;
      return execute(
        {
          trigger: opts.trigger,
          dryRun: false,
          full: opts.full === true,
          targetIds: wanted.length > 0 ? wanted : [localTargetId],
        },
        onStarted,
      );
    },
    targets,
    cancel() {
      if (!active) return false;
      active.controller.abort();
      return true;
    },
    status() {
      const last = lastRun();
      const all = targets();
      // One line per target on the dashboard, once there is more than the embedded directory.
      const perTarget = all.length > 1 ? { targets: all.map((t) => ({ ...t, lastRun: lastRun(t.id) })) } : {};
      if (!active) return { state: 'idle', lastRun: last, ...perTarget };
      const { controller: _controller, ...run } = active;
      return { state: 'running', active: run, lastRun: last, ...perTarget };
    },
    lastRun,
    history: (query = {}) => history.listRuns(query),
    forgetTarget: (targetId) => createSqliteLinks(db, targetId).clear(),
    onRunFinished: (listener) => outcomes.onRunFinished(listener),
    run(runId) {
      const run = history.getRun(runId);
      if (!run) throw new AppError('run-not-found', 'That run is not in the history (it may have been pruned).');
      const known = outcomes.remembered(runId);
      return { run, plan: known?.plan ?? null, guard: known?.guard ?? null };
    },
    items: (runId, query) => history.listItems(runId, query),
    conflicts: (runId) => conflictStore.get(runId),
    exportRun(runId, format) {
      const run = history.getRun(runId);
      if (!run) throw new AppError('run-not-found', 'That run is not in the history (it may have been pruned).');
      return runExportJob({ id: runId, startedAt: run.startedAt }, format, (sink) => history.exportRun(runId, format, sink));
    },
    directory: {
      ...browser,
      counts: () => target.counts(),
      exportFile(kind, format) {
        return directoryExportJob(kind, format, clock.now(), (sink) => browser.export(kind, format, sink));
      },
    },
    sourceState,
    async withGraph(use) {
      const graph = await options.connection.openGraph();
      try {
        return await use(graph);
      } finally {
        graph.close();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      active?.controller.abort();
      await current;
      db.close();
    },
  };
}
