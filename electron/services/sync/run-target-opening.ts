/**
 * Opening the targets of one run: the embedded directory as `'local'`, every other target through the host's
 * `openTarget`. One target asked for: a failure to open it stops the run; several: that target's pass fails with
 * the reason while the others run.
 */
import { AppError } from '../../../shared/errors';
import type { SyncPolicyInput } from '../../../shared/sync';
import { localTargetId } from '../../../shared/targets';
import type { SqliteDatabase } from './database';
import type { EngineTarget } from './engine-target';
import type { SyncServiceOptions } from './sync-service';

/** A target opened for a run, closed when the run ends. */
export type OpenedTarget = { readonly target: EngineTarget; close(): Promise<void> };

/** A target that could not be opened for a run of several: its pass fails with the reason, the others run. */
function unopenedTarget(id: string, error: unknown): EngineTarget {
  return {
    id,
    prepare: () =>
      Promise.reject(
        error instanceof AppError
          ? error
          : new AppError('target-failed', 'The target could not be opened for this sync; the details are in the log.'),
      ),
  };
}

/** Opens the run's targets in order; each one opened is pushed to `opened` at once, so the caller can close it. */
export async function openRunTargets(
  targetIds: readonly string[],
  openTarget: SyncServiceOptions['openTarget'],
  use: { readonly db: SqliteDatabase; readonly globalPolicy: () => SyncPolicyInput },
  opened: OpenedTarget[],
): Promise<(EngineTarget | 'local')[]> {
  const { db } = use;
  const runTargets: (EngineTarget | 'local')[] = [];
  for (const targetId of targetIds) {
    if (targetId === localTargetId) {
      runTargets.push('local');
      continue;
    }
    try {
      if (!openTarget) throw new AppError('target-not-found', 'This app syncs into the embedded directory only.');
      const one = await openTarget(targetId, { db, globalPolicy: use.globalPolicy() });
      opened.push(one);
      runTargets.push(one.target);
    } catch (error) {
      // One target asked for: the run cannot start. Several: this one fails in its own history row.
      if (targetIds.length === 1) throw error;
      runTargets.push(unopenedTarget(targetId, error));
    }
  }
  return runTargets;
}
