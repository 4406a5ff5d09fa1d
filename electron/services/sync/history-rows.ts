/**
 * The run history's tables and their rows: the schema, how a row reads back as a run or an item record, and the
 * before/after values kept for a plan item.
 */
import {
  emptyPlanCounts,
  type ItemOutcome,
  type PlanCounts,
  type PlanItem,
  type PlanItemKind,
  type RunMode,
  type RunStatus,
  type RunTrigger,
  type SharedRead,
  type SyncErrorShape,
  type SyncRunItemRecord,
  type SyncRunRecord,
} from '../../../shared/sync';

/**
 * The tables, created when missing (`target_id` and `shared_read` are added by `createHistoryStore`, to older
 * databases too).
 */
export const schema = [
  `CREATE TABLE IF NOT EXISTS sync_runs (
     id TEXT PRIMARY KEY, trigger TEXT NOT NULL, mode TEXT NOT NULL, dry_run INTEGER NOT NULL, status TEXT NOT NULL,
     started_at TEXT NOT NULL, finished_at TEXT, duration_ms INTEGER, planned TEXT NOT NULL, applied TEXT NOT NULL,
     failed_items INTEGER NOT NULL DEFAULT 0, conflicts INTEGER NOT NULL DEFAULT 0, graph_requests INTEGER NOT NULL DEFAULT 0,
     error_code TEXT, error_message TEXT, notes TEXT NOT NULL DEFAULT '[]', confirmed_by_run_id TEXT, host_id TEXT NOT NULL,
     item_count INTEGER NOT NULL DEFAULT 0)`,
  'CREATE INDEX IF NOT EXISTS sync_runs_started ON sync_runs(started_at)',
  `CREATE TABLE IF NOT EXISTS sync_run_items (
     run_id TEXT NOT NULL REFERENCES sync_runs(id) ON DELETE CASCADE, seq INTEGER NOT NULL, kind TEXT NOT NULL,
     key TEXT NOT NULL, label TEXT NOT NULL, reason TEXT NOT NULL, before TEXT, after TEXT, outcome TEXT NOT NULL,
     error_code TEXT, error_message TEXT, PRIMARY KEY (run_id, seq)) WITHOUT ROWID`,
];

export interface RunRow {
  id: string;
  trigger: RunTrigger;
  mode: RunMode;
  dry_run: number;
  status: RunStatus;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  planned: string;
  applied: string;
  failed_items: number;
  conflicts: number;
  graph_requests: number;
  error_code: string | null;
  error_message: string | null;
  notes: string;
  confirmed_by_run_id: string | null;
  target_id: string;
  /** JSON of a {@link SharedRead}; null when the run read Entra for this target alone. */
  shared_read: string | null;
}

export function toRun(row: RunRow): SyncRunRecord {
  return {
    id: row.id,
    trigger: row.trigger,
    mode: row.mode,
    dryRun: row.dry_run === 1,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    planned: { ...emptyPlanCounts(), ...(JSON.parse(row.planned) as Partial<PlanCounts>) },
    applied: { ...emptyPlanCounts(), ...(JSON.parse(row.applied) as Partial<PlanCounts>) },
    failedItems: row.failed_items,
    conflicts: row.conflicts,
    graphRequests: row.graph_requests,
    sharedRead: row.shared_read ? (JSON.parse(row.shared_read) as SharedRead) : null,
    error: row.error_code ? ({ code: row.error_code, message: row.error_message ?? '' } as SyncErrorShape) : null,
    notes: JSON.parse(row.notes) as string[],
    confirmedByRunId: row.confirmed_by_run_id,
    targetId: row.target_id,
  };
}

export interface ItemRow {
  run_id: string;
  seq: number;
  kind: PlanItemKind;
  key: string;
  label: string;
  reason: string;
  before: string | null;
  after: string | null;
  outcome: ItemOutcome;
  error_code: string | null;
  error_message: string | null;
}

export function toItem(row: ItemRow): SyncRunItemRecord {
  return {
    runId: row.run_id,
    seq: row.seq,
    kind: row.kind,
    key: row.key,
    label: row.label,
    reason: row.reason,
    before: row.before === null ? null : JSON.parse(row.before),
    after: row.after === null ? null : JSON.parse(row.after),
    outcome: row.outcome,
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
  };
}

/** The before/after values history keeps for an item. */
export function itemBeforeAfter(item: PlanItem): { before: unknown; after: unknown } {
  switch (item.kind) {
    case 'create-user':
      return { before: null, after: { ...item.after, active: item.active } };
    case 'update-user':
    case 'update-group':
      return { before: item.before, after: item.after };
    case 'enable-user':
    case 'disable-user':
      return { before: { active: item.kind === 'disable-user' }, after: { active: item.kind === 'enable-user' } };
    case 'delete-user':
      return { before: { username: item.username }, after: null };
    case 'create-group':
      return { before: null, after: item.after };
    case 'delete-group':
      return { before: { name: item.name }, after: null };
    case 'add-member':
      return { before: null, after: { group: item.groupName, username: item.username } };
    case 'remove-member':
      return { before: { group: item.groupName, username: item.username }, after: null };
  }
}
