/**
 * What the scheduler needs of the sync, and the adapter from the app's SyncService.
 *
 * The scheduler only starts runs with trigger `scheduled` and reads whether one is running; keeping it to this
 * port lets its tests drive runs that take (fake) time, fail or overlap, without a database or a tenant.
 *
 * A scheduled run syncs every target (the embedded directory and each of Settings → Targets), Entra read once.
 * Its attempt is judged on all of them: failed if any target failed, else partial, else held by the brake, else
 * succeeded; the error names each target that did not succeed. A retry runs only the targets that failed.
 */
import type { SyncOutcome } from '../../../shared/contract/sync';
import { AppError } from '../../../shared/errors';
import { localTargetId } from '../../../shared/targets';
import type { SyncService } from '../sync/sync-service';

type AttemptStatus = 'succeeded' | 'partial' | 'failed' | 'blocked' | 'cancelled';

/** How one target of a scheduled attempt ended. */
export interface TargetAttempt {
  readonly targetId: string;
  readonly name: string;
  readonly status: AttemptStatus;
  readonly runId: string;
  readonly error: { readonly code: string; readonly message: string } | null;
}

/** How one scheduled attempt ended. */
export interface ScheduledAttempt {
  readonly status: AttemptStatus;
  /** Null when the run could not even start (no connection, secret expired, another run holds the lock). */
  readonly runId: string | null;
  readonly error: { readonly code: string; readonly message: string } | null;
  /** Each target's ending, when the run had more than the embedded directory. */
  readonly targets?: readonly TargetAttempt[];
  /** The targets another attempt should run (those that failed or applied only partly); absent: all of them. */
  readonly retryTargets?: readonly string[];
}

export interface ScheduledSync {
  /** True while any sync runs in this app (Sync now included). */
  isRunning(): boolean;
  /** Runs one sync with trigger `scheduled` (into `only` these targets, when given); never rejects. */
  runScheduled(only?: readonly string[]): Promise<ScheduledAttempt>;
}

/** Worst first: the status of an attempt is that of its worst target. */
const severity: readonly AttemptStatus[] = ['failed', 'partial', 'blocked', 'cancelled', 'succeeded'];

function endingOf(outcome: SyncOutcome): Pick<ScheduledAttempt, 'status' | 'error'> {
  const { run } = outcome;
  const status = run.status === 'running' ? 'failed' : run.status;
  const error =
    run.error ??
    (status === 'partial'
      ? { code: 'partial', message: `${run.failedItems} change(s) could not be applied.` }
      : status === 'blocked'
        ? { code: 'blocked', message: 'The safety brake held the plan: it would disable or delete too many users.' }
        : null);
  return { status, error };
}

/** One attempt from the outcomes of its targets (one outcome: exactly that run's ending, as before targets). */
export function attemptOf(outcomes: readonly SyncOutcome[], names: ReadonlyMap<string, string>): ScheduledAttempt {
  const first = outcomes[0]!;
  if (outcomes.length === 1) return { ...endingOf(first), runId: first.run.id };
  const targets: TargetAttempt[] = outcomes.map((o) => {
    const targetId = o.run.targetId ?? localTargetId;
    return { targetId, name: names.get(targetId) ?? targetId, runId: o.run.id, ...endingOf(o) };
  });
  const worst = [...targets].sort((a, b) => severity.indexOf(a.status) - severity.indexOf(b.status))[0]!;
  const notOk = targets.filter((t) => t.status !== 'succeeded');
  const error = worst.error
    ? {
        code: worst.error.code,
        message: notOk.map((t) => `${t.name}: ${t.error?.message ?? `ended as ${t.status}.`}`).join(' '),
      }
    : null;
  return {
    status: worst.status,
    runId: worst.runId,
    error,
    targets,
    retryTargets: targets.filter((t) => t.status === 'failed' || t.status === 'partial').map((t) => t.targetId),
  };
}

/** The SyncService as the scheduler's port. */
export function scheduledSyncOf(sync: Pick<SyncService, 'runAll' | 'targets' | 'status'>): ScheduledSync {
  return {
    isRunning: () => sync.status().state === 'running',
    async runScheduled(only) {
      try {
        const outcomes = await sync.runAll({ trigger: 'scheduled', ...(only ? { targetIds: only } : {}) });
        return attemptOf(outcomes, new Map(sync.targets().map((t) => [t.id, t.name])));
      } catch (error) {
        if (error instanceof AppError)
          return { status: 'failed', runId: null, error: { code: error.code, message: error.message } };
        return {
          status: 'failed',
          runId: null,
          error: { code: 'internal-error', message: 'The sync failed inside the app. The details are in the log file.' },
        };
      }
    },
  };
}
