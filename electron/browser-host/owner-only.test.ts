import Database from 'libsql';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncOutcome } from '../../shared/contract/sync';
import { createNodeCore, type NodeCore } from './node-core';

/** Every folder and file under `dir` (the folder itself included) with its permission bits, as `path mode` lines. */
function modes(dir: string): string[] {
  const out: string[] = [];
  const visit = (path: string) => {
    const stat = lstatSync(path);
    out.push(`${path.slice(dir.length) || '/'} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return out;
}

const ownerOnly = (line: string) => / (600|700)$/.test(line);

/**
 * The data folder holds the tenant's directory, the settings and the vault: after a real sync of the demo tenant
 * through the browser host's core, nothing in it is readable by another local user. Mode bits mean nothing on Windows.
 */
describe.skipIf(process.platform === 'win32')('owner-only data folder', () => {
  let root: string;
  let node: NodeCore | undefined;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'esa-modes-'))));
  afterEach(async () => {
    await node?.close();
    node = undefined;
    rmSync(root, { recursive: true, force: true });
  });

  const syncOnce = async (n: NodeCore) => {
    const finished = new Promise<SyncOutcome>((resolve) => {
      const off = n.events.subscribe((event, payload) => {
        if (event !== 'sync:finished') return;
        off();
        resolve(payload as SyncOutcome);
      });
    });
    await n.core.handlers['connection:startDemo']({ users: 40, groups: 6 });
    await n.core.handlers['sync:runNow']({ full: false });
    expect((await finished).run.status).toBe('succeeded');
  };

  it('creates the folder 0700 and every file 0600, sync.db with its -wal and -shm included', async () => {
    const dataDir = join(root, 'Entra Sync Assistant');
    node = createNodeCore({ dataDir, host: 'browser' });
    await syncOnce(node);
    const open = modes(dataDir);
    // While the database is open its -wal and -shm exist: they are what SQLite creates itself. The demo tenant
    // syncs into a store of its own (demo/sync.db), in a folder as private as the data folder.
    expect(open).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/demo 700$/),
        expect.stringMatching(/^\/demo\/sync\.db-wal /),
        expect.stringMatching(/^\/demo\/sync\.db-shm /),
      ]),
    );
    expect(open).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/logs\/main\.log /), expect.stringMatching(/^\/settings\.json /)]),
    );
    expect(open.filter((line) => !ownerOnly(line))).toEqual([]);
    await node.close();
    node = undefined;
    expect(modes(dataDir).filter((line) => !ownerOnly(line))).toEqual([]);
  });

  it('tightens what an earlier version left readable by others', async () => {
    const dataDir = join(root, 'data');
    mkdirSync(join(dataDir, 'logs'), { recursive: true, mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'settings.json'), '{}', { mode: 0o644 });
    writeFileSync(join(dataDir, 'settings.json.corrupt-2026-01-01T00-00-00-000Z.json'), '{', { mode: 0o644 });
    writeFileSync(join(dataDir, 'logs', 'main.log'), '', { mode: 0o644 });
    writeFileSync(join(dataDir, 'logs', 'main.old.log'), '', { mode: 0o666 });
    const db = new Database(join(dataDir, 'sync.db'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (x)');
    for (const name of ['sync.db', 'sync.db-wal', 'sync.db-shm']) chmodSync(join(dataDir, name), 0o644);
    db.close();
    // Not ours: left as it is (the admin may have pointed --data-dir at a folder with other things in it).
    writeFileSync(join(dataDir, 'notes.txt'), '', { mode: 0o644 });

    node = createNodeCore({ dataDir, host: 'browser' });
    await syncOnce(node);
    expect(modes(dataDir).filter((line) => !ownerOnly(line))).toEqual(['/notes.txt 644']);
  });
});
