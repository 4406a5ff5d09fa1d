import Database from 'libsql';

/**
 * Opens the app's SQLite database (the embedded directory, the sync history and the sync state share one file so
 * one lock row guards them all). WAL lets the directory browser read while a sync writes.
 */

/** A libsql connection (better-sqlite3's synchronous API). */
export type SqliteDatabase = Database.Database;

/** Opens (creating if needed) the database at `path`; `:memory:` works for throwaway uses. */
export function openDatabase(path: string): SqliteDatabase {
  const db = new Database(path, { timeout: 5_000 });
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode loses at most the last transactions on power loss, never consistency.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * Runs `fn` in a transaction. Not re-entrant: SQLite has no nested BEGIN, so callers inside a transaction use
 * savepoints instead.
 */
export function inTransaction<T>(db: SqliteDatabase, fn: () => T, mode: 'DEFERRED' | 'IMMEDIATE' = 'DEFERRED'): T {
  db.exec(`BEGIN ${mode}`);
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** Lets pending I/O and timers run: big loops await this between batches so the host stays responsive. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
