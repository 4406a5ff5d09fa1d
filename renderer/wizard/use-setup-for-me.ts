import { useCallback, useEffect, useState } from 'react';
import type { RequestArgs, RequestChannel, RequestResults } from '../../shared/ipc';
import { call, on } from '../api/client';
import { useLive } from '../api/use-live';

/**
 * The "Set it up for me" flow as the window sees it: the core's state (pushed on `setupForMe:changed`), the
 * sign-in page opened in a new tab when the core asks (browser host; Electron opens the system browser itself),
 * and the requests that move it on. Errors of a request land in `error`.
 */
export function useSetupForMe() {
  // Pushed on setupForMe:changed; the first read's answer is dropped when a change came first (see useLive): a flow
  // started at once would otherwise be shown as not started.
  const live = useLive('setupForMe:changed', () => call('setupForMe:get', undefined));
  const state = live.value ?? null;
  const setState = live.set;
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  useEffect(
    () =>
      on('setupForMe:openBrowser', ({ url }) => {
        // Only Microsoft's (or a custom cloud's) https sign-in page; never anything else.
        if (/^https:\/\//.test(url)) window.open(url, '_blank', 'noopener,noreferrer');
      }),
    [],
  );

  const send = useCallback(
    async <C extends RequestChannel>(channel: C, args: RequestArgs<C>): Promise<RequestResults[C] | undefined> => {
      setError(undefined);
      setBusy(true);
      try {
        return await call(channel, args);
      } catch (e) {
        setError(e as Error);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [],
  );

  return { state, setState, error, setError, busy, send };
}

/** Seconds left of a replication wait, counted down from when the core announced it. */
export function useCountdown(retryInSeconds: number | undefined, at: string | undefined): number | undefined {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (retryInSeconds === undefined) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [retryInSeconds, at]);
  if (retryInSeconds === undefined || at === undefined) return undefined;
  return Math.max(0, Math.ceil(retryInSeconds - (now - Date.parse(at)) / 1000));
}
