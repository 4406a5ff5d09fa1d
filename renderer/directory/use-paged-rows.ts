import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Paged } from '../../shared/sync';
import type { ApiError } from '../api/client';

const pageSize = 200;
/** Pages kept in memory; scrolling far away drops the oldest (100k rows never all sit in the renderer). */
const maxPages = 30;

interface Cache<T> {
  readonly pages: Map<number, readonly T[]>;
  readonly inFlight: Set<number>;
  live: boolean;
}

/**
 * Rows of a server-side list, loaded page by page as they scroll into view. `queryKey` names the query (tab,
 * search, filters): when it changes, a new cache starts and answers to the old query are dropped.
 */
export function usePagedRows<T>(queryKey: string, fetchPage: (offset: number, limit: number) => Promise<Paged<T>>) {
  const [attempt, setAttempt] = useState(0);
  // One cache per query (and retry): a mutable store the callbacks below fill, never read during render directly.
  const cache = useMemo<Cache<T>>(() => ({ pages: new Map(), inFlight: new Set(), live: true }), [queryKey, attempt]); // eslint-disable-line react-hooks/exhaustive-deps
  const [state, setState] = useState<{
    cache: Cache<T> | null;
    total: number | null;
    error: { code: string; message: string } | null;
    version: number;
  }>({
    cache: null,
    total: null,
    error: null,
    version: 0,
  });

  const load = useCallback(
    (index: number) => {
      if (!cache.live || cache.pages.has(index) || cache.inFlight.has(index)) return;
      cache.inFlight.add(index);
      fetchPage(index * pageSize, pageSize).then(
        (page) => {
          cache.inFlight.delete(index);
          if (!cache.live) return;
          cache.pages.set(index, page.items);
          while (cache.pages.size > maxPages) cache.pages.delete(cache.pages.keys().next().value as number);
          setState((s) => ({ cache, total: page.total, error: null, version: s.version + 1 }));
        },
        (e: ApiError) => {
          cache.inFlight.delete(index);
          if (cache.live)
            setState((s) => ({
              cache,
              total: s.cache === cache ? s.total : null,
              error: { code: e.code ?? 'internal-error', message: e.message },
              version: s.version + 1,
            }));
        },
      );
    },
    [cache, fetchPage],
  );

  useEffect(() => {
    load(0);
    return () => {
      cache.live = false;
    };
  }, [cache, load]);

  const current = state.cache === cache;
  /** Loads the pages holding rows `first`..`last` (inclusive). */
  const ensureRange = useCallback(
    (first: number, last: number) => {
      for (let p = Math.floor(first / pageSize); p <= Math.floor(last / pageSize); p++) load(p);
    },
    [load],
  );
  // rowAt reads the mutable cache; depending on `version` gives it a new identity whenever a page arrives, so the
  // table re-renders the rows that were placeholders.
  const version = state.version;
  const rowAt = useCallback(
    (index: number): T | undefined =>
      version >= 0 ? cache.pages.get(Math.floor(index / pageSize))?.[index % pageSize] : undefined,
    [cache, version],
  );

  return {
    total: current ? state.total : null,
    error: current ? state.error : null,
    rowAt,
    ensureRange,
    retry: () => setAttempt((n) => n + 1),
  };
}
