import type { SyncRunRecord } from '../../shared/sync';
import { formatCount, total } from './format';

/**
 * What a run did, in one sentence each: how it read Entra and how it ended. Shared by the dashboard and the history
 * so a run is never described by what a plan "would" do once it was applied, nor by two sentences that disagree.
 */

/** How the run read Entra: a delta read only fetches what changed, but the plan still covers everything known. */
export function readLabel(run: Pick<SyncRunRecord, 'mode'>): string {
  return run.mode === 'delta' ? 'Changes since the last read' : 'Everything (full read)';
}

const changes = (n: number) => `${formatCount(n)} ${n === 1 ? 'change' : 'changes'}`;

/**
 * The one sentence for a cancelled run: whether anything was applied before the cancel (and is kept) and what to do.
 */
export function cancelledSentence(run: Pick<SyncRunRecord, 'applied' | 'planned'>): string {
  const applied = total(run.applied);
  const planned = total(run.planned);
  if (applied === 0) return 'The sync was cancelled before any change was applied. Run it again when you are ready.';
  const of = planned > applied ? ` of ${formatCount(planned)}` : '';
  return `The sync was cancelled after ${formatCount(applied)}${of} ${applied === 1 ? 'change was' : 'changes were'} applied; they are kept. Run it again to apply the rest.`;
}

/** The run's result in one line, for the dashboard's last sync. */
export function resultSentence(
  run: Pick<SyncRunRecord, 'status' | 'dryRun' | 'applied' | 'planned' | 'failedItems'>,
  countsByKind: string,
): string {
  const planned = total(run.planned);
  switch (run.status) {
    case 'blocked':
      return `Planned, not applied: ${countsByKind}`;
    case 'cancelled':
      return cancelledSentence(run);
    case 'failed':
      return total(run.applied) === 0 ? 'Nothing was applied.' : `Applied before it stopped: ${countsByKind}`;
    case 'running':
      return `Running: ${changes(planned)} planned.`;
    case 'succeeded':
    case 'partial':
      if (run.dryRun) return planned === 0 ? 'Dry run: nothing would change.' : `Dry run, nothing applied: ${countsByKind}`;
      return total(run.applied) === 0 && run.failedItems === 0
        ? 'No changes: the directory already matched Entra ID.'
        : countsByKind || 'No change was applied.';
  }
}
