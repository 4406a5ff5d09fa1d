import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConnectionTestInput } from '../../shared/contract/connection';
import type { ValidationReport } from '../../shared/validation';
import { call, on } from '../api/client';

/** The state of "Test connection" in one view: the live report, whether it runs, and a request failure. */
export interface ConnectionTestState {
  readonly report: ValidationReport | undefined;
  readonly running: boolean;
  readonly error: Error | undefined;
  /** Runs the test; resolves to the final report, or undefined when the request itself failed. */
  run(input: ConnectionTestInput): Promise<ValidationReport | undefined>;
  /** Forgets the shown report (the values changed, so it no longer describes them). */
  reset(): void;
}

/**
 * Runs `connection:test` and follows its `connection:progress` events, so each check shows as it finishes.
 * Only events of the run this view started are shown.
 */
export function useConnectionTest(initial?: ValidationReport): ConnectionTestState {
  const [report, setReport] = useState<ValidationReport | undefined>(initial);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<Error>();
  const active = useRef<{ runId?: string } | undefined>(undefined);

  useEffect(
    () =>
      on('connection:progress', (progress) => {
        const run = active.current;
        if (!run) return;
        run.runId ??= progress.runId;
        if (run.runId === progress.runId) setReport(progress.report);
      }),
    [],
  );

  const run = useCallback(async (input: ConnectionTestInput) => {
    active.current = {};
    setRunning(true);
    setError(undefined);
    setReport(undefined);
    try {
      const final = await call('connection:test', input);
      setReport(final);
      return final;
    } catch (e) {
      setError(e as Error);
      return undefined;
    } finally {
      active.current = undefined;
      setRunning(false);
    }
  }, []);

  const reset = useCallback(() => {
    if (!active.current) setReport(undefined);
  }, []);

  return { report, running, error, run, reset };
}
