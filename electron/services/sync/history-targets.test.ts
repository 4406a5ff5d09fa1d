import { describe, expect, it } from 'vitest';
import { systemClock } from '../ports';
import { openDatabase } from './database';
import { createHistoryStore } from './history-store';

describe('history per target', () => {
  it('migrates a history written before targets existed: its runs were into the embedded directory', () => {
    const db = openDatabase(':memory:');
    // The sync_runs table as it was before the target id (the columns of the first schema).
    db.exec(`CREATE TABLE sync_runs (
       id TEXT PRIMARY KEY, trigger TEXT NOT NULL, mode TEXT NOT NULL, dry_run INTEGER NOT NULL, status TEXT NOT NULL,
       started_at TEXT NOT NULL, finished_at TEXT, duration_ms INTEGER, planned TEXT NOT NULL, applied TEXT NOT NULL,
       failed_items INTEGER NOT NULL DEFAULT 0, conflicts INTEGER NOT NULL DEFAULT 0, graph_requests INTEGER NOT NULL DEFAULT 0,
       error_code TEXT, error_message TEXT, notes TEXT NOT NULL DEFAULT '[]', confirmed_by_run_id TEXT, host_id TEXT NOT NULL,
       item_count INTEGER NOT NULL DEFAULT 0)`);
    db.prepare(
      `INSERT INTO sync_runs (id, trigger, mode, dry_run, status, started_at, planned, applied, host_id)
       VALUES ('old-run', 'manual', 'full', 0, 'succeeded', '2026-01-01T00:00:00.000Z', '{}', '{}', 'desktop')`,
    ).run();
    const history = createHistoryStore(db, systemClock);
    expect(history.getRun('old-run')?.targetId).toBe('local');
    history.startRun({ id: 'jira-run', trigger: 'terminal', mode: 'full', dryRun: true, hostId: 'terminal', targetId: 'jira-x' });
    history.startRun({ id: 'local-run', trigger: 'terminal', mode: 'full', dryRun: true, hostId: 'terminal' });
    expect(history.getRun('jira-run')?.targetId).toBe('jira-x');
    expect(history.getRun('local-run')?.targetId).toBe('local');
    // Opening it again changes nothing (the column exists now).
    expect(createHistoryStore(db, systemClock).getRun('jira-run')?.targetId).toBe('jira-x');
    db.close();
  });
});
