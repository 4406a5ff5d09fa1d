import { useCallback, useEffect, useState } from 'react';
import type { TargetList } from '../../../shared/contract/targets';
import { call, on, type ApiError } from '../../api/client';

/** The sync targets (the embedded directory first), kept current by `targets:changed` from any window. */
export function useTargets() {
  const [list, setList] = useState<TargetList>();
  const [error, setError] = useState<ApiError>();
  const reload = useCallback(() => {
    call('targets:list', undefined).then(
      (l) => {
        setList(l);
        setError(undefined);
      },
      (e: ApiError) => setError(e),
    );
  }, []);
  useEffect(() => {
    reload();
    const offChanged = on('targets:changed', setList);
    // A finished run changes a target's "last run".
    const offFinished = on('sync:finished', reload);
    return () => {
      offChanged();
      offFinished();
    };
  }, [reload]);
  return { list, error, reload };
}

/** A target's name for the plan and the history; the id itself when the target was removed since. */
export function targetName(list: TargetList | undefined, id: string | undefined): string {
  const key = id ?? 'local';
  return list?.targets.find((t) => t.id === key)?.name ?? (key === 'local' ? 'Embedded directory' : 'A removed target');
}
