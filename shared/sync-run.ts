/** Runs, their history and progress: what a sync run records and reports to every host. */
import type { GuardVerdict } from './brake';
import type { Plan, PlanCounts, PlanItemKind } from './sync-plan';

export const runTriggers = ['manual', 'scheduled', 'terminal'] as const;
export type RunTrigger = (typeof runTriggers)[number];
export type RunMode = 'full' | 'delta';
export const runStatuses = ['running', 'succeeded', 'failed', 'blocked', 'cancelled', 'partial'] as const;
export type RunStatus = (typeof runStatuses)[number];

/** Error codes a sync run can end with. */
export type SyncErrorCode =
  | 'already-running'
  | 'locked-by-other-host'
  | 'graph-read-failed'
  | 'graph-answer-invalid'
  | 'target-read-failed'
  | 'target-failed'
  /** A remote target refused its token or password (401). */
  | 'target-token-rejected'
  /** A remote target's account lacks the permission the sync needs (403). */
  | 'target-forbidden'
  /** A remote target could not be reached, kept failing (5xx, too many requests) or its calls were stopped. */
  | 'target-unavailable'
  | 'cancelled'
  | 'interrupted'
  | 'invalid-policy'
  | 'confirmation-invalid'
  | 'internal-error';

export interface SyncErrorShape {
  readonly code: SyncErrorCode;
  readonly message: string;
}

/** One run as the history shows it. Times are ISO strings. */
export interface SyncRunRecord {
  readonly id: string;
  readonly trigger: RunTrigger;
  readonly mode: RunMode;
  readonly dryRun: boolean;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
  readonly planned: PlanCounts;
  readonly applied: PlanCounts;
  readonly failedItems: number;
  readonly conflicts: number;
  /**
   * The Graph requests counted on this row. A run into several targets reads Entra once: the read's requests are
   * counted on the first target's row only (see {@link SharedRead}), so adding up rows never multiplies them.
   */
  readonly graphRequests: number;
  /** Set when Entra was read once for several targets of one run; null (or absent in old records) otherwise. */
  readonly sharedRead?: SharedRead | null;
  readonly error: SyncErrorShape | null;
  /** Things the admin should know about this run, e.g. "delta token expired: full read". */
  readonly notes: readonly string[];
  /** Set when this blocked run's plan was confirmed and used by a later run. */
  readonly confirmedByRunId: string | null;
  /** The target synced into (`local`: the embedded directory; shared/targets.ts). Absent in records of old hosts. */
  readonly targetId?: string;
}

/** One Entra read shared by the targets of a run (`entra-sync sync --target all`, Sync now into every target). */
export interface SharedRead {
  /** How many targets the read served, this one included. */
  readonly targets: number;
  /** The row that counts the read's Graph requests: the run into the first target (its own id on that row). */
  readonly countedOnRunId: string;
  readonly countedOnTargetId: string;
}

export type ItemOutcome = 'planned' | 'applied' | 'unchanged' | 'failed' | 'skipped';

/** One plan item of a run, with what happened to it. */
export interface SyncRunItemRecord {
  readonly runId: string;
  readonly seq: number;
  readonly kind: PlanItemKind;
  readonly key: string;
  readonly label: string;
  readonly reason: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly outcome: ItemOutcome;
  readonly error: SyncErrorShape | { readonly code: string; readonly message: string } | null;
}

export type SyncPhase = 'starting' | 'reading-source' | 'reading-target' | 'planning' | 'applying' | 'finishing';

/** Progress of the running sync, sent to every host (IPC event, WebSocket, terminal line). */
export interface SyncProgressEvent {
  readonly runId: string;
  /** The target this run writes to (`local` for the embedded directory); each target of a run has its own runId. */
  readonly targetId?: string;
  readonly phase: SyncPhase;
  readonly done: number;
  /** Null while the total is unknown (paging through Graph). */
  readonly total: number | null;
  /** Objects or items per second over the phase so far. */
  readonly ratePerSecond: number | null;
  readonly message?: string;
  /** A remote target's calls while applying: "42 requests/s, limited by Jira". */
  readonly pace?: SyncPace;
}

/** The pace of a remote target's calls over the phase so far. */
export interface SyncPace {
  readonly requestsPerSecond: number;
  /** The product whose rate limit held the calls back (its headers made the pacer wait, or it answered 429). */
  readonly limitedBy: string | null;
}

/** What a finished `sync` call returns (also the shape behind `entra-sync sync --json`). */
export interface SyncRunResult {
  readonly run: SyncRunRecord;
  readonly plan: Plan | null;
  readonly guard: GuardVerdict | null;
}

/** A page of anything listed by the history or the directory browser. */
export interface Paged<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
}
