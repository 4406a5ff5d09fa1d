import { Worker } from 'node:worker_threads';
import type { SqliteDatabase } from './database';

/**
 * Moves SQLite's WAL checkpoints off the main thread during a sync. By default a commit that finds the WAL over
 * 1,000 pages copies the whole WAL into the database file right there, synchronously: after a 5,000-item batch that
 * is tens of megabytes and a visible freeze of the host. During a run the main connection turns automatic
 * checkpoints off and a worker thread with its own connection checkpoints (PASSIVE: never waits for the writer)
 * every few hundred milliseconds; at the end automatic checkpoints come back. If the worker cannot start, the
 * main connection keeps checkpointing itself — slower to the eye, never wrong.
 */

export interface Checkpointer {
  /** Stops the worker after a last checkpoint and restores automatic checkpoints. */
  stop(): Promise<void>;
}

// Plain CommonJS evaluated in the worker, so no extra file has to be found next to a bundled main process.
const workerSource = `
const Database = require('libsql');
const { parentPort, workerData } = require('node:worker_threads');
const db = new Database(workerData.path, { timeout: 5000 });
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: next round */ } };
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); checkpoint(); db.close(); parentPort.postMessage('stopped'); });
`;

/** Starts checkpointing `db` from a worker; a no-op for in-memory databases. */
export function startCheckpointer(db: SqliteDatabase, intervalMs = 250): Checkpointer {
  const path = (db.pragma('database_list') as { name: string; file: string }[]).find((d) => d.name === 'main')?.file;
  if (!path) return { stop: async () => {} };
  let worker: Worker;
  try {
    worker = new Worker(workerSource, { eval: true, workerData: { path, intervalMs } });
  } catch {
    return { stop: async () => {} };
  }
  db.pragma('wal_autocheckpoint = 0');
  let failed = false;
  worker.on('error', () => {
    failed = true;
    db.pragma('wal_autocheckpoint = 1000');
  });
  return {
    async stop() {
      if (!failed) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 10_000);
          worker.once('message', () => {
            clearTimeout(timer);
            resolve();
          });
          worker.once('exit', () => resolve());
          worker.postMessage('stop');
        });
      }
      await worker.terminate();
      if (db.open) db.pragma('wal_autocheckpoint = 1000');
    },
  };
}
