import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../services/sync/database';
import type { CliIo } from '../command';
import { main } from '../index';

// Built at run time so no secret-shaped literal sits in the repository.
const secret = ['Kp4', '8Q~', 'z'.repeat(34)].join('');

/** The terminal host writes no log file: an internal error must still say what went wrong. */
describe('entra-sync sync after an internal error', () => {
  let dir: string;
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'esa-cli-internal-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the cause (with the secret scrubbed), not only "the details are in the log"', { timeout: 120_000 }, async () => {
    const db = join(dir, 'sync.db');
    // A history table that refuses every planned user: an SQLite failure in the middle of a run, which no code
    // path expects. The constraint's name carries the secret, to show the printed cause is scrubbed.
    const seed = openDatabase(db);
    seed.exec(`CREATE TABLE sync_run_items (
      run_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, label TEXT NOT NULL,
      reason TEXT NOT NULL, before TEXT, after TEXT, outcome TEXT NOT NULL, error_code TEXT, error_message TEXT,
      CONSTRAINT "no users for ${secret}" CHECK (kind <> 'create-user'), PRIMARY KEY (run_id, seq)) WITHOUT ROWID`);
    seed.close();
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      env: { ENTRA_SYNC_DATA_DIR: join(dir, 'data'), AZURE_CLIENT_SECRET: secret },
      stopSignal: new Promise(() => {}),
    };
    const code = await main(['sync', '--demo', '--users', '20', '--groups', '4', '--dry-run', '--db', db], io);
    expect(code).toBe(1);
    expect(stdout).toContain('Error (internal-error)');
    expect(stderr).toMatch(/cause of the internal error: sync: run failed: CHECK constraint failed: no users for Kp4••••••/);
    expect(stdout + stderr).not.toContain(secret);
  });
});
