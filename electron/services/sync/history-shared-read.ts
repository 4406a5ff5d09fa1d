import type { SharedRead } from '../../../shared/sync';
import type { Clock } from '../ports';

/**
 * The Graph requests of one run, counted once however many targets it writes to.
 *
 * Entra is read once for every target of a run; were each target's history row to carry the run's request count,
 * a run into four targets would show the read four times and any total over the history would multiply it. So each
 * row counts the requests sent since the row finished before it: the first row finished carries the read, the
 * others only what Graph was asked while their own pass ran (normally nothing), and with more than one target every
 * row says how many targets shared the read and which row counts it.
 *
 * Time is counted the same way: every row starts when the run does, but its duration runs from when the row before
 * it finished (its own pass) — the first row's includes the read, and a target that failed at once shows a second,
 * not the time the run had taken so far.
 */
export interface GraphRequestLedger {
  /** What the row of the run `runId` (into `targetId`) records as it finishes; call once per row. */
  take(
    runId: string,
    targetId: string,
  ): {
    readonly graphRequests: number;
    readonly sharedRead: SharedRead | null;
    /** Where this row's own time starts (ISO); null for the first row, whose time starts with the run. */
    readonly passStartedAt: string | null;
  };
}

/** A ledger for a run into `targets` targets; `requestsSoFar` counts the run's Graph requests up to now. */
export function graphRequestLedger(targets: number, requestsSoFar: () => number, clock?: Clock): GraphRequestLedger {
  let counted = 0;
  let lastTakenAt: string | null = null;
  let countedOn: { runId: string; targetId: string } | undefined;
  return {
    take(runId, targetId) {
      countedOn ??= { runId, targetId };
      const all = requestsSoFar();
      const own = Math.max(0, all - counted);
      counted = Math.max(counted, all);
      const sharedRead = targets > 1 ? { targets, countedOnRunId: countedOn.runId, countedOnTargetId: countedOn.targetId } : null;
      const passStartedAt = lastTakenAt;
      lastTakenAt = (clock?.now() ?? new Date()).toISOString();
      return { graphRequests: own, sharedRead, passStartedAt };
    },
  };
}
