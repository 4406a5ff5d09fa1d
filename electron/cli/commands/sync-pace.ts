/**
 * The remote pace of `entra-sync sync`: each target's pacer, kept when the engine prepares the target, and the
 * pace the progress showed while applying, as the `--json` line's "pace" and the summary's "Pace:" line.
 */
import type { SyncPace } from '../../../shared/sync';
import type { EngineTarget, PreparedTarget } from '../../services/sync/engine-target';
import type { PaceStats } from '../../services/targets/remote/pacer';

/** A remote target's pace in the `--json` line: the progress's figures while applying, and the pacer's totals. */
export interface RunPace {
  /** The last applying progress event's pace; absent when nothing was applied. */
  readonly applying?: SyncPace;
  readonly stats: PaceStats;
}

/** The `--json` line's "pace": null for a target without a pacer (the embedded directory). */
export function paceJson(pace: RunPace | undefined) {
  if (!pace) return null;
  const { applying, stats } = pace;
  return {
    requestsPerSecond: applying?.requestsPerSecond ?? null,
    limitedBy: applying?.limitedBy ?? null,
    requests: stats.requests,
    throttled: stats.throttled,
    allowedPerSecond: stats.allowedPerSecond === null ? null : Math.round(stats.allowedPerSecond * 100) / 100,
    waitedMs: Math.round(stats.waitedMs),
  };
}

/** The remote pace under a target's summary: the progress's figures while applying, and the totals. */
export function paceLine(stats: PaceStats | undefined, applying: SyncPace | undefined): string {
  if (!stats) return '';
  const rate = applying
    ? `${applying.requestsPerSecond} requests/s while applying${applying.limitedBy ? `, limited by ${applying.limitedBy}` : ''}; `
    : '';
  return `Pace: ${rate}${stats.requests} requests, ${stats.throttled} answered 429.\n`;
}

/** A target of this sync, and (once the engine prepared it) its pacer, for the pace in the `--json` line. */
export interface ChosenTarget {
  readonly name: string;
  readonly target: EngineTarget | 'local';
  pacer(): PreparedTarget['pace'];
}

/** Keeps the pacer of the prepared target: the engine prepares it during the run and keeps it to itself. */
export function withPacer(name: string, target: EngineTarget): ChosenTarget {
  let pace: PreparedTarget['pace'];
  return {
    name,
    target: {
      id: target.id,
      ...(target.policy ? { policy: target.policy } : {}),
      prepare: async (input) => {
        const prepared = await target.prepare(input);
        pace = prepared.pace;
        return prepared;
      },
    },
    pacer: () => pace,
  };
}
