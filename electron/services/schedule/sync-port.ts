/**
 * What the scheduler needs of the sync, and the adapter from the app's SyncService.
 *
 * The scheduler only starts runs with trigger `scheduled` and reads whether one is running; keeping it to this
 * port lets its tests drive runs that take (fake) time, fail or overlap, without a database or a tenant.
 */
import { AppError } from '../../../shared/errors';
import type { SyncService } from '../sync/sync-service';

/** How one scheduled attempt ended. */
export interface ScheduledAttempt {
  readonly status: 'succeeded' | 'partial' | 'failed' | 'blocked' | 'cancelled';
  /** Null when the run could not even start (no connection, secret expired, another run holds the lock). */
  readonly runId: string | null;
  readonly error: { readonly code: string; readonly message: string } | null;
}

export interface ScheduledSync {
  /** True while any sync runs in this app (Sync now included). */
  isRunning(): boolean;
  /** Runs one sync with trigger `scheduled`; never rejects. */
  runScheduled(): Promise<ScheduledAttempt>;
}

/** The SyncService as the scheduler's port. */
export function scheduledSyncOf(sync: Pick<SyncService, 'runNow' | 'status'>): ScheduledSync {
  return {
    isRunning: () => sync.status().state === 'running',
    async runScheduled() {
      try {
        const { run } = await sync.runNow({ trigger: 'scheduled' });
        const status = run.status === 'running' ? 'failed' : run.status;
        const error =
          run.error ??
          (status === 'partial'
            ? { code: 'partial', message: `${run.failedItems} change(s) could not be applied.` }
            : status === 'blocked'
              ? { code: 'blocked', message: 'The safety brake held the plan: it would disable or delete too many users.' }
              : null);
        return { status, runId: run.id, error };
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
