import type { SyncRunRecord } from './sync-run';

/**
 * How a run's Graph requests read when Entra was read once for several targets: the history list, the run details
 * and the terminal say it with the same words, so no row looks as if it had read Entra again.
 */

type RunReadFacts = Pick<SyncRunRecord, 'id' | 'graphRequests' | 'sharedRead'>;

/** True on the row that counts the shared read's requests (or on a run that read for itself alone). */
export const countsTheRead = (run: RunReadFacts): boolean => !run.sharedRead || run.sharedRead.countedOnRunId === run.id;

/**
 * One sentence about a shared read, or null when the run read Entra for its own target alone. `nameOf` names the
 * target whose row counts the read.
 */
export function sharedReadSentence(run: RunReadFacts, nameOf: (targetId: string) => string): string | null {
  const shared = run.sharedRead;
  if (!shared || shared.targets < 2) return null;
  const once = `Entra was read once for ${shared.targets} targets`;
  if (countsTheRead(run)) return `${once}; its Graph requests are counted on this run only.`;
  return `${once}; its Graph requests are counted on the run into ${nameOf(shared.countedOnTargetId)}, not again here.`;
}

/** The Graph requests as a table cell: `4`, `4 (read shared by 3 targets)`, `0 (read counted on Embedded directory)`. */
export function graphRequestsCell(
  run: RunReadFacts,
  nameOf: (targetId: string) => string,
  format: (n: number) => string = (n) => n.toLocaleString('en-US'),
): string {
  const shared = run.sharedRead;
  const count = format(run.graphRequests);
  if (!shared || shared.targets < 2) return count;
  return countsTheRead(run)
    ? `${count} (read shared by ${shared.targets} targets)`
    : `${count} (read counted on ${nameOf(shared.countedOnTargetId)})`;
}
