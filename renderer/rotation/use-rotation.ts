import { useCallback, useEffect, useRef, useState } from 'react';
import type { RotationInfo, RotationResult } from '../../shared/contract/schedule';
import type { ValidationReport } from '../../shared/validation';
import { call, on } from '../api/client';

/** The rotation's state: what is in use, the live test of the new secret, and its outcome. */
export interface RotationState {
  readonly info: RotationInfo | undefined;
  readonly loadError: Error | undefined;
  /** The test report as it comes in (`connection:progress`), then the final one. */
  readonly report: ValidationReport | undefined;
  readonly running: boolean;
  readonly result: RotationResult | undefined;
  readonly error: Error | undefined;
  replace(secret: string): Promise<RotationResult | undefined>;
  reload(): void;
}

/** Loads `rotation:get`, follows reminders, and runs `rotation:replace` with live progress. */
export function useRotation(): RotationState {
  const [info, setInfo] = useState<RotationInfo>();
  const [loadError, setLoadError] = useState<Error>();
  const [report, setReport] = useState<ValidationReport>();
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<RotationResult>();
  const [error, setError] = useState<Error>();
  const [attempt, setAttempt] = useState(0);
  const active = useRef<{ runId?: string } | undefined>(undefined);

  useEffect(() => {
    let cancelled = false;
    call('rotation:get', undefined).then(
      (value) => !cancelled && (setInfo(value), setLoadError(undefined)),
      (e: Error) => !cancelled && setLoadError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  useEffect(() => {
    const offs = [
      on('reminders:changed', (reminders) => setInfo((i) => (i ? { ...i, reminders } : i))),
      on('connection:changed', () => setAttempt((n) => n + 1)),
      // Only the test this view started: the first progress event after the click names its run.
      on('connection:progress', (progress) => {
        const run = active.current;
        if (!run) return;
        run.runId ??= progress.runId;
        if (run.runId === progress.runId) setReport(progress.report);
      }),
    ];
    return () => offs.forEach((off) => off());
  }, []);

  const replace = useCallback(async (secret: string) => {
    active.current = {};
    setRunning(true);
    setError(undefined);
    setResult(undefined);
    setReport(undefined);
    try {
      const outcome = await call('rotation:replace', { secret });
      setResult(outcome);
      if (outcome.report) setReport(outcome.report);
      setInfo((i) => (i ? { ...i, reminders: outcome.reminders } : i));
      return outcome;
    } catch (e) {
      setError(e as Error);
      return undefined;
    } finally {
      active.current = undefined;
      setRunning(false);
    }
  }, []);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { info, loadError, report, running, result, error, replace, reload };
}
