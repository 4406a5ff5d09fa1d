/** Whether a run reads Entra in full or continues from the stored delta links, and why. */
import type { SourceStateStore } from './source-state';

/** Why this run must read everything, or null when a delta read can continue from the stored links. */
export function whyFull(
  state: ReturnType<SourceStateStore['info']>,
  sourceKey: string,
  fields: string,
  forced: boolean,
  reconcileHours: number,
  now: Date,
): string | null {
  if (forced) return 'a full read was asked for';
  if (!state) return 'no earlier complete read is stored';
  if (state.sourceKey !== sourceKey) return 'the tenant, app or cloud changed';
  if (state.fields !== fields) return 'the attribute mapping changed';
  if (!state.deltaLinks) return 'no delta links are stored';
  if (reconcileHours > 0 && state.lastFullAt && now.getTime() - Date.parse(state.lastFullAt) > reconcileHours * 3_600_000) {
    return `the last full read is older than ${reconcileHours} hours (periodic reconcile)`;
  }
  return null;
}
