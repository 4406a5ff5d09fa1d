import type { PlanConflict } from '../../../shared/sync';
import type { SqliteDatabase } from './database';

/**
 * The name conflicts of each run, kept beside the history (`sync_run_conflicts`, one row per run with conflicts), so a
 * run's details can name the objects that were left out after the app restarted. At most {@link keptPerRun} are
 * kept per run; the total says how many there were. Rows of runs the history pruned go with the next save.
 */
export const keptPerRun = 200;

export interface RunConflicts {
  readonly conflicts: readonly PlanConflict[];
  readonly total: number;
}

export interface ConflictStore {
  save(runId: string, conflicts: readonly PlanConflict[]): void;
  get(runId: string): RunConflicts;
}

export function createConflictStore(db: SqliteDatabase): ConflictStore {
  db.exec(`CREATE TABLE IF NOT EXISTS sync_run_conflicts (
     run_id TEXT PRIMARY KEY, total INTEGER NOT NULL, conflicts TEXT NOT NULL) WITHOUT ROWID`);
  const insert = db.prepare('INSERT OR REPLACE INTO sync_run_conflicts (run_id, total, conflicts) VALUES (?, ?, ?)');
  const select = db.prepare('SELECT total, conflicts FROM sync_run_conflicts WHERE run_id = ?');
  const prune = db.prepare('DELETE FROM sync_run_conflicts WHERE run_id NOT IN (SELECT id FROM sync_runs)');
  return {
    save(runId, conflicts) {
      if (conflicts.length > 0) insert.run(runId, conflicts.length, JSON.stringify(conflicts.slice(0, keptPerRun)));
      prune.run();
    },
    get(runId) {
      const row = select.get(runId) as { total: number; conflicts: string } | undefined;
      if (!row) return { conflicts: [], total: 0 };
      return { conflicts: JSON.parse(row.conflicts) as PlanConflict[], total: row.total };
    },
  };
}
