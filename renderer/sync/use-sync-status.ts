import { useCallback, useEffect, useRef, useState } from 'react';
import type { ActiveRun, SyncOutcome, SyncStatus } from '../../shared/contract/sync';
import { ApiError, call, on } from '../api/client';

/** What a start or cancel failed with: code and message, shown with what to do. */
export interface ActionError {
  readonly code: string;
  readonly message: string;
}

const asActionError = (error: unknown): ActionError =>
  error instanceof ApiError
    ? { code: error.code, message: error.message }
    : { code: 'internal-error', message: error instanceof Error ? error.message : String(error) };

/**
 * The sync as a screen sees it: the status (loaded, then kept current by `sync:progress` and `sync:finished`),
 * the run in progress, the last run that finished while the screen was open, and start/cancel actions.
 */
export function useSyncStatus(onFinished?: (outcome: SyncOutcome) => void) {
  const [status, setStatus] = useState<SyncStatus>();
  const onFinishedRef = useRef(onFinished);
  useEffect(() => {
    onFinishedRef.current = onFinished;
  }, [onFinished]);
  const [finished, setFinished] = useState<SyncOutcome | null>(null);
  const [actionError, setActionError] = useState<ActionError | null>(null);
  const [loadError, setLoadError] = useState<ActionError | null>(null);
  const mounted = useRef(true);
  // Answers to sync:status can arrive out of order (a refresh asked while the run went on answers after the one
  // asked when it finished): only the latest asked counts, and a run known to have finished is never shown running.
  const asked = useRef(0);
  const ended = useRef(new Set<string>());
  const stillRunning = (next: SyncStatus) => next.state === 'running' && ended.current.has(next.active.runId);

  const refresh = useCallback(async () => {
    const mine = ++asked.current;
    try {
      const next = await call('sync:status', undefined);
      if (mounted.current && mine === asked.current && !stillRunning(next)) {
        setStatus(next);
        setLoadError(null);
      }
    } catch (error) {
      if (mounted.current) setLoadError(asActionError(error));
    }
  }, []);

  useEffect(() => {
    mounted.current = true;
    const first = ++asked.current;
    call('sync:status', undefined).then(
      (next) => mounted.current && first === asked.current && !stillRunning(next) && setStatus(next),
      (error: unknown) => mounted.current && setLoadError(asActionError(error)),
    );
    const offProgress = on('sync:progress', (event) =>
      setStatus((current) => {
        if (ended.current.has(event.runId)) return current;
        const lastRun = current?.lastRun ?? null;
        const active: ActiveRun =
          current?.state === 'running' && (current.active.runId === event.runId || current.active.runId === '')
            ? { ...current.active, runId: event.runId, progress: event }
            : {
                runId: event.runId,
                trigger: 'manual',
                dryRun: false,
                full: false,
                startedAt: new Date().toISOString(),
                progress: event,
              };
        return { state: 'running', active, lastRun };
      }),
    );
    const offFinished = on('sync:finished', (outcome) => {
      ended.current.add(outcome.run.id);
      setFinished(outcome);
      // Each target's line keeps its last run (this one's target takes the finished run) until the refresh answers.
      setStatus((current) => {
        const { run } = outcome;
        const targets = current?.targets?.map((t) =>
          !run.dryRun && t.id === (run.targetId ?? 'local') ? { ...t, lastRun: run } : t,
        );
        return { state: 'idle', lastRun: run.dryRun ? (current?.lastRun ?? null) : run, ...(targets ? { targets } : {}) };
      });
      onFinishedRef.current?.(outcome);
      void refresh();
    });
    return () => {
      mounted.current = false;
      offProgress();
      offFinished();
    };
  }, [refresh]);

  /** Starts a run; resolves with its id, or null when it could not start (the error is in `actionError`). */
  const start = useCallback(
    async (
      kind: 'dryRun' | 'runNow',
      options: { full?: boolean; confirmBrake?: string; target?: string } = {},
    ): Promise<string | null> => {
      setActionError(null);
      setFinished(null);
      try {
        const started =
          kind === 'dryRun'
            ? await call('sync:dryRun', { full: options.full, target: options.target })
            : await call('sync:runNow', { full: options.full, confirmBrake: options.confirmBrake, target: options.target });
        void refresh();
        return started.runId;
      } catch (error) {
        setActionError(asActionError(error));
        void refresh();
        return null;
      }
    },
    [refresh],
  );

  const cancel = useCallback(async () => {
    try {
      await call('sync:cancel', undefined);
    } catch (error) {
      setActionError(asActionError(error));
    }
  }, []);

  const active = status?.state === 'running' ? status.active : null;
  return { status, active, finished, actionError, loadError, start, cancel, refresh, clearError: () => setActionError(null) };
}
