/**
 * The sync service's shape as its hosts and the scheduler see it: what it needs (the saved connection, options),
 * what a run takes, and what it offers. Built by createSyncService (sync-service.ts).
 */
import type { SyncOutcome, SyncStatus } from '../../../shared/contract/sync';
import type { Paged, RunTrigger, SyncPolicyInput, SyncRunRecord } from '../../../shared/sync';
import type { EventSink } from '../app/events';
import type { GraphConnection } from '../graph/graph-client';
import type { Clock, Logger, Notifier } from '../ports';
import type { SettingsStore } from '../settings/settings-store';
import type { DirectoryBrowser, DirectoryExportKind } from '../targets/local/directory-browser';
import type { LocalDirectory } from '../targets/local/local-directory';
import type { RunConflicts } from './conflict-store';
import type { SqliteDatabase } from './database';
import type { EngineTarget } from './engine-target';
import type { ExportJob } from './export';
import type { HistoryStore } from './history-store';
import type { SourceStateStore } from './source-state';

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
