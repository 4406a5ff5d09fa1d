/** The engine's progress events for one run. */
import type { SyncPhase, SyncProgressEvent } from '../../../shared/sync';
import type { Clock } from '../ports';

/** Progress events, at most ~10 per second per phase (phase changes always go out). */
export function progressEmitter(runId: string, sink: ((event: SyncProgressEvent) => void) | undefined, clock: Clock) {
  let phase: SyncPhase | undefined;
  let phaseStart = 0;
  let last = 0;
  return (next: SyncPhase, done: number, total: number | null, force = false) => {
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
    sink({ runId, phase: next, done, total, ratePerSecond: seconds > 0 ? Math.round(done / seconds) : null });
  };
}
