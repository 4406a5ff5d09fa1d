import type { TargetLastRun } from '../../shared/contract/sync';
import { emptyPlanCounts, type PlanCounts, type RunStatus, type SyncErrorShape, type SyncRunRecord } from '../../shared/sync';
import { formatCount } from './format';

/**
 * A run into several targets as one: Sync now writes one history row per target, all sharing one read of Entra
 * (`sharedRead.countedOnRunId`), and the newest row is just the last target's — a failed last target must not make
 * the whole run read "Failed · Nothing was applied" when the others applied their changes.
 */
export interface WholeRun {
  /** How many targets the run was for. */
  readonly targets: number;
  /** The rows of the run still listed (a target removed since has none), in the order of the targets. */
  readonly rows: readonly { readonly name: string; readonly run: SyncRunRecord }[];
  /** "10 of 11 targets succeeded, 1 failed", "All 3 targets succeeded". */
  readonly headline: string;
  /** For the badge: succeeded when every target did, failed when none applied anything, partial in between. */
  readonly status: RunStatus;
  readonly planned: PlanCounts;
  readonly applied: PlanCounts;
  readonly failedItems: number;
  /** Adds up: the shared read is counted on one row only. */
  readonly graphRequests: number;
  /** The rows' own durations added up (each row times its own pass). */
  readonly durationMs: number | null;
  /** The targets that failed, each with its own reason. */
  readonly failures: readonly { readonly name: string; readonly runId: string; readonly error: SyncErrorShape }[];
}

const outcomeWords: readonly [RunStatus, (n: number) => string][] = [
  ['failed', () => 'failed'],
  ['partial', (n) => (n === 1 ? 'applied only part of its changes' : 'applied only part of their changes')],
  ['blocked', () => 'held by the safety brake'],
  ['cancelled', () => 'cancelled'],
  ['running', () => 'still running'],
];

/** The whole run `last` belongs to, from each target's last run; null for a run into one target. */
export function wholeRunOf(last: SyncRunRecord, targets: readonly TargetLastRun[] | undefined): WholeRun | null {
  const shared = last.sharedRead;
  if (!shared || shared.targets < 2 || !targets) return null;
  const rows = targets.flatMap(({ name, lastRun }) =>
    lastRun?.sharedRead?.countedOnRunId === shared.countedOnRunId ? [{ name, run: lastRun.id === last.id ? last : lastRun }] : [],
  );
  if (!rows.some((r) => r.run.id === last.id)) return null;
  const count = (status: RunStatus) => rows.filter((r) => r.run.status === status).length;
  const ok = count('succeeded');
  const others = outcomeWords.flatMap(([status, words]) => {
    const n = count(status);
    return n > 0 ? [`${formatCount(n)} ${words(n)}`] : [];
  });
  const unlisted = shared.targets - rows.length;
  if (unlisted > 0) others.push(`${formatCount(unlisted)} not listed (synced again or removed since)`);
  const n = shared.targets;
  const headline =
    others.length === 0
      ? `${n === 2 ? 'Both' : `All ${formatCount(n)}`} targets succeeded`
      : `${formatCount(ok)} of ${formatCount(n)} targets succeeded, ${others.join(', ')}`;
  const sum = (pick: (run: SyncRunRecord) => PlanCounts): PlanCounts => {
    const out: Record<string, number> = { ...emptyPlanCounts() };
    for (const { run } of rows) for (const [k, v] of Object.entries(pick(run))) out[k] = (out[k] ?? 0) + v;
    return out as PlanCounts;
  };
  const applied = sum((r) => r.applied);
  const anyApplied = Object.values(applied).some((v) => v > 0);
  const status: RunStatus =
    ok === rows.length
      ? 'succeeded'
      : rows.every((r) => r.run.status === 'blocked')
        ? 'blocked'
        : ok === 0 && !anyApplied
          ? 'failed'
          : 'partial';
  const durations = rows.map((r) => r.run.durationMs);
  return {
    targets: n,
    rows,
    headline,
    status,
    planned: sum((r) => r.planned),
    applied,
    failedItems: rows.reduce((s, r) => s + r.run.failedItems, 0),
    graphRequests: rows.reduce((s, r) => s + r.run.graphRequests, 0),
    durationMs: durations.some((d) => d === null) ? null : durations.reduce((s: number, d) => s + d!, 0),
    failures: rows.flatMap(({ name, run }) =>
      run.status === 'failed' && run.error ? [{ name, runId: run.id, error: run.error }] : [],
    ),
  };
}

/** `4 Graph requests (Entra read once for 11 targets)`: the rows' requests added up, the read counted once. */
export function wholeRunRequests(whole: Pick<WholeRun, 'graphRequests' | 'targets'>): string {
  const noun = whole.graphRequests === 1 ? 'Graph request' : 'Graph requests';
  return `${formatCount(whole.graphRequests)} ${noun} (Entra read once for ${formatCount(whole.targets)} targets)`;
}
