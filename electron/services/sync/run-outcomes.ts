/**
 * What happens when a run of the sync service ends: its outcome (run, plan summary, verdict) is kept for the last
 * few runs, its name conflicts saved with the history, and it is logged, sent as `sync:finished`, notified when
 * the brake held it, and handed to every run-finished listener (one failing listener does not stop the others).
 */
import type { SyncOutcome } from '../../../shared/contract/sync';
import { localTargetId } from '../../../shared/targets';
import type { EventSink } from '../app/events';
import type { Logger, Notifier } from '../ports';
import { blockedRunNotification } from './blocked-notification';
import type { ConflictStore } from './conflict-store';
import type { SyncRunResult } from '../../../shared/sync';
import { summarisePlan } from './plan-summary';

const rememberedOutcomes = 20;

export interface RunOutcomes {
  /** Keeps, logs and announces a finished run; returns its outcome. */
  publish(result: SyncRunResult): SyncOutcome;
  /** The outcome of a run while it is among the last few. */
  remembered(runId: string): SyncOutcome | undefined;
  onRunFinished(listener: (outcome: SyncOutcome) => void): () => void;
}

/** The run endings of one sync service. `targets` names them in a notification. */
export function createRunOutcomes(deps: {
  readonly conflictStore: ConflictStore;
  readonly events: EventSink;
  readonly logger: Logger;
  readonly notifier?: Notifier;
  readonly targets: () => readonly { readonly id: string; readonly name: string }[];
}): RunOutcomes {
  const { logger } = deps;
  const listeners = new Set<(outcome: SyncOutcome) => void>();
  const outcomes = new Map<string, SyncOutcome>();

  function remember(outcome: SyncOutcome): void {
    outcomes.set(outcome.run.id, outcome);
    while (outcomes.size > rememberedOutcomes) outcomes.delete(outcomes.keys().next().value as string);
  }

  return {
    publish(result) {
      deps.conflictStore.save(result.run.id, result.plan?.conflicts ?? []);
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
      deps.events.emit('sync:finished', outcome);
      const notification = blockedRunNotification(outcome, deps.targets);
      if (notification) deps.notifier?.notify(notification);
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
    },
    remembered: (runId) => outcomes.get(runId),
    onRunFinished(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
