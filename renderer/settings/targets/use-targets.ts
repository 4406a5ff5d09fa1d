import { useEffect } from 'react';
import type { TargetList } from '../../../shared/contract/targets';
import { call, on, type ApiError } from '../../api/client';
import { useLive } from '../../api/use-live';

/** The sync targets (the embedded directory first), kept current by `targets:changed` from any window. */
export function useTargets() {
  // Kept current by targets:changed; an answer older than the latest change is dropped (see useLive).
  const live = useLive('targets:changed', () => call('targets:list', undefined));
  const { reload } = live;
  // A finished run changes a target's "last run".
  useEffect(() => on('sync:finished', reload), [reload]);
  return { list: live.value, error: live.error as ApiError | undefined, reload };
}

/** A target's name for the plan and the history; the id itself when the target was removed since. */
export function targetName(list: TargetList | undefined, id: string | undefined): string {
  const key = id ?? 'local';
  return list?.targets.find((t) => t.id === key)?.name ?? (key === 'local' ? 'Embedded directory' : 'A removed target');
}
