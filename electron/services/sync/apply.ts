import { AppError } from '../../../shared/errors';
import { emptyPlanCounts, type PlanItem, type PlanItemKind } from '../../../shared/sync';
import { TargetError, type BatchItemResult, type DirectoryTarget, type WriteResult } from '../targets/directory-target';
import { yieldToEventLoop } from './database';
import type { RecordedItem } from './history-store';

/**
 * Applies a plan's items to a target in their plan order, kind by kind (groups and users exist before memberships
 * are added), in batches: through the target's `applyBatch` when it has one (one transaction per batch), otherwise
 * one operation per item with the target's concurrency. Between batches it checks for cancellation and yields to
 * the event loop.
 *
 * A {@link TargetError} fails only its item (recorded, the run goes on). Anything else — the database failing, a
 * bug — stops the run: applying on in an unknown state is not "safe". Because every item is idempotent, running the
 * sync again after either kind of stop converges.
 */

export interface ApplyOptions {
  readonly target: DirectoryTarget;
  readonly items: readonly PlanItem[];
  readonly signal?: AbortSignal;
  /** Items per batch (default 5,000). */
  readonly batchSize?: number;
  /** Called after each batch with its outcomes (history, progress, lock heartbeat). */
  readonly onBatch: (results: readonly RecordedItem[]) => void | Promise<void>;
}

export interface ApplyResult {
  readonly applied: Record<PlanItemKind, number>;
  readonly unchanged: number;
  readonly failed: number;
  readonly cancelled: boolean;
}

/** Kinds whose conflicts can clear up within the same run (a name freed by a later rename): retried once more. */
const retryOnConflict = new Set<PlanItemKind>(['update-user', 'create-user', 'update-group', 'create-group']);

/** Applies `items`; throws {@link AppError} `target-failed` when the target fails in a way that is not per-item. */
export async function applyPlan(options: ApplyOptions): Promise<ApplyResult> {
  const { target, items, signal } = options;
  const batchSize = options.batchSize ?? 5_000;
  const applied = emptyPlanCounts();
  let unchanged = 0;
  let failed = 0;

  const record = async (results: RecordedItem[]) => {
    for (const r of results) {
      if (r.outcome === 'applied') applied[r.item.kind]++;
      else if (r.outcome === 'unchanged') unchanged++;
      else if (r.outcome === 'failed') failed++;
    }
    await options.onBatch(results);
  };

  let start = 0;
  while (start < items.length) {
    const kind = items[start]!.kind;
    let end = start;
    while (end < items.length && items[end]!.kind === kind) end++;
    let deferred: PlanItem[] = [];
    for (let i = start; i < end; i += batchSize) {
      if (signal?.aborted) return { applied, unchanged, failed, cancelled: true };
      const batch = items.slice(i, Math.min(i + batchSize, end));
      const results = await runBatch(target, batch);
      const final: RecordedItem[] = [];
      for (const r of results) {
        if (r.outcome === 'failed' && r.error?.code === 'conflict' && retryOnConflict.has(kind)) deferred.push(r.item);
        else final.push(r);
      }
      await record(final);
      await yieldToEventLoop();
    }
    // Renames that waited for a name another item of this kind frees: retry while that makes progress.
    for (let pass = 0; deferred.length > 0; pass++) {
      if (signal?.aborted) return { applied, unchanged, failed, cancelled: true };
      const results = await runBatch(target, deferred);
      const stillConflicting = results.filter((r) => r.outcome === 'failed' && r.error?.code === 'conflict');
      const giveUp = pass >= 3 || stillConflicting.length === deferred.length;
      await record(giveUp ? results : results.filter((r) => !stillConflicting.includes(r)));
      deferred = giveUp ? [] : stillConflicting.map((r) => r.item);
    }
    start = end;
  }
  return { applied, unchanged, failed, cancelled: false };
}

async function runBatch(target: DirectoryTarget, batch: readonly PlanItem[]): Promise<RecordedItem[]> {
  let results: readonly BatchItemResult[];
  try {
    results = target.applyBatch ? await target.applyBatch(batch) : await applyOneByOne(target, batch);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError(
      'target-failed',
      `The target failed while applying the plan: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return batch.map((item, i) => {
    const r = results[i];
    if (!r)
      return {
        item,
        outcome: 'failed',
        error: { code: 'target-failed', message: 'The target returned no outcome for this item.' },
      };
    return r.outcome === 'failed' ? { item, outcome: 'failed', error: r.error } : { item, outcome: r.outcome };
  });
}

/** The generic path for targets without batches: single operations, `maxConcurrency` at a time, in order. */
async function applyOneByOne(target: DirectoryTarget, batch: readonly PlanItem[]): Promise<BatchItemResult[]> {
  const results: BatchItemResult[] = new Array(batch.length);
  let next = 0;
  const worker = async () => {
    while (next < batch.length) {
      const i = next++;
      try {
        results[i] = { outcome: await applyItem(target, batch[i]!) };
      } catch (error) {
        if (!(error instanceof TargetError)) throw error;
        results[i] = { outcome: 'failed', error: { code: error.code, message: error.message } };
      }
    }
  };
  const workers = Math.max(1, Math.min(target.capabilities.maxConcurrency, batch.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

/** One item through the target's single operations. */
export function applyItem(target: DirectoryTarget, item: PlanItem): Promise<WriteResult> {
  switch (item.kind) {
    case 'create-user':
      return target.createUser(item.externalId, item.after, item.active);
    case 'update-user':
      return target.updateUser(item, item.after);
    case 'enable-user':
    case 'disable-user':
      return target.setUserActive(item, item.kind === 'enable-user');
    case 'delete-user':
      return target.deleteUser(item);
    case 'create-group':
      return target.createGroup(item.externalId, item.after);
    case 'update-group':
      return target.updateGroup(item, item.after);
    case 'delete-group':
      return target.deleteGroup(item);
    case 'add-member':
    case 'remove-member': {
      const group = { externalId: item.groupExternalId, name: item.groupName };
      const user = { externalId: item.userExternalId, username: item.username };
      return item.kind === 'add-member' ? target.addMember(group, user) : target.removeMember(group, user);
    }
  }
}
