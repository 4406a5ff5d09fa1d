import { describe, expect, it } from 'vitest';
import { emptyPlanCounts } from '../../../shared/sync';
import { graphRequestsCell, graphRequestsPhrase, sharedReadSentence } from '../../../shared/shared-read-words';
import { systemClock } from '../ports';
import { openDatabase } from './database';
import { graphRequestLedger } from './history-shared-read';
import { createHistoryStore } from './history-store';

describe('the Graph requests of a run into several targets, counted once', () => {
  it('the first row finished carries the read, the others only what their own pass asked; the rows add up to the run', () => {
    let requests = 4; // the read of Entra, before any target's row is finished
    const ledger = graphRequestLedger(3, () => requests);
    const local = ledger.take('run-local', 'local');
    const jira = ledger.take('run-jira', 'jira-1');
    requests += 1; // e.g. a token refresh while the third target's pass ran
    const scim = ledger.take('run-scim', 'scim-1');
    expect([local.graphRequests, jira.graphRequests, scim.graphRequests]).toEqual([4, 0, 1]);
    expect(local.graphRequests + jira.graphRequests + scim.graphRequests).toBe(requests);
    const shared = { targets: 3, countedOnRunId: 'run-local', countedOnTargetId: 'local' };
    for (const row of [local, jira, scim]) expect(row.sharedRead).toEqual(shared);
  });

  it('a run into one target counts all its requests and shares nothing', () => {
    const ledger = graphRequestLedger(1, () => 7);
    expect(ledger.take('run', 'local')).toEqual({ graphRequests: 7, sharedRead: null, passStartedAt: null });
  });

  it("times each row from the end of the row before it: the first from the run's start, a quick failure quickly", () => {
    let now = Date.parse('2026-12-02T10:00:00.000Z');
    const clock = { now: () => new Date(now), setTimeout: () => () => undefined };
    const db = openDatabase(':memory:');
    const history = createHistoryStore(db, clock);
    const ledger = graphRequestLedger(3, () => 0, clock);
    for (const id of ['a', 'b', 'c']) history.startRun({ id, trigger: 'manual', mode: 'full', dryRun: false, hostId: 'test' });
    const end = (id: string, afterMs: number) => {
      now += afterMs;
      return history.finishRun(id, {
        status: 'succeeded',
        mode: 'full',
        planned: emptyPlanCounts(),
        applied: emptyPlanCounts(),
        failedItems: 0,
        conflicts: 0,
        ...ledger.take(id, id),
        error: null,
        notes: [],
      });
    };
    // The read and the first target: 40 s; the second: 5 s; the third fails at once: 0.2 s.
    const rows = [end('a', 40_000), end('b', 5_000), end('c', 200)];
    expect(rows.map((r) => r.durationMs)).toEqual([40_000, 5_000, 200]);
    // Every row still starts with the run (the history keeps the rows of one run together).
    expect(new Set(rows.map((r) => r.startedAt)).size).toBe(1);
    db.close();
  });

  it('the history keeps the shared read with the row, and an older database gains the column', () => {
    const db = openDatabase(':memory:');
    // A history of the version before: no shared_read column yet.
    db.exec(`CREATE TABLE sync_runs (
       id TEXT PRIMARY KEY, trigger TEXT NOT NULL, mode TEXT NOT NULL, dry_run INTEGER NOT NULL, status TEXT NOT NULL,
       started_at TEXT NOT NULL, finished_at TEXT, duration_ms INTEGER, planned TEXT NOT NULL, applied TEXT NOT NULL,
       failed_items INTEGER NOT NULL DEFAULT 0, conflicts INTEGER NOT NULL DEFAULT 0, graph_requests INTEGER NOT NULL DEFAULT 0,
       error_code TEXT, error_message TEXT, notes TEXT NOT NULL DEFAULT '[]', confirmed_by_run_id TEXT, host_id TEXT NOT NULL,
       item_count INTEGER NOT NULL DEFAULT 0, target_id TEXT NOT NULL DEFAULT 'local')`);
    const history = createHistoryStore(db, systemClock);
    const finish = (
      graphRequests: number,
      sharedRead: { targets: number; countedOnRunId: string; countedOnTargetId: string } | null,
    ) => ({
      status: 'succeeded' as const,
      mode: 'full' as const,
      planned: emptyPlanCounts(),
      applied: emptyPlanCounts(),
      failedItems: 0,
      conflicts: 0,
      graphRequests,
      sharedRead,
      error: null,
      notes: [],
    });
    const shared = { targets: 2, countedOnRunId: 'a', countedOnTargetId: 'local' };
    history.startRun({ id: 'a', trigger: 'manual', mode: 'full', dryRun: false, hostId: 'test' });
    history.startRun({ id: 'b', trigger: 'manual', mode: 'full', dryRun: false, hostId: 'test', targetId: 'jira-1' });
    history.startRun({ id: 'c', trigger: 'manual', mode: 'full', dryRun: false, hostId: 'test' });
    history.finishRun('a', finish(4, shared));
    history.finishRun('b', finish(0, shared));
    history.finishRun('c', finish(3, null));
    expect(history.getRun('a')).toMatchObject({ graphRequests: 4, sharedRead: shared });
    expect(history.getRun('b')).toMatchObject({ graphRequests: 0, sharedRead: shared });
    expect(history.getRun('c')).toMatchObject({ graphRequests: 3, sharedRead: null });
    db.close();
  });

  it('says which row counts the read, in the history list and the run details alike', () => {
    const shared = { targets: 3, countedOnRunId: 'a', countedOnTargetId: 'local' };
    const nameOf = (id: string) => (id === 'local' ? 'Embedded directory' : id);
    const counting = { id: 'a', graphRequests: 1234, sharedRead: shared };
    const other = { id: 'b', graphRequests: 0, sharedRead: shared };
    expect(graphRequestsCell(counting, nameOf)).toBe('1,234 (read shared by 3 targets)');
    expect(graphRequestsCell(other, nameOf)).toBe('0 (read counted on Embedded directory)');
    expect(graphRequestsCell({ id: 'c', graphRequests: 5, sharedRead: null }, nameOf)).toBe('5');
    expect(graphRequestsPhrase(other, nameOf)).toBe('0 Graph requests (read counted on Embedded directory)');
    expect(graphRequestsPhrase({ id: 'c', graphRequests: 1, sharedRead: null }, nameOf)).toBe('1 Graph request');
    expect(sharedReadSentence(counting, nameOf)).toBe(
      'Entra was read once for 3 targets; its Graph requests are counted on this run only.',
    );
    expect(sharedReadSentence(other, nameOf)).toBe(
      'Entra was read once for 3 targets; its Graph requests are counted on the run into Embedded directory, not again here.',
    );
    expect(sharedReadSentence({ id: 'c', graphRequests: 5 }, nameOf)).toBeNull();
  });
});
