import type { PlanWarning, SyncPolicy, SyncPolicyInput } from '../../../shared/sync';
import type { DirectoryTarget } from '../targets/directory-target';
import type { PaceStats } from '../targets/remote/pacer';
import type { SourceDirectory } from './model';
import type { MutableTargetState } from './state-cache';

/**
 * A target as one engine run sees it beside the embedded directory: Entra is read once per run, then each target
 * is read, planned, braked, applied and recorded on its own (its own history row, keyed by {@link EngineTarget.id}).
 * Remote targets are prepared after the read because what they read depends on it (Jira reads back only the groups
 * the sync manages or Entra wants) and because matching pre-existing accounts needs Entra's users.
 */
export interface EngineTarget {
  readonly id: string;
  /** This target's own sync settings; absent: the run's. */
  readonly policy?: SyncPolicyInput;
  prepare(input: PrepareInput): Promise<PreparedTarget>;
}

export interface PrepareInput {
  readonly source: SourceDirectory;
  readonly policy: SyncPolicy;
  readonly signal?: AbortSignal;
  readonly onProgress: (done: number) => void;
}

export interface PreparedTarget {
  /** What the apply writes to. */
  readonly target: DirectoryTarget;
  readonly state: MutableTargetState;
  /** Said in the plan before anything changes (matches, protected accounts). */
  readonly warnings: readonly PlanWarning[];
  /** Before the first write of a real apply (never in a dry run or a held run): keep the matches as links. */
  beforeApply?(): void;
  /** Sentences for the run's notes after the apply (read-only accounts, user limit). */
  notes?(): readonly string[];
  /** A remote target's pacer, for the pace in the progress ("42 requests/s, limited by Jira"). */
  readonly pace?: { readonly product: string; stats(): PaceStats };
}
