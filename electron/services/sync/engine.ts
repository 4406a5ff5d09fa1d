import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Client } from '@microsoft/microsoft-graph-client';
import { AppError } from '../../../shared/errors';
import {
  emptyPlanCounts,
  syncPolicySchema,
  type Plan,
  type RunMode,
  type RunStatus,
  type RunTrigger,
  type SyncErrorCode,
  type SyncPolicy,
  type SyncPolicyInput,
  type SyncProgressEvent,
  type SyncRunResult,
} from '../../../shared/sync';
import {
  readDirectoryDelta,
  readDirectoryFull,
  userFieldsFor,
  DeltaExpiredError,
  type ReadProgress,
} from '../graph/directory-reader';
import { silentLogger, systemClock, type Clock, type Logger } from '../ports';
import type { DirectoryTarget } from '../targets/directory-target';
import type { SqliteDatabase } from './database';
import { startCheckpointer, type Checkpointer } from './checkpointer';
import { createHistoryStore, type HistoryStore } from './history-store';
import type { MutableSourceDirectory } from './model';
import { acquireRunLock, type LockHandle } from './run-lock';
import { createSourceStateStore, type SourceStateStore } from './source-state';
import { readGeneration, SyncStateCache } from './state-cache';
import type { EngineTarget } from './engine-target';
import { graphRequestLedger } from './history-shared-read';
import { progressEmitter } from './progress-emitter';
import { runErrorOf } from './run-error';
import { whyFull } from './read-mode';
import { runTargetPass, type Pass, type PassContext } from './target-pass';
import { localTargetId } from '../../../shared/targets';

/**
 * The sync engine: read Entra (full or delta), read the target, plan, guard, apply, record — with progress events,
 * cancellation and one run at a time per database. A dry run is the same pipeline stopped after the guard.
 * The read source snapshot is saved as soon as a read completes (it describes Entra, not the target), so a run that
 * fails while applying still leaves the next one a valid delta starting point; every plan is computed against the
 * target's real state, which is what makes an interrupted apply converge on the next run.
 */

/** Where the engine reads Entra: an authenticated Graph client and what identifies the tenant/app/cloud. */
export interface SyncSource {
  /** Identifies the tenant, app and Graph root: stored delta links are only used for the same key. */
  readonly key: string;
  readonly client: Client;
  /** Requests sent on this connection so far (retries and token requests included), if known. */
  readonly requestCount?: () => number;
}

export interface SyncEngineOptions {
  readonly db: SqliteDatabase;
  readonly target: DirectoryTarget;
  readonly source: SyncSource;
  /** Which host runs syncs (`desktop`, `terminal`, `browser`): shown when another host holds the lock. */
  readonly hostKind: string;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Retry tuning of the Graph reads (tests shorten the backoff). */
  readonly read?: { readonly maxAttempts?: number; readonly backoffMs?: number };
  /** Items per apply batch (default 2,500: one transaction, applied in slices between event-loop turns). */
  readonly batchSize?: number;
  /**
   * Keeps the source snapshot and target state in memory between runs (see state-cache.ts). Long-lived hosts pass
   * one cache for all their runs; default: a cache of this engine instance. `false`: reload every run (terminal).
   */
  readonly cache?: SyncStateCache | false;
}

export interface SyncRunOptions {
  readonly trigger: RunTrigger;
  readonly policy: SyncPolicyInput;
  readonly dryRun?: boolean;
  /** Read everything even when delta links are stored. */
  readonly full?: boolean;
  /** A blocked run whose plan the admin confirmed (one use). */
  readonly confirmRunId?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: SyncProgressEvent) => void;
}

export interface SyncEngine {
  run(options: SyncRunOptions): Promise<SyncRunResult>;
  /**
   * One run for several targets: Entra read once, then each target's own plan, brake, apply and history row, in
   * order; `'local'` is the embedded directory. One result per target, in the same order.
   */
  runTargets(options: SyncRunOptions, targets: readonly (EngineTarget | 'local')[]): Promise<SyncRunResult[]>;
  isRunning(): boolean;
  readonly history: HistoryStore;
  readonly sourceState: SourceStateStore;
}

/** Creates an engine over one database, target and Graph source. */
export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const history = createHistoryStore(options.db, clock);
  const sourceState = createSourceStateStore(options.db);
  const cache = options.cache === false ? undefined : (options.cache ?? new SyncStateCache());
  let running = false;
  const passContext: PassContext = {
    db: options.db,
    localTarget: options.target,
    sourceKey: options.source.key,
    batchSize: options.batchSize ?? 2_500,
    history,
    cache,
    recordPlanned: (runId, plan) => recordPlanned(runId, plan),
  };

  async function run(request: SyncRunOptions): Promise<SyncRunResult> {
    return (await runTargets(request, ['local']))[0]!;
  }

  async function runTargets(request: SyncRunOptions, targets: readonly (EngineTarget | 'local')[]): Promise<SyncRunResult[]> {
    const parsed = syncPolicySchema.safeParse(request.policy);
    if (!parsed.success)
      throw new AppError('invalid-policy', `The sync settings are not valid: ${parsed.error.issues[0]?.message ?? ''}`);
    const policy = parsed.data;
    const policies = targets.map((t) => {
      if (t === 'local' || t.policy === undefined) return policy;
      const own = syncPolicySchema.safeParse(t.policy);
      if (!own.success)
        throw new AppError(
          'invalid-policy',
          `The sync settings of target ${t.id} are not valid: ${own.error.issues[0]?.message ?? ''}`,
        );
      return own.data;
    });
    if (running) throw new AppError('already-running', 'A sync is already running in this app.');
    running = true;
    const runIds = targets.map(() => randomUUID());
    let lock: LockHandle | undefined;
    let heartbeat: ReturnType<typeof setInterval> | undefined;
    let checkpointer: Checkpointer | undefined;
    try {
      // Before the first write of the run: no commit of this run may run a checkpoint on the main thread.
      checkpointer = startCheckpointer(options.db);
      const taken = acquireRunLock(
        options.db,
        { runId: runIds[0]!, hostKind: options.hostKind, machine: hostname(), pid: process.pid },
        { clock },
      );
      if (!taken.ok) {
        const where =
          taken.holder.machine === hostname()
            ? `by the ${taken.holder.hostKind} on this computer`
            : `by the ${taken.holder.hostKind} on ${taken.holder.machine}`;
        throw new AppError(
          'locked-by-other-host',
          `Another sync is running ${where} since ${taken.since}. Wait for it to finish.`,
        );
      }
      lock = taken.handle;
      const interrupted = history.markInterrupted();
      if (interrupted > 0) logger.warn('sync: earlier runs were interrupted', { count: interrupted });
      heartbeat = setInterval(() => lock?.heartbeat(), 15_000);
      heartbeat.unref?.();
      const held = lock;
      const passes: Pass[] = targets.map((t, i) => ({
        runId: runIds[i]!,
        target: t,
        targetId: t === 'local' ? localTargetId : t.id,
        policy: policies[i]!,
        plan: null,
        guard: null,
        notes: [],
        progress: progressEmitter(runIds[i]!, request.onProgress, clock, t === 'local' ? localTargetId : t.id),
      }));
      return await execute(request, policy, held, passes);
    } finally {
      await checkpointer?.stop();
      if (heartbeat) clearInterval(heartbeat);
      lock?.release();
      running = false;
    }
  }

  async function execute(
    request: SyncRunOptions,
    policy: SyncPolicy,
    lock: LockHandle,
    passes: Pass[],
  ): Promise<SyncRunResult[]> {
    const { signal } = request;
    const requestsAtStart = options.source.requestCount?.() ?? 0;
    let readerRequests = 0;
    const graphRequests = () => (options.source.requestCount ? options.source.requestCount() - requestsAtStart : readerRequests);
    const notes: string[] = [];
    const fields = userFieldsFor(policy.mapping).join(',');
    // The cache is trusted only if nothing wrote the database since it was filled (we hold the lock now).
    const warm =
      cache && cache.validFor(readGeneration(options.db)) && cache.sourceKey === options.source.key && cache.fields === fields
        ? { source: cache.source, target: cache.target }
        : undefined;
    // Until this run ends well, the cache holds nothing: a failed delta read leaves the snapshot half-merged.
    cache?.clear();
    const state = sourceState.info();
    const fullReason = whyFull(state, options.source.key, fields, request.full === true, policy.fullReconcileHours, clock.now());
    let mode: RunMode = fullReason ? 'full' : 'delta';
    for (const p of passes) {
      history.startRun({
        id: p.runId,
        trigger: request.trigger,
        mode,
        dryRun: request.dryRun === true,
        hostId: options.hostKind,
        targetId: p.targetId,
      });
      p.progress('starting', 0, null, true);
    }
    const progress = passes[0]!.progress;
    // Entra is read once for every target: its requests (and time) are counted on one row, not on each.
    const ledger = graphRequestLedger(passes.length, graphRequests, clock);

    const finish = (
      p: Pass,
      status: RunStatus,
      extra: { applied?: Record<string, number>; failedItems?: number; error?: { code: SyncErrorCode; message: string } } = {},
    ): SyncRunResult => {
      const run = history.finishRun(p.runId, {
        status,
        mode,
        planned: p.plan?.counts ?? emptyPlanCounts(),
        applied: { ...emptyPlanCounts(), ...extra.applied },
        failedItems: extra.failedItems ?? 0,
        conflicts: p.plan?.conflicts.length ?? 0,
        ...ledger.take(p.runId, p.targetId),
        error: extra.error ?? null,
        notes: [...notes, ...p.notes],
      });
      p.progress('finishing', 1, 1, true);
      return { run, plan: p.plan, guard: p.guard };
    };
    const failed = (p: Pass, error: unknown): SyncRunResult => {
      if (signal?.aborted)
        return finish(p, 'cancelled', {
          error: { code: 'cancelled', message: 'The sync was cancelled before anything was applied.' },
        });
      const { code, message } = runErrorOf(error);
      logger.error('sync: run failed', {
        runId: p.runId,
        target: p.targetId,
        code,
        message: error instanceof Error ? error.message : String(error),
      });
      if (code === 'graph-read-failed') p.notes.push('Nothing was changed: a sync never plans on a partial read of Entra.');
      return finish(p, 'failed', { error: { code, message } });
    };

    try {
      // 1. Read the source, once for every target.
      const readOptions = {
        client: options.source.client,
        userFields: fields.split(','),
        signal,
        clock,
        maxAttempts: options.read?.maxAttempts,
        backoffMs: options.read?.backoffMs,
        onProgress: (p: ReadProgress) => {
          readerRequests = p.requests;
          progress('reading-source', p.users + p.groups, null);
        },
      };
      progress('reading-source', 0, null, true);
      let source: MutableSourceDirectory;
      try {
        if (fullReason === null && state?.deltaLinks) {
          const base = warm?.source ?? (await sourceState.load(signal));
          try {
            const delta = await readDirectoryDelta(base, state.deltaLinks, readOptions);
            readerRequests = delta.requests;
            source = base;
            await sourceState.saveDelta(source, delta);
            notes.push(
              // What changed in Entra, not what the run changes: the plan compares all of Entra with the directory.
              `Read only what changed in Entra since the last read: ${plural(delta.changedUsers.size + delta.removedUsers.size, 'user')} and ${plural(delta.changedGroups.size + delta.removedGroups.size, 'group')}. The plan compares all of Entra, as last read, with the directory.`,
              ...delta.warnings,
            );
          } catch (error) {
            // Only a token Graph no longer accepts is cured by reading everything; a 403, a 5xx or a network failure
            // would fail the full read the same way, later, and hide its diagnosis behind a "fallback" note.
            if (!(error instanceof DeltaExpiredError)) throw error;
            notes.push(`${error.message} Read everything instead.`);
            logger.info('sync: delta token rejected, full read', { runId: passes[0]!.runId });
            sourceState.forgetLinks();
            mode = 'full';
            source = await readFull(passes[0]!.runId, readOptions, fields, notes);
          }
        } else {
          if (fullReason) notes.push(`Full read: ${fullReason}.`);
          source = await readFull(passes[0]!.runId, readOptions, fields, notes);
        }
      } catch (error) {
        return passes.map((p) => failed(p, error));
      }
      const results: SyncRunResult[] = [];
      for (const p of passes) {
        try {
          results.push(await runTargetPass(passContext, p, request, source, warm?.target, fields, lock, finish));
        } catch (error) {
          results.push(failed(p, error));
        }
      }
      return results;
    } finally {
      void history
        .prune(policy.history.retentionDays)
        .catch((error: unknown) => logger.warn('sync: history prune failed', { error: String(error) }));
    }
  }

  async function readFull(
    runId: string,
    readOptions: Parameters<typeof readDirectoryFull>[0],
    fields: string,
    notes: string[],
  ): Promise<MutableSourceDirectory> {
    const result = await readDirectoryFull(readOptions);
    notes.push(...result.warnings);
    if (result.deltaLinkProblem) {
      notes.push(`${result.deltaLinkProblem}. The directory was read in full; the next run reads everything again.`);
      logger.warn('sync: no delta links after the full read; the next run reads everything again', {
        runId,
        problem: result.deltaLinkProblem,
      });
    }
    logger.info('sync: full read done', {
      runId,
      users: result.source.users.size,
      groups: result.source.groups.size,
      requests: result.requests,
    });
    await sourceState.saveFull(
      { sourceKey: options.source.key, fields, at: clock.now().toISOString() },
      result.source,
      result.deltaLinks,
    );
    return result.source;
  }

  async function recordPlanned(runId: string, plan: Plan): Promise<void> {
    for (let i = 0; i < plan.items.length; i += 5_000) {
      await history.recordItems(
        runId,
        plan.items.slice(i, i + 5_000).map((item) => ({ item, outcome: 'planned' as const })),
      );
    }
  }

  return { run, runTargets, isRunning: () => running, history, sourceState };
}

/** `1 user`, `2 users`. */
function plural(n: number, word: string): string {
  return `${n} ${n === 1 ? word : `${word}s`}`;
}
