import { z } from 'zod';
import {
  directoryQuerySchema,
  planItemKinds,
  syncPolicySchema,
  type DirectoryGroupRow,
  type DirectoryUserRow,
  type GuardVerdict,
  type ItemOutcome,
  type Paged,
  type PlanConflict,
  type PlanCounts,
  type PlanRisk,
  type PlanScope,
  type PlanWarning,
  type RunTrigger,
  type SyncPolicy,
  type SyncProgressEvent,
  type SyncRunItemRecord,
  type SyncRunRecord,
} from '../sync';
import type { ConflictObject, ConflictObjectKind } from '../name-rules';

/**
 * The sync and the embedded directory: policy, dry run, Sync now, cancel, status, history (runs, items, export),
 * the tenant's groups for the "required groups" picker, and the directory browser.
 *
 * Starting a run (`sync:dryRun`, `sync:runNow`) answers as soon as the run has an id; the run then reports through
 * `sync:progress` and ends with `sync:finished` (also seen by other windows and after a reload, via `sync:status`).
 */

const itemOutcomes = ['planned', 'applied', 'unchanged', 'failed', 'skipped'] as const satisfies readonly ItemOutcome[];
const exportFormat = z.enum(['csv', 'json']);
const runId = z.string().min(1).max(100);
/**
 * Which target a run is for (a target id of Settings → Targets): absent or `local`, the embedded directory, as before
 * targets existed — which is also what the engine's single-target run does.
 */
const targetRef = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
  .optional();

export const syncRequests = {
  'sync:getPolicy': z.undefined(),
  /** Saves the policy (defaults applied); returns it as stored. */
  'sync:savePolicy': z.object({ policy: syncPolicySchema }).strict(),
  'sync:status': z.undefined(),
  /** Reads and plans without changing anything; the plan's items are listed with `sync:runItems`. */
  'sync:dryRun': z.object({ full: z.boolean().default(false), target: targetRef }).strict(),
  /**
   * Read, plan, guard, apply. `confirmBrake`: the id of a blocked run whose plan the admin confirmed (one use).
   * `target: 'all'` (the dashboard's Sync now): the embedded directory and every target, Entra read once, each with
   * its own plan, brake and history row (`all` is a reserved target name, never an id).
   */
  'sync:runNow': z.object({ full: z.boolean().default(false), confirmBrake: runId.optional(), target: targetRef }).strict(),
  'sync:cancel': z.undefined(),
  'sync:runs': z
    .object({
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(50),
      /** Only the runs of this target (`local`: the embedded directory); absent: every target's. */
      targetId: z.string().min(1).max(63).optional(),
    })
    .strict(),
  'sync:run': z.object({ runId }).strict(),
  'sync:runItems': z
    .object({
      runId,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
      kind: z.enum(planItemKinds).optional(),
      outcome: z.enum(itemOutcomes).optional(),
      search: z.string().max(200).optional(),
    })
    .strict(),
  'sync:exportRun': z.object({ runId, format: exportFormat }).strict(),
  /** The name conflicts of a run (kept in the history), each object with its page in the Entra admin center. */
  'sync:runConflicts': z.object({ runId }).strict(),
  /** The tenant's groups whose name contains `search`, plus the groups named in `include` (the current picks). */
  'sync:tenantGroups': z
    .object({
      search: z.string().max(200).default(''),
      include: z.array(z.string().min(1).max(100)).max(500).default([]),
      limit: z.number().int().min(1).max(500).default(50),
      /** Read the list from Graph again instead of the copy of the last few minutes. */
      refresh: z.boolean().default(false),
    })
    .strict(),
  'directory:summary': z.undefined(),
  'directory:users': directoryQuerySchema.strict(),
  'directory:groups': directoryQuerySchema.strict(),
  'directory:groupMembers': directoryQuerySchema.extend({ groupId: z.string().min(1).max(40) }).strict(),
  'directory:userGroups': directoryQuerySchema.extend({ userId: z.string().min(1).max(40) }).strict(),
  'directory:export': z.object({ kind: z.enum(['users', 'groups', 'memberships']), format: exportFormat }).strict(),
  /**
   * Empties the embedded directory, the run history and the source snapshot of the connection in use (the next sync
   * reads everything). Refused (`already-running`) while a sync runs.
   */
  'directory:reset': z.undefined(),
} as const;

/** A plan without its items (which can be 100k long: they are paged from the run's history). */
export interface PlanSummary {
  readonly counts: PlanCounts;
  readonly risk: PlanRisk;
  readonly scope: PlanScope;
  /** The first conflicts and warnings (at most 200 each); the totals say how many there were. */
  readonly conflicts: readonly PlanConflict[];
  readonly conflictTotal: number;
  readonly warnings: readonly PlanWarning[];
  readonly warningTotal: number;
}

/** What a dry run was computed from: the settings' revision, the directory's state marker, and when. */
export interface PlanBasis {
  /** A hash of the sync policy the plan used. */
  readonly settingsRevision: string;
  /** The id of the target's last real run when the plan was made (null: none yet); any later sync changes it. */
  readonly directoryMarker: string | null;
  readonly computedAt: string;
}

/** Why a dry run no longer describes what a sync would do: settings changed, a sync ran since, or not recorded. */
export type PlanOutdatedReason = 'settings' | 'directory' | 'unknown';

/** Whether a dry run is still current (`outdated` empty); only then may it be applied from the preview. */
export interface PlanFreshness {
  readonly basis: PlanBasis | null;
  readonly outdated: readonly PlanOutdatedReason[];
}

/** What a finished run tells: its record, and — while the app remembers it — the plan summary and the brake's verdict. */
export interface SyncOutcome {
  readonly run: SyncRunRecord;
  readonly plan: PlanSummary | null;
  readonly guard: GuardVerdict | null;
  /** For a dry run asked for with `sync:run`: whether it is still current. */
  readonly freshness?: PlanFreshness;
}

/** The run in progress in this app. */
export interface ActiveRun {
  readonly runId: string;
  readonly trigger: RunTrigger;
  readonly dryRun: boolean;
  readonly full: boolean;
  readonly startedAt: string;
  /** The target the run is for (`local`: the embedded directory). */
  readonly targetId?: string;
  /** The latest progress event, null before the first. */
  readonly progress: SyncProgressEvent | null;
}

/** A target's last real run, for the dashboard's one line per target. */
export interface TargetLastRun {
  readonly id: string;
  readonly name: string;
  readonly lastRun: SyncRunRecord | null;
}

/**
 * Whether a sync runs now, and the last real (not dry) run. `targets`: the embedded directory and each target with
 * its own last run, present only when more than the embedded directory exists.
 */
export type SyncStatus =
  | { readonly state: 'idle'; readonly lastRun: SyncRunRecord | null; readonly targets?: readonly TargetLastRun[] }
  | {
      readonly state: 'running';
      readonly active: ActiveRun;
      readonly lastRun: SyncRunRecord | null;
      readonly targets?: readonly TargetLastRun[];
    };

/** A started run: follow it with `sync:progress` and `sync:finished`. */
export interface SyncStarted {
  readonly runId: string;
}

/**
 * Where an export went. Exports are streamed (a run can have millions of items), never returned as one string:
 * the desktop app writes the file the admin chose (`saved`, or `cancelled` when the dialog was closed); the browser
 * host answers with a one-time `download` URL the page opens, which streams the file.
 */
export type ExportResult =
  | { readonly status: 'saved'; readonly fileName: string; readonly path: string; readonly rows: number }
  | { readonly status: 'download'; readonly fileName: string; readonly url: string }
  | { readonly status: 'cancelled' };

/** A group of the tenant, for the "required groups" picker. */
export interface TenantGroupOption {
  readonly id: string;
  readonly displayName: string | null;
  readonly description: string | null;
  /** The group's e-mail address (Microsoft 365 and mail-enabled groups); null for others. Tells duplicates apart. */
  readonly mail?: string | null;
  /** Direct members, when the last sync read them; null when only the group list was read. */
  readonly memberCount: number | null;
}

export interface TenantGroupList {
  readonly items: readonly TenantGroupOption[];
  /** Groups matching the search (items holds the first `limit`). */
  readonly total: number;
  /** The groups asked for by id in `include`, as far as they still exist. */
  readonly included: readonly TenantGroupOption[];
  /** When the list was read from Graph. */
  readonly readAt: string;
}

/** A conflict as a run's result shows it: every object with its page in the Entra admin center. */
export interface ConflictView extends Omit<PlanConflict, 'objects' | 'kind'> {
  readonly kind: ConflictObjectKind;
  readonly objects: readonly (ConflictObject & { readonly portalUrl: string })[];
}

export interface RunConflictList {
  /** The first conflicts of the run (at most 200); `total` says how many there were. */
  readonly conflicts: readonly ConflictView[];
  readonly total: number;
}

/** Totals of the embedded directory. */
export interface DirectorySummary {
  readonly users: number;
  readonly activeUsers: number;
  readonly groups: number;
  readonly memberships: number;
}

export interface SyncResults {
  'sync:getPolicy': SyncPolicy;
  'sync:savePolicy': SyncPolicy;
  'sync:status': SyncStatus;
  'sync:dryRun': SyncStarted;
  'sync:runNow': SyncStarted;
  'sync:cancel': { readonly cancelled: boolean };
  'sync:runs': Paged<SyncRunRecord>;
  'sync:run': SyncOutcome;
  'sync:runItems': Paged<SyncRunItemRecord>;
  'sync:exportRun': ExportResult;
  'sync:runConflicts': RunConflictList;
  'sync:tenantGroups': TenantGroupList;
  'directory:summary': DirectorySummary;
  'directory:users': Paged<DirectoryUserRow>;
  'directory:groups': Paged<DirectoryGroupRow>;
  'directory:groupMembers': Paged<DirectoryUserRow>;
  'directory:userGroups': Paged<DirectoryGroupRow>;
  'directory:export': ExportResult;
  'directory:reset': { readonly runs: number; readonly users: number; readonly groups: number };
}

export interface SyncEvents {
  /** Progress of the running sync (at most ~10 a second). */
  'sync:progress': SyncProgressEvent;
  /** A run ended (any trigger, dry runs included). */
  'sync:finished': SyncOutcome;
}
