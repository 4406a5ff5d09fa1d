import type { Clock } from '../ports';
import { inTransaction, type SqliteDatabase } from './database';

/**
 * One sync at a time per database, across processes and hosts (the desktop app, a browser host, a cron-started
 * terminal): a lock row taken in an IMMEDIATE transaction. The holder refreshes a heartbeat; a lock whose process
 * is gone (same machine) or whose heartbeat is older than `staleAfterMs` (another machine sharing the file) is
 * taken over, and the run it belonged to is reported as interrupted.
 */

export interface LockOwner {
  readonly runId: string;
  /** Which host runs the sync (`desktop`, `terminal`, …), for the "already running" message. */
  readonly hostKind: string;
  readonly machine: string;
  readonly pid: number;
}

export interface LockHandle {
  /** Refreshes the heartbeat; cheap, call it between batches. */
  heartbeat(): void;
  release(): void;
}

export type LockResult =
  | { readonly ok: true; readonly handle: LockHandle; readonly takenOverFrom: LockOwner | null }
  | { readonly ok: false; readonly holder: LockOwner; readonly since: string };

export interface RunLockOptions {
  readonly clock: Clock;
  /** A lock without heartbeat for this long is stale (default 2 minutes). */
  readonly staleAfterMs?: number;
  /** Whether a process of this machine is alive (default: signal 0). */
  readonly isProcessAlive?: (pid: number) => boolean;
}

interface LockRow {
  run_id: string;
  host_kind: string;
  machine: string;
  pid: number;
  acquired_at: string;
  heartbeat_at: string;
}

function defaultIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Tries to take the database's sync lock for `owner`. */
export function acquireRunLock(db: SqliteDatabase, owner: LockOwner, options: RunLockOptions): LockResult {
  db.exec(`CREATE TABLE IF NOT EXISTS sync_lock (
    id INTEGER PRIMARY KEY CHECK (id = 1), run_id TEXT NOT NULL, host_kind TEXT NOT NULL, machine TEXT NOT NULL,
    pid INTEGER NOT NULL, acquired_at TEXT NOT NULL, heartbeat_at TEXT NOT NULL)`);
  const staleAfterMs = options.staleAfterMs ?? 120_000;
  const isAlive = options.isProcessAlive ?? defaultIsAlive;
  const now = () => options.clock.now();

  return inTransaction(
    db,
    (): LockResult => {
      const row = db.prepare('SELECT * FROM sync_lock WHERE id = 1').get() as LockRow | undefined;
      let takenOverFrom: LockOwner | null = null;
      if (row) {
        const holder: LockOwner = { runId: row.run_id, hostKind: row.host_kind, machine: row.machine, pid: row.pid };
        const sameMachine = row.machine === owner.machine;
        const dead = sameMachine && !isAlive(row.pid);
        const silent = now().getTime() - Date.parse(row.heartbeat_at) > staleAfterMs;
        if (!dead && !silent) return { ok: false, holder, since: row.acquired_at };
        takenOverFrom = holder;
      }
      const at = now().toISOString();
      db.prepare(
        `INSERT OR REPLACE INTO sync_lock (id, run_id, host_kind, machine, pid, acquired_at, heartbeat_at) VALUES (1, ?, ?, ?, ?, ?, ?)`,
      ).run(owner.runId, owner.hostKind, owner.machine, owner.pid, at, at);
      let lastBeat = now().getTime();
      const handle: LockHandle = {
        heartbeat() {
          const t = now().getTime();
          if (t - lastBeat < 5_000) return;
          lastBeat = t;
          db.prepare('UPDATE sync_lock SET heartbeat_at = ? WHERE id = 1 AND run_id = ?').run(
            new Date(t).toISOString(),
            owner.runId,
          );
        },
        release() {
          db.prepare('DELETE FROM sync_lock WHERE id = 1 AND run_id = ?').run(owner.runId);
        },
      };
      return { ok: true, handle, takenOverFrom };
    },
    'IMMEDIATE',
  );
}
