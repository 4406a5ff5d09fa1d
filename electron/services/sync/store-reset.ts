import { existsSync } from 'node:fs';
import { inTransaction, openDatabase, type SqliteDatabase } from './database';
import { bumpGeneration } from './state-cache';

/**
 * Emptying a store (Settings → reset, and the demo data an earlier version kept in the admin's own store): the
 * embedded directory, the history, the plan bases and the source snapshot with its delta links. Target links are
 * kept. Works on a database no service has open; one transaction, so a store is never left half-emptied.
 */

/** Tables emptied, children before parents. */
const resetTables = [
  'dir_members',
  'dir_users',
  'dir_groups',
  'sync_run_items',
  'sync_run_conflicts',
  'sync_runs',
  'sync_plan_basis',
  'src_users',
  'src_groups',
  'sync_source_state',
];

export interface StoreRemoved {
  readonly runs: number;
  readonly users: number;
  readonly groups: number;
}

function withStore<T>(path: string, use: (db: SqliteDatabase, present: Set<string>) => T): T | undefined {
  if (!existsSync(path)) return undefined;
  const db = openDatabase(path);
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).raw().all() as [string][];
    return use(db, new Set(tables.map((r) => r[0])));
  } finally {
    db.close();
  }
}

/** Empties the store at `path` and says how much it held. */
export function emptyStore(path: string): StoreRemoved {
  return (
    withStore(path, (db, present) => {
      const count = (table: string) =>
        present.has(table) ? Number((db.prepare(`SELECT count(*) FROM ${table}`).raw().get() as [number])[0]) : 0;
      const removed = { runs: count('sync_runs'), users: count('dir_users'), groups: count('dir_groups') };
      inTransaction(
        db,
        () => {
          for (const table of resetTables) if (present.has(table)) db.exec(`DELETE FROM ${table}`);
          // A warm state another process keeps is no longer the database's.
          bumpGeneration(db);
        },
        'IMMEDIATE',
      );
      return removed;
    }) ?? { runs: 0, users: 0, groups: 0 }
  );
}

/**
 * Whether the store was last read from the demo tenant: its Graph root is on this computer (loopback), which no
 * Microsoft cloud is and custom endpoints are refused for anything but the demo. Earlier versions synced the demo
 * into the admin's own store.
 */
export function holdsDemoData(path: string): boolean {
  return (
    withStore(path, (db, present) => {
      if (!present.has('sync_source_state')) return false;
      const row = db.prepare('SELECT source_key FROM sync_source_state WHERE id = 1').raw().get() as [string] | undefined;
      return row !== undefined && /^https:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|\|)/i.test(row[0]);
    }) ?? false
  );
}
