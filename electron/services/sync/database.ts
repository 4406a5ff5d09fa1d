import Database from 'libsql';
import { closeSync, openSync } from 'node:fs';
import { makeOwnerOnly, ownerOnlyFileMode } from '../app/data-dir';

/**
 * Opens the app's SQLite database (the embedded directory, the sync history and the sync state share one file so
 * one lock row guards them all). WAL lets the directory browser read while a sync writes.
 */

/** A libsql connection (better-sqlite3's synchronous API). */
export type SqliteDatabase = Database.Database;

/**
 * Opens (creating if needed) the database at `path`; `:memory:` works for throwaway uses.
 *
 * The file holds the tenant's directory, so it is owner-only. SQLite creates the file 0644 (less the umask), but
 * gives its -wal and -shm the main file's permissions (os_unix.c, findCreateFileMode and the shm open): creating
 * the file 0600 before SQLite opens it covers all three, with no process-wide umask change (the host's other
 * threads would see it too) and nothing to redo after checkpoints. A -wal/-shm an earlier version left looser is
 * tightened here as well. Windows ignores mode bits (see data-dir.ts).
 */
export function openDatabase(path: string): SqliteDatabase {
  if (path !== '' && path !== ':memory:' && !path.startsWith('file:')) {
    closeSync(openSync(path, 'a', ownerOnlyFileMode));
    for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) makeOwnerOnly(file);
  }
  const db = new Database(path, { timeout: 5_000 });
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode loses at most the last transactions on power loss, never consistency.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
  return db;
}

/**
 * Runs `fn` in a transaction (a savepoint when one is already open, so callers compose), rolled back if it throws.
 */
export function inTransaction<T>(db: SqliteDatabase, fn: () => T, mode: 'DEFERRED' | 'IMMEDIATE' = 'DEFERRED'): T {
  const nested = db.inTransaction;
  db.exec(nested ? 'SAVEPOINT nested' : `BEGIN ${mode}`);
  try {
    const result = fn();
    db.exec(nested ? 'RELEASE nested' : 'COMMIT');
    return result;
  } catch (error) {
    if (nested) db.exec('ROLLBACK TO nested; RELEASE nested');
    else if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/**
 * Runs `each` over `items` in ONE transaction, yielding to the event loop every `slice` items. A commit is what
 * costs in SQLite (WAL frames, checkpoints), so big batches are much faster; slicing keeps the host responsive
 * meanwhile. Other work on this connection during the pauses joins the open transaction, so only the single sync
 * run (which holds the run lock) may use it.
 */
export async function inSlicedTransaction<T, R>(
  db: SqliteDatabase,
  items: readonly T[],
  each: (item: T, index: number) => R,
  slice = 250,
): Promise<R[]> {
  if (db.inTransaction) throw new Error('inSlicedTransaction cannot run inside another transaction.');
  const results: R[] = new Array(items.length);
  db.exec('BEGIN IMMEDIATE');
  try {
    for (let i = 0; i < items.length; i++) {
      results[i] = each(items[i]!, i);
      if (i % slice === slice - 1 && i < items.length - 1) await yieldToEventLoop();
    }
    db.exec('COMMIT');
    return results;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** Lets pending I/O and timers run: big loops await this between batches so the host stays responsive. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
