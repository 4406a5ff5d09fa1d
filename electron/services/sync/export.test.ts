import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlanItem, SyncRunItemRecord } from '../../../shared/sync';
import { systemClock } from '../ports';
import { createDirectoryBrowser } from '../targets/local/directory-browser';
import { openDatabase, type SqliteDatabase } from './database';
import { exportMimeTypes, saveExportFile, streamExport, type ExportJob } from './export';
import { createHistoryStore, type HistoryStore, type RecordedItem } from './history-store';

/** Records of an RFC 4180 text (quoted cells may hold commas, quotes and line breaks), as arrays of cells. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      cells.push(cell);
      records.push(cells);
      cells = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || cells.length > 0) throw new Error('The CSV does not end with a complete record.');
  return records;
}

// Some names need quoting (comma, quote, line break) or neutralising (=), so a broken page join would show.
const names = ['Ann Lee', 'Lee, Ann', 'Zoë "Z" Ärger', 'two\r\nlines', '=cmd|calc'];

function createUser(i: number): PlanItem {
  return {
    kind: 'create-user',
    externalId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    after: {
      username: `user${i}@contoso.example`,
      email: null,
      displayName: names[i % names.length]!,
      givenName: null,
      surname: null,
    },
    active: true,
    reason: { code: 'new-in-scope', message: 'New in Entra' },
  };
}

async function recordRun(history: HistoryStore, items: number): Promise<string> {
  const id = `run-${items}-${Math.random().toString(36).slice(2)}`;
  history.startRun({ id, trigger: 'manual', mode: 'full', dryRun: false, hostId: 'test' });
  // In batches, as the engine records them after each applied batch.
  for (let start = 0; start < items; start += 50_000) {
    const batch: RecordedItem[] = [];
    for (let i = start; i < Math.min(items, start + 50_000); i++) batch.push({ item: createUser(i), outcome: 'applied' });
    await history.recordItems(id, batch);
  }
  return id;
}

const runJob = (history: HistoryStore, runId: string, format: 'csv' | 'json'): ExportJob => ({
  fileName: `run.${format}`,
  mimeType: exportMimeTypes[format],
  write: (sink) => history.exportRun(runId, format, sink),
});

let dir: string;
let db: SqliteDatabase;
let history: HistoryStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'esa-export-'));
  db = openDatabase(join(dir, 'sync.db'));
  history = createHistoryStore(db, systemClock);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function expectCompleteCsv(path: string, items: number) {
  const text = readFileSync(path, 'utf8');
  expect(text.startsWith('\ufeffseq,kind,label')).toBe(true);
  const records = parseCsv(text.slice(1));
  expect(records).toHaveLength(items + 1);
  // One check over all records: an expect per record would cost more than the export itself at 300k.
  const misfits = records.filter((record, n) => record.length !== 10 || (n > 0 && record[0] !== String(n)));
  expect(misfits).toEqual([]);
  return records;
}

function expectCompleteJson(path: string, items: number) {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { run: { id: string }; items: SyncRunItemRecord[] };
  expect(parsed.items).toHaveLength(items);
  expect(parsed.items.filter((item, n) => item.seq !== n + 1)).toEqual([]);
  return parsed;
}

describe('run exports', () => {
  it.each([0, 1, 1999, 2000, 2001, 4001])('writes all %i items, in order, in CSV and JSON', async (items) => {
    const runId = await recordRun(history, items);
    const csv = await saveExportFile(runJob(history, runId, 'csv'), join(dir, 'run.csv'));
    expect(csv).toMatchObject({ status: 'saved', rows: items });
    const records = expectCompleteCsv(join(dir, 'run.csv'), items);
    if (items > 4) {
      expect(JSON.parse(records[2]?.[8] ?? '')).toMatchObject({ displayName: 'Lee, Ann' });
      expect(JSON.parse(records[4]?.[8] ?? '')).toMatchObject({ displayName: 'two\r\nlines' });
    }
    expect(await saveExportFile(runJob(history, runId, 'json'), join(dir, 'run.json'))).toMatchObject({ rows: items });
    expect(expectCompleteJson(join(dir, 'run.json'), items).run.id).toBe(runId);
  });

  it('streams a run of 300,000 items to a complete, valid file', { timeout: 300_000 }, async () => {
    const items = 300_000;
    const runId = await recordRun(history, items);
    expect(await saveExportFile(runJob(history, runId, 'json'), join(dir, 'big.json'))).toMatchObject({ rows: items });
    const parsed = expectCompleteJson(join(dir, 'big.json'), items);
    expect(parsed.items.at(-1)?.key).toContain(String(items - 1).padStart(12, '0'));
    expect(await saveExportFile(runJob(history, runId, 'csv'), join(dir, 'big.csv'))).toMatchObject({ rows: items });
    expectCompleteCsv(join(dir, 'big.csv'), items);
  });

  it('leaves no file behind when the export cannot be written, and says where it tried', async () => {
    const runId = await recordRun(history, 10);
    const target = join(dir, 'missing-folder', 'run.csv');
    await expect(saveExportFile(runJob(history, runId, 'csv'), target)).rejects.toMatchObject({
      code: 'export-failed',
      message: expect.stringContaining(target),
    });
    expect(readdirSync(dir).filter((f) => f.includes('run.csv'))).toEqual([]);
  });

  it('leaves neither the file nor a partial one when the export fails part-way', async () => {
    const target = join(dir, 'broken.csv');
    const job: ExportJob = {
      fileName: 'broken.csv',
      mimeType: exportMimeTypes.csv,
      async write(sink) {
        await sink('seq,kind\r\n'.repeat(10_000));
        throw new Error('the database went away');
      },
    };
    await expect(saveExportFile(job, target)).rejects.toMatchObject({ code: 'export-failed' });
    expect(readdirSync(dir).filter((f) => f.startsWith('broken'))).toEqual([]);
  });

  it('stops reading the history when the destination closes mid-way (a cancelled download)', async () => {
    const runId = await recordRun(history, 6000);
    let written = 0;
    const destination = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, done) {
        written += chunk.length;
        if (written > 100_000) destination.destroy();
        done();
      },
    });
    let pages = 0;
    const job: ExportJob = {
      ...runJob(history, runId, 'csv'),
      write: (sink) => history.exportRun(runId, 'csv', (chunk) => (pages++, sink(chunk))),
    };
    await expect(streamExport(job, destination)).rejects.toThrow(/closed|destroyed/);
    expect(pages).toBeLessThan(4);
  });
});

describe('directory exports', () => {
  it('writes every user, group and membership past the 2,000-row pages', async () => {
    const now = '2026-01-01T00:00:00.000Z';
    const browser = createDirectoryBrowser(db);
    const insertUser = db.prepare(
      'INSERT INTO dir_users (external_id, username, display_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    );
    const insertGroup = db.prepare('INSERT INTO dir_groups (external_id, name, created_at, updated_at) VALUES (?, ?, ?, ?)');
    const insertMember = db.prepare('INSERT INTO dir_members (group_id, user_id) VALUES (?, ?)');
    db.transaction(() => {
      for (let u = 1; u <= 4001; u++) insertUser.run(`u${u}`, `user${u}@contoso.example`, names[u % names.length], now, now);
      for (let g = 1; g <= 3; g++) insertGroup.run(`g${g}`, `group ${g}`, now, now);
      // 3 × 1,500 memberships: pages of 2,000 end inside a group, which the two-part cursor must resume.
      for (let g = 1; g <= 3; g++) for (let u = 1; u <= 1500; u++) insertMember.run(g, u);
    })();
    const save = (kind: 'users' | 'groups' | 'memberships', format: 'csv' | 'json') =>
      saveExportFile(
        { fileName: `${kind}.${format}`, mimeType: exportMimeTypes[format], write: (sink) => browser.export(kind, format, sink) },
        join(dir, `${kind}.${format}`),
      );

    expect(await save('users', 'csv')).toMatchObject({ rows: 4001 });
    const users = parseCsv(readFileSync(join(dir, 'users.csv'), 'utf8').slice(1));
    expect(users).toHaveLength(4002);
    expect(new Set(users.slice(1).map((r) => r[0])).size).toBe(4001);
    expect(await save('memberships', 'json')).toMatchObject({ rows: 4500 });
    const members = JSON.parse(readFileSync(join(dir, 'memberships.json'), 'utf8')) as { groupName: string; username: string }[];
    expect(new Set(members.map((m) => `${m.groupName}|${m.username}`)).size).toBe(4500);
    expect(await save('memberships', 'csv')).toMatchObject({ rows: 4500 });
    expect(parseCsv(readFileSync(join(dir, 'memberships.csv'), 'utf8').slice(1))).toHaveLength(4501);
    expect(await save('groups', 'json')).toMatchObject({ rows: 3 });
    expect(existsSync(join(dir, 'groups.json.partial'))).toBe(false);
  });
});
