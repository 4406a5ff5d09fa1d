import { join } from 'node:path';
import type { ActiveRun, SyncOutcome, SyncStatus } from '../../../shared/contract/sync';
import { AppError } from '../../../shared/errors';
import type { Paged, RunTrigger, SyncPolicyInput, SyncProgressEvent, SyncRunRecord } from '../../../shared/sync';
import type { EventSink } from '../app/events';
import type { GraphConnection } from '../graph/graph-client';
import type { Clock, Logger, Notifier } from '../ports';
import type { SettingsStore } from '../settings/settings-store';
import type { ExportJob } from './export';
import { directoryExportJob, runExportJob } from './export-jobs';
import { createDirectoryBrowser, type DirectoryBrowser, type DirectoryExportKind } from '../targets/local/directory-browser';
import { createLocalDirectory, type LocalDirectory } from '../targets/local/local-directory';
import { openDatabase, type SqliteDatabase } from './database';
import { createSyncEngine } from './engine';
import { createHistoryStore, type HistoryStore } from './history-store';
import { createSourceStateStore, type SourceStateStore } from './source-state';
import { SyncStateCache } from './state-cache';
import { createConflictStore, type RunConflicts } from './conflict-store';
import type { EngineTarget } from './engine-target';
import { createSqliteLinks } from '../targets/remote/sqlite-links';
import { blockedRunNotification } from './blocked-notification';
import { summarisePlan } from './plan-summary';
import { openRunTargets, type OpenedTarget } from './run-target-opening';
import { localTargetId } from '../../../shared/targets';

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
 * endings to `sync:finished`.
 */

/** What the sync needs of the saved connection: the ConnectionService fits it as it is. */
export interface SyncConnection {
  /**
   * A Graph connection for the saved (or demo) connection; the caller closes it. Rejects with a coded AppError.
   * `key` (tenant, app, Graph root) names the source the delta links belong to; derived from `get()` when absent.
   */
  openGraph(): Promise<GraphConnection & { readonly key?: string }>;
  /** The saved tenant and app (sync or async). */
  get():
    { readonly tenantId: string; readonly clientId: string } | Promise<{ readonly tenantId: string; readonly clientId: string }>;
}

/** Tenant, app and Graph root: stored delta links are reused only for the same key (a demo tenant's port changes). */
export function sourceKeyOf(graph: GraphConnection, summary: { readonly tenantId: string; readonly clientId: string }): string {
  return `${graph.cloud.graphBaseUrl}|${summary.tenantId}|${summary.clientId}`;
}

export interface SyncServiceOptions {
  readonly dataDir: string;
  readonly settings: SettingsStore;
  readonly connection: SyncConnection;
  readonly events: EventSink;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly notifier?: Notifier;
  /** Which host runs syncs (`desktop`, `browser`, …): named when another process holds the lock. */
  readonly hostKind: string;
  /** Tuning for tests: Graph retry backoff, apply batch size. */
  readonly engine?: { readonly backoffMs?: number; readonly batchSize?: number };
  /** Where the database lives (default `<dataDir>/sync.db`). */
  readonly dbPath?: string;
  /**
   * Opens a target other than the embedded directory for one run (Settings → Targets); without it, only `local`
   * can be synced. Closed when the run ends.
   */
  readonly openTarget?: (
    targetId: string,
    use: { readonly db: SqliteDatabase; readonly globalPolicy: SyncPolicyInput },
  ) => Promise<{ readonly target: EngineTarget; close(): Promise<void> }>;
}

export interface RunNowOptions {
  readonly trigger: RunTrigger;
  /** Read everything even when delta links are stored. */
  readonly full?: boolean;
  /** The id of a run the safety brake held, whose plan the admin confirmed (one use). */
  readonly confirmBrake?: string;
  /** The target to sync into (default `local`: the embedded directory). */
  readonly targetId?: string;
}

/** Called once a run has its id (before reading Entra): the handlers answer the renderer at that point. */
export type OnStarted = (runId: string) => void;

export interface SyncService {
  dryRun(
    options?: { readonly full?: boolean; readonly trigger?: RunTrigger; readonly targetId?: string },
    onStarted?: OnStarted,
  ): Promise<SyncOutcome>;
  runNow(options: RunNowOptions, onStarted?: OnStarted): Promise<SyncOutcome>;
  /**
   * One run into every target (the embedded directory first, then each of Settings → Targets), Entra read once;
   * each target gets its own plan, brake, apply and history row. A target that cannot be opened or reached fails
   * with its own message while the others run. `targetIds`: only these (a retry of the targets that failed).
   * One outcome per target, in order; `onStarted` gets the first run's id.
   */
  runAll(
    options: { readonly trigger: RunTrigger; readonly full?: boolean; readonly targetIds?: readonly string[] },
    onStarted?: OnStarted,
  ): Promise<SyncOutcome[]>;
  /** The embedded directory and every configured target, by id and the name the admin gave it. */
  targets(): readonly { readonly id: string; readonly name: string }[];
  /** Cancels the running sync; false when none runs. */
  cancel(): boolean;
  status(): SyncStatus;
  /** The latest finished run that was not a dry run (of one target, when given). */
  lastRun(targetId?: string): SyncRunRecord | null;
  history(query?: { readonly offset?: number; readonly limit?: number; readonly targetId?: string }): Paged<SyncRunRecord>;
  /** Forgets what the sync keeps for a target beside its history (links, managed groups). */
  forgetTarget(targetId: string): void;
  onRunFinished(listener: (outcome: SyncOutcome) => void): () => void;

  /** A run with its plan summary and verdict while this app remembers them (the last few runs). */
  run(runId: string): SyncOutcome;
  readonly items: HistoryStore['listItems'];
  /** The name conflicts a run recorded (kept with the history, unlike the plan summary). */
  conflicts(runId: string): RunConflicts;
  /** A run's export, ready to stream; fails with `run-not-found` before anything is written. */
  exportRun(runId: string, format: 'csv' | 'json'): ExportJob;
  readonly directory: DirectoryBrowser & {
    counts: LocalDirectory['counts'];
    exportFile(kind: DirectoryExportKind, format: 'csv' | 'json'): ExportJob;
  };
  /** The source snapshot (for the group picker's member counts). */
  readonly sourceState: SourceStateStore;
  /** Opens a Graph connection on the saved connection (for reads outside a run), closed after `use`. */
  withGraph<T>(use: (graph: GraphConnection) => Promise<T>): Promise<T>;
  /** Cancels a running sync, waits for it to stop, closes the database. */
  close(): Promise<void>;
}

const rememberedOutcomes = 20;
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
  const listeners = new Set<(outcome: SyncOutcome) => void>();
  const outcomes = new Map<string, SyncOutcome>();
  let active: (ActiveRun & { readonly controller: AbortController }) | null = null;
  let current: Promise<void> = Promise.resolve();
  let closed = false;

  function remember(outcome: SyncOutcome): void {
    outcomes.set(outcome.run.id, outcome);
    while (outcomes.size > rememberedOutcomes) outcomes.delete(outcomes.keys().next().value as string);
  }

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
      return results.map((result) => {
        conflictStore.save(result.run.id, result.plan?.conflicts ?? []);
        const outcome: SyncOutcome = {
          run: result.run,
          plan: result.plan ? summarisePlan(result.plan) : null,
          guard: result.guard,
        };
        remember(outcome);
        logger.info('sync: run finished', {
          runId: outcome.run.id,
          trigger: outcome.run.trigger,
          dryRun: outcome.run.dryRun,
          status: outcome.run.status,
          mode: outcome.run.mode,
          durationMs: outcome.run.durationMs,
          graphRequests: outcome.run.graphRequests,
          ...(outcome.run.targetId && outcome.run.targetId !== localTargetId ? { target: outcome.run.targetId } : {}),
        });
        events.emit('sync:finished', outcome);
        notifyIfNeeded(outcome);
        for (const listener of [...listeners]) {
          try {
            listener(outcome);
          } catch (error) {
            logger.warn('sync: a run-finished listener failed', {
              error: error instanceof Error ? error.message : String(error),
            });
          }
        }
        return outcome;
      });
    } finally {
      if (active?.controller === claim.controller) active = null;
      graph?.close();
      for (const one of opened) await one.close().catch(() => undefined);
      finished();
    }
  }

  function notifyIfNeeded(outcome: SyncOutcome): void {
    const notification = blockedRunNotification(outcome, targets);
    if (notification) options.notifier?.notify(notification);
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
    onRunFinished(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    run(runId) {
      const run = history.getRun(runId);
      if (!run) throw new AppError('run-not-found', 'That run is not in the history (it may have been pruned).');
      const known = outcomes.get(runId);
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
