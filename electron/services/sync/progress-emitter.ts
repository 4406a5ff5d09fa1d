/** The engine's progress events for one run. */
import type { SyncPhase, SyncProgressEvent } from '../../../shared/sync';
import type { Clock } from '../ports';

/** A remote target's calls in the phase so far, for the event's pace. */
export interface PhaseCalls {
  readonly requests: number;
  readonly limitedBy: string | null;
}

/** Progress events, at most ~10 per second per phase (phase changes always go out). */
export function progressEmitter(
  runId: string,
  sink: ((event: SyncProgressEvent) => void) | undefined,
  clock: Clock,
  targetId?: string,
) {
  let phase: SyncPhase | undefined;
  let phaseStart = 0;
  let last = 0;
  return (next: SyncPhase, done: number, total: number | null, force = false, calls?: PhaseCalls) => {
    if (!sink) return;
    const now = clock.now().getTime();
    if (next !== phase) {
      phase = next;
      phaseStart = now;
      force = true;
    }
    if (!force && now - last < 100) return;
    last = now;
    const seconds = (now - phaseStart) / 1000;
    const event: SyncProgressEvent = {
      runId,
      ...(targetId !== undefined ? { targetId } : {}),
      phase: next,
      done,
      total,
      ratePerSecond: seconds > 0 ? Math.round(done / seconds) : null,
    };
    sink(
      calls && seconds > 0
        ? { ...event, pace: { requestsPerSecond: Math.round(calls.requests / seconds), limitedBy: calls.limitedBy } }
        : event,
    );
  };
}
