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

/** `(read shared by 3 targets)` on the row counting a shared read, `(read counted on X)` on the others; else empty. */
function sharedReadSuffix(run: RunReadFacts, nameOf: (targetId: string) => string): string {
  const shared = run.sharedRead;
  if (!shared || shared.targets < 2) return '';
  return countsTheRead(run)
    ? ` (read shared by ${shared.targets} targets)`
    : ` (read counted on ${nameOf(shared.countedOnTargetId)})`;
}

const defaultFormat = (n: number) => n.toLocaleString('en-US');

/** The Graph requests as a table cell: `4`, `4 (read shared by 3 targets)`, `0 (read counted on Embedded directory)`. */
export function graphRequestsCell(
  run: RunReadFacts,
  nameOf: (targetId: string) => string,
  format: (n: number) => string = defaultFormat,
): string {
  return format(run.graphRequests) + sharedReadSuffix(run, nameOf);
}

/** The same in a sentence's list of facts: `0 Graph requests (read counted on Embedded directory)`. */
export function graphRequestsPhrase(
  run: RunReadFacts,
  nameOf: (targetId: string) => string,
  format: (n: number) => string = defaultFormat,
): string {
  const noun = run.graphRequests === 1 ? 'Graph request' : 'Graph requests';
  return `${format(run.graphRequests)} ${noun}${sharedReadSuffix(run, nameOf)}`;
}
