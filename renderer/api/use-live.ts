import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventChannel, EventPayloads } from '../../shared/ipc';
import { on } from './client';
import { liveValue, type LiveValue } from './live-value';

/**
 * A value read once and kept current by its change event (`connection:get` + `connection:changed`, …), with the
 * answers taken in the order things happened (see `liveValue`): a read answered after a newer event is dropped.
 * `reload` reads again; `set` shows a value a request of this screen answered with (it is the newest there is).
 */
export function useLive<E extends EventChannel>(event: E, read: () => Promise<EventPayloads[E]>) {
  const [value, setValue] = useState<EventPayloads[E]>();
  const [error, setError] = useState<Error>();
  const readRef = useRef(read);
  const live = useRef<LiveValue<EventPayloads[E]>>(undefined);
  useEffect(() => {
    readRef.current = read;
  }, [read]);
  useEffect(() => {
    const current = liveValue<EventPayloads[E]>(
      (next) => {
        setValue(next);
        setError(undefined);
      },
      (e) => setError(e instanceof Error ? e : new Error(String(e))),
    );
    live.current = current;
    const off = on(event, (payload) => current.push(payload));
    current.load(() => readRef.current());
    return () => {
      current.close();
      off();
    };
  }, [event]);
  const reload = useCallback(() => live.current?.load(() => readRef.current()), []);
  const set = useCallback((next: EventPayloads[E]) => live.current?.push(next), []);
  return { value, error, reload, set };
}

/**
 * The latest answer of a read asked again whenever `key` changes (a run ended, a retry): an earlier read answered
 * after a later one is dropped.
 */
export function useLatestRead<T>(key: unknown, read: () => Promise<T>) {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<Error>();
  const readRef = useRef(read);
  const live = useRef<LiveValue<T>>(undefined);
  useEffect(() => {
    readRef.current = read;
  }, [read]);
  useEffect(() => {
    const current = liveValue<T>(
      (next) => {
        setValue(next);
        setError(undefined);
      },
      (e) => setError(e instanceof Error ? e : new Error(String(e))),
    );
    live.current = current;
    return () => current.close();
  }, []);
  useEffect(() => {
    live.current?.load(() => readRef.current());
  }, [key]);
  return { value, error };
}
