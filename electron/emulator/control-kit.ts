/**
 * What every product emulator's control API offers alike (jira/, confluence/ and crowd/control.ts): faults injected
 * on the REST requests and the counts since start, a snapshot of which is what `counters()` returns.
 */
import type { JiraFaults, JiraFaultSettings } from './jira/control';

/** Faults and counts, in process as `emu.control.*`. */
export interface FaultAndCounterControl<C> {
  setFaults(settings: JiraFaultSettings): void;
  clearFaults(): void;
  /** A copy of the counts since start (or `resetCounters`). */
  counters(): C;
  resetCounters(): void;
}

/** The fault and counter calls over an emulator's live `counters` (reset to `empty()`). */
export function faultAndCounterControl<C extends object>(
  faults: Pick<JiraFaults, 'set'>,
  counters: C,
  empty: () => C,
): FaultAndCounterControl<C> {
  return {
    setFaults: (settings) => faults.set(settings),
    clearFaults: () => faults.set({}),
    counters: () => structuredClone(counters),
    resetCounters: () => void Object.assign(counters, empty()),
  };
}
