import { destructivePlanItemKinds } from '../../../shared/brake';
import { AppError } from '../../../shared/errors';
import type { GuardVerdict, Plan, RunStatus, SyncErrorCode, SyncPhase, SyncPolicy, SyncRunResult } from '../../../shared/sync';
import { localTargetId } from '../../../shared/targets';
import type { DirectoryTarget } from '../targets/directory-target';
import { applyPlan } from './apply';
import { yieldToEventLoop, type SqliteDatabase } from './database';
import type { SyncRunOptions } from './engine';
import type { EngineTarget, PreparedTarget } from './engine-target';
import { checkPlan, type Confirmation } from './guard';
import type { HistoryStore } from './history-store';
import type { MutableSourceDirectory } from './model';
import { planSteps } from './plan';
import type { PhaseCalls } from './progress-emitter';
import type { LockHandle } from './run-lock';
import { applyOutcomes, bumpGeneration, type MutableTargetState, type SyncStateCache } from './state-cache';
import { readTargetState } from './target-state';

/**
 * One target's part of a sync run, after the shared read of Entra: read the target, plan, guard, apply, record.
 * The engine (engine.ts) runs one pass per target, each with its own history row.
 */

/** What a pass needs of its engine. */
export interface PassContext {
  readonly db: SqliteDatabase;
  /** The embedded directory (`'local'` passes). */
  readonly localTarget: DirectoryTarget;
  readonly sourceKey: string;
  readonly batchSize: number;
  readonly history: HistoryStore;
  readonly cache: SyncStateCache | undefined;
  recordPlanned(runId: string, plan: Plan): Promise<void>;
}

/** One target of a run, and what its pass found. */
export interface Pass {
  readonly runId: string;
  readonly target: EngineTarget | 'local';
  readonly targetId: string;
  readonly policy: SyncPolicy;
  plan: Plan | null;
  guard: GuardVerdict | null;
  readonly notes: string[];
  readonly progress: (phase: SyncPhase, done: number, total: number | null, force?: boolean, calls?: PhaseCalls) => void;
}

export type PassFinish = (
  p: Pass,
  status: RunStatus,
  extra?: { applied?: Record<string, number>; failedItems?: number; error?: { code: SyncErrorCode; message: string } },
) => SyncRunResult;

/** Read one target, plan, guard, apply and record: the run of one target after the shared read of Entra. */
export async function runTargetPass(
  ctx: PassContext,
  p: Pass,
  request: SyncRunOptions,
  source: MutableSourceDirectory,
  warmTarget: MutableTargetState | undefined,
  fields: string,
  lock: LockHandle,
  finish: PassFinish,
): Promise<SyncRunResult> {
  const { signal } = request;
  const { cache } = ctx;
  const { progress, policy } = p;
  // 2. Read the target; 3. plan.
  progress('reading-target', 0, null, true);
  const onProgress = (n: number) => progress('reading-target', n, null);
  let targetState: MutableTargetState;
  let prepared: PreparedTarget | undefined;
  if (p.target === 'local') {
    targetState = warmTarget ?? (await readTargetState(ctx.localTarget, { signal, onProgress }));
  } else {
    prepared = await p.target.prepare({ source, policy, signal, onProgress });
    targetState = prepared.state;
  }
  const applyTarget = prepared?.target ?? ctx.localTarget;
  const remember = () => {
    // Only the embedded directory is cached: a remote target changes behind our back.
    if (!cache || p.target !== 'local') return;
    cache.generation = bumpGeneration(ctx.db);
    cache.sourceKey = ctx.sourceKey;
    cache.fields = fields;
    cache.source = source;
    cache.target = targetState;
  };
  progress('planning', 0, null, true);
  const steps = planSteps(source, targetState, policy);
  let plan: Plan;
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) {
      plan = step.value;
      break;
    }
    progress('planning', step.value, null);
    signal?.throwIfAborted();
    await yieldToEventLoop();
  }
  if (prepared && prepared.warnings.length > 0) plan = { ...plan, warnings: [...prepared.warnings, ...plan.warnings] };
  p.plan = plan;

  // 4. Guard.
  let confirmation: Confirmation | undefined;
  if (request.confirmRunId) {
    const blocked = ctx.history.getRun(request.confirmRunId);
    // With several targets, a confirmation holds for the one target its run belongs to.
    const forThisTarget = !blocked || (blocked.targetId ?? localTargetId) === p.targetId;
    if (forThisTarget) {
      if (!blocked || blocked.status !== 'blocked' || blocked.confirmedByRunId) {
        throw new AppError(
          'confirmation-invalid',
          'That confirmation is not valid: the run was not blocked, or its confirmation was already used.',
        );
      }
      confirmation = { runId: blocked.id, keys: ctx.history.itemKeys(blocked.id, destructivePlanItemKinds) };
    }
  }
  const guard = checkPlan(plan, policy.safety, confirmation);
  p.guard = guard;

  if (request.dryRun || !guard.allowed) {
    progress('finishing', 0, plan.items.length, true);
    await ctx.recordPlanned(p.runId, plan);
    if (!guard.allowed) p.notes.push(guard.message);
    remember();
    return finish(p, request.dryRun ? 'succeeded' : 'blocked');
  }
  if (guard.confirmedRunId && !ctx.history.consumeConfirmation(guard.confirmedRunId, p.runId)) {
    throw new AppError('confirmation-invalid', 'That confirmation was used by another run meanwhile.');
  }

  // 5. Apply.
  const total = plan.items.length;
  let done = 0;
  // Any process's cache of this database is stale from here on, even if this run dies half-way.
  bumpGeneration(ctx.db);
  prepared?.beforeApply?.();
  const calls = callsSince(prepared);
  progress('applying', 0, total, true, calls?.());
  const result = await applyPlan({
    target: applyTarget,
    items: plan.items,
    signal,
    batchSize: ctx.batchSize,
    onBatch: async (results) => {
      await ctx.history.recordItems(p.runId, results);
      applyOutcomes(targetState, results);
      done += results.length;
      lock.heartbeat();
      progress('applying', done, total, false, calls?.());
    },
  });
  progress('applying', done, total, true, calls?.());
  if (!result.cancelled) remember();
  p.notes.push(...(prepared?.notes?.() ?? []));
  if (result.failed > 0) p.notes.push(`${result.failed} items failed; the next sync retries them.`);
  const status: RunStatus = result.cancelled ? 'cancelled' : result.failed > 0 ? 'partial' : 'succeeded';
  return finish(p, status, {
    applied: result.applied,
    failedItems: result.failed,
    error: result.cancelled
      ? { code: 'cancelled', message: 'The sync was cancelled; the items applied so far are kept.' }
      : undefined,
  });
}

/** A remote target's calls since now, from its pacer: how many, and whether its rate limit held them back. */
function callsSince(prepared: PreparedTarget | undefined): (() => PhaseCalls) | undefined {
  const pace = prepared?.pace;
  if (!pace) return undefined;
  const start = pace.stats();
  return () => {
    const now = pace.stats();
    const held = now.waitedMs > start.waitedMs || now.throttled > start.throttled;
    return { requests: now.requests - start.requests, limitedBy: held ? pace.product : null };
  };
}
