import {
  emptyPlanCounts,
  planItemKey,
  planItemLabel,
  type ItemOutcome,
  type Paged,
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
import type { Clock } from '../ports';
import type { ChunkSink } from './csv';
import { inSlicedTransaction, yieldToEventLoop, type SqliteDatabase } from './database';
import { itemBeforeAfter, schema, toItem, toRun, type ItemRow, type RunRow } from './history-rows';
import { writeRunExport } from './run-export';

export { itemBeforeAfter } from './history-rows';

/**
 * The run history: one row per run, one per plan item of the run with its outcome and before/after values.
 * Items are written per applied batch, so a crash loses at most the batch in flight (which a re-run re-plans).
 */

export interface RecordedItem {
  readonly item: PlanItem;
  readonly outcome: ItemOutcome;
  readonly error?: { readonly code: string; readonly message: string } | null;
}

export interface RunStart {
  readonly id: string;
  readonly trigger: RunTrigger;
  readonly mode: RunMode;
  readonly dryRun: boolean;
  readonly hostId: string;
  /** The target the run synced into (default `local`, the embedded directory). */
  readonly targetId?: string;
}

export interface RunFinish {
  readonly status: RunStatus;
  readonly mode: RunMode;
  readonly planned: PlanCounts;
  readonly applied: PlanCounts;
  readonly failedItems: number;
  readonly conflicts: number;
  /** The requests this row counts: of a run into several targets, the Entra read is counted on one row only. */
  readonly graphRequests: number;
  /** Entra was read once for several targets (absent or null: for this one alone). */
  readonly sharedRead?: SharedRead | null;
  /**
   * Where the row's duration starts (ISO) when it is not the run's start: a later target of a run into several
   * targets counts its own pass only. Absent or null: from `startedAt`.
   */
  readonly passStartedAt?: string | null;
  readonly error: SyncErrorShape | null;
  readonly notes: readonly string[];
}

export interface ItemQuery {
  readonly offset?: number;
  readonly limit?: number;
  readonly outcome?: ItemOutcome;
  readonly kind?: PlanItemKind;
  /** Matches the item's label (username, group name) case-insensitively. */
  readonly search?: string;
}

export interface HistoryStore {
  startRun(start: RunStart): SyncRunRecord;
  finishRun(id: string, finish: RunFinish): SyncRunRecord;
  /** Appends items to a run in one transaction (yielding between slices); `seq` continues from the run's last item. */
  recordItems(runId: string, items: readonly RecordedItem[]): Promise<void>;
  getRun(id: string): SyncRunRecord | null;
  /** Newest first; only one target's runs when `targetId` is given. */
  listRuns(query?: { offset?: number; limit?: number; targetId?: string }): Paged<SyncRunRecord>;
  listItems(runId: string, query?: ItemQuery): Paged<SyncRunItemRecord>;
  /** Keys of a run's items of the given kinds (the confirmation check compares plans by these). */
  itemKeys(runId: string, kinds: readonly PlanItemKind[]): Set<string>;
  /** Marks a blocked run as confirmed by `byRunId`; false when it was already used (confirmations are one-time). */
  consumeConfirmation(blockedRunId: string, byRunId: string): boolean;
  /** Ends runs left `running` by a process that died (`hostId` given: only that host's). */
  markInterrupted(hostId?: string): number;
  /** Deletes runs (and their items) that finished more than `retentionDays` ago. */
  prune(retentionDays: number): Promise<{ runs: number; items: number }>;
  /** Writes a run and its items as CSV (items) or JSON ({ run, items }); returns the number of items. */
  exportRun(runId: string, format: 'csv' | 'json', sink: ChunkSink): Promise<number>;
}

/** Opens the history on `db`, creating its tables when missing. */
export function createHistoryStore(db: SqliteDatabase, clock: Clock): HistoryStore {
  for (const sql of schema) db.exec(sql);
  // Runs before targets existed all went into the embedded directory (items belong to their run's target).
  const columns = db.prepare('PRAGMA table_info(sync_runs)').all() as { name: string }[];
  if (!columns.some((c) => c.name === 'target_id'))
    db.exec(`ALTER TABLE sync_runs ADD COLUMN target_id TEXT NOT NULL DEFAULT 'local'`);
  if (!columns.some((c) => c.name === 'shared_read')) db.exec('ALTER TABLE sync_runs ADD COLUMN shared_read TEXT');
  const getRow = db.prepare('SELECT * FROM sync_runs WHERE id = ?');
  const itemColumns = 11;
  const rowsPerInsert = 50;
  const insertSql = `INSERT OR REPLACE INTO sync_run_items (run_id, seq, kind, key, label, reason, before, after, outcome, error_code, error_message) VALUES `;
  const placeholders = `(${Array(itemColumns).fill('?').join(', ')})`;
  const insertItem = db.prepare(insertSql + placeholders);
  const insertItems = db.prepare(insertSql + Array(rowsPerInsert).fill(placeholders).join(', '));
  const getRun = (id: string) => {
    const row = getRow.get(id) as RunRow | undefined;
    return row ? toRun(row) : null;
  };
  const one = (sql: string, ...params: unknown[]) =>
    Number(
      (
        db
          .prepare(sql)
          .raw()
          .get(...params) as [number]
      )[0],
    );

  return {
    startRun(start) {
      const empty = JSON.stringify(emptyPlanCounts());
      db.prepare(
        `INSERT INTO sync_runs (id, trigger, mode, dry_run, status, started_at, planned, applied, host_id, target_id)
         VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?)`,
      ).run(
        start.id,
        start.trigger,
        start.mode,
        start.dryRun ? 1 : 0,
        clock.now().toISOString(),
        empty,
        empty,
        start.hostId,
        start.targetId ?? 'local',
      );
      return getRun(start.id)!;
    },

    finishRun(id, finish) {
      const run = getRun(id);
      if (!run) throw new Error(`Unknown run ${id}`);
      const finishedAt = clock.now();
      db.prepare(
        `UPDATE sync_runs SET status = ?, mode = ?, finished_at = ?, duration_ms = ?, planned = ?, applied = ?, failed_items = ?,
           conflicts = ?, graph_requests = ?, shared_read = ?, error_code = ?, error_message = ?, notes = ? WHERE id = ?`,
      ).run(
        finish.status,
        finish.mode,
        finishedAt.toISOString(),
        Math.max(0, finishedAt.getTime() - Date.parse(finish.passStartedAt ?? run.startedAt)),
        JSON.stringify(finish.planned),
        JSON.stringify(finish.applied),
        finish.failedItems,
        finish.conflicts,
        finish.graphRequests,
        finish.sharedRead ? JSON.stringify(finish.sharedRead) : null,
        finish.error?.code ?? null,
        finish.error?.message ?? null,
        JSON.stringify(finish.notes),
        id,
      );
      return getRun(id)!;
    },

    async recordItems(runId, items) {
      if (items.length === 0) return;
      const first = one('SELECT item_count FROM sync_runs WHERE id = ?', runId);
      // Rows go in groups of `rowsPerInsert` per statement: a native call per row is most of the cost at 500k rows.
      let pending: unknown[] = [];
      const flush = () => {
        const rows = pending.length / itemColumns;
        if (rows === rowsPerInsert) insertItems.run(pending);
        else for (let r = 0; r < rows; r++) insertItem.run(pending.slice(r * itemColumns, (r + 1) * itemColumns));
        pending = [];
      };
      await inSlicedTransaction(db, items, ({ item, outcome, error }, i) => {
        const { before, after } = itemBeforeAfter(item);
        pending.push(
          runId,
          first + i + 1,
          item.kind,
          planItemKey(item),
          planItemLabel(item),
          item.reason.message,
          before === null ? null : JSON.stringify(before),
          after === null ? null : JSON.stringify(after),
          outcome,
          error?.code ?? null,
          error?.message ?? null,
        );
        if (pending.length === rowsPerInsert * itemColumns || i === items.length - 1) flush();
        if (i === items.length - 1)
          db.prepare('UPDATE sync_runs SET item_count = ? WHERE id = ?').run(first + items.length, runId);
      });
    },

    getRun,

    listRuns(query = {}) {
      const offset = query.offset ?? 0;
      const limit = Math.min(query.limit ?? 50, 500);
      if (query.targetId !== undefined) {
        const rows = db
          .prepare('SELECT * FROM sync_runs WHERE target_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ? OFFSET ?')
          .all(query.targetId, limit, offset) as RunRow[];
        return {
          items: rows.map(toRun),
          total: one('SELECT count(*) FROM sync_runs WHERE target_id = ?', query.targetId),
          offset,
          limit,
        };
      }
      const rows = db
        .prepare('SELECT * FROM sync_runs ORDER BY started_at DESC, rowid DESC LIMIT ? OFFSET ?')
        .all(limit, offset) as RunRow[];
      return { items: rows.map(toRun), total: one('SELECT count(*) FROM sync_runs'), offset, limit };
    },

    listItems(runId, query = {}) {
      const offset = query.offset ?? 0;
      const limit = Math.min(query.limit ?? 100, 1000);
      const where = ['run_id = ?'];
      const params: unknown[] = [runId];
      const filter = (sql: string, value: unknown) => {
        where.push(sql);
        params.push(value);
      };
      if (query.outcome) filter('outcome = ?', query.outcome);
      if (query.kind) filter('kind = ?', query.kind);
      if (query.search) filter(`label LIKE ? ESCAPE '\\'`, `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      const clause = where.join(' AND ');
      const rows = db
        .prepare(`SELECT * FROM sync_run_items WHERE ${clause} ORDER BY seq LIMIT ? OFFSET ?`)
        .all(...params, limit, offset) as ItemRow[];
      return {
        items: rows.map(toItem),
        total: one(`SELECT count(*) FROM sync_run_items WHERE ${clause}`, ...params),
        offset,
        limit,
      };
    },

    itemKeys(runId, kinds) {
      const placeholders = kinds.map(() => '?').join(',');
      const rows = db
        .prepare(`SELECT key FROM sync_run_items WHERE run_id = ? AND kind IN (${placeholders})`)
        .raw()
        .all(runId, ...kinds) as [string][];
      return new Set(rows.map((r) => r[0]));
    },

    consumeConfirmation(blockedRunId, byRunId) {
      return (
        db
          .prepare(
            `UPDATE sync_runs SET confirmed_by_run_id = ? WHERE id = ? AND status = 'blocked' AND confirmed_by_run_id IS NULL`,
          )
          .run(byRunId, blockedRunId).changes > 0
      );
    },

    markInterrupted(hostId) {
      const sql = `UPDATE sync_runs SET status = 'failed', error_code = 'interrupted', finished_at = ?,
          error_message = 'The run was interrupted (the process stopped before it finished). Run the sync again: it converges.'
        WHERE status = 'running'${hostId ? ' AND host_id = ?' : ''}`;
      const at = clock.now().toISOString();
      return (hostId ? db.prepare(sql).run(at, hostId) : db.prepare(sql).run(at)).changes;
    },

    async prune(retentionDays) {
      const cutoff = new Date(clock.now().getTime() - retentionDays * 86_400_000).toISOString();
      const ids = db.prepare(`SELECT id FROM sync_runs WHERE status <> 'running' AND started_at < ?`).raw().all(cutoff) as [
        string,
      ][];
      let items = 0;
      for (const [id] of ids) {
        // Big runs are deleted in slices so a prune never blocks the host for long.
        for (;;) {
          const changes = db
            .prepare(
              'DELETE FROM sync_run_items WHERE run_id = ? AND seq IN (SELECT seq FROM sync_run_items WHERE run_id = ? LIMIT 5000)',
            )
            .run(id, id).changes;
          items += changes;
          if (changes < 5000) break;
          await yieldToEventLoop();
        }
        db.prepare('DELETE FROM sync_runs WHERE id = ?').run(id);
      }
      return { runs: ids.length, items };
    },

    async exportRun(runId, format, sink) {
      const run = getRun(runId);
      if (!run) throw new Error(`Unknown run ${runId}`);
      const page = db.prepare('SELECT * FROM sync_run_items WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?');
      return writeRunExport(run, (after, limit) => (page.all(runId, after, limit) as ItemRow[]).map(toItem), format, sink);
    },
  };
}
