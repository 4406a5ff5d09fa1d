/**
 * Peak memory of a run export: records N items in a real SQLite history, then streams the run to CSV and JSON
 * files, sampling the process's RSS. With `--collect` it also builds each export as one string (the way exports
 * worked before streaming) for comparison.
 *
 *   npx tsx electron/bench/export-memory.ts [items=300000] [--collect]
 *
 * A measurement, not a test: it prints figures and asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlanItem } from '../../shared/sync';
import { systemClock } from '../services/ports';
import { openDatabase } from '../services/sync/database';
import { exportMimeTypes, saveExportFile } from '../services/sync/export';
import { createHistoryStore, type RecordedItem } from '../services/sync/history-store';

const items = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 300_000);
const collect = process.argv.includes('--collect');
const print = (line: string) => void process.stdout.write(line + '\n');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function measure(label: string, work: () => Promise<unknown>): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    await work();
  } finally {
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  print(`${label.padEnd(34)} peak RSS growth ${mb(peak - base).padStart(7)} (base ${mb(base)}, peak ${mb(peak)})`);
}

/** One measurement in this process: export the run in `dbPath` as `format`, streamed or (`collect`) as one string. */
async function exportOnce(dbPath: string, format: 'csv' | 'json', asString: boolean): Promise<void> {
  const db = openDatabase(dbPath);
  const history = createHistoryStore(db, systemClock);
  const path = `${dbPath}.${format}`;
  if (asString) {
    await measure(`${format.toUpperCase()} built as one string`, async () => {
      const chunks: string[] = [];
      await history.exportRun(runId, format, (chunk) => void chunks.push(chunk));
      return chunks.join('').length;
    });
  } else {
    await measure(`${format.toUpperCase()} streamed to a file`, () =>
      saveExportFile(
        { fileName: `run.${format}`, mimeType: exportMimeTypes[format], write: (sink) => history.exportRun(runId, format, sink) },
        path,
      ),
    );
    print(`${''.padEnd(34)} file ${mb(statSync(path).size)}`);
    rmSync(path);
  }
  db.close();
}

async function record(dbPath: string): Promise<void> {
  const db = openDatabase(dbPath);
  const history = createHistoryStore(db, systemClock);
  history.startRun({ id: runId, trigger: 'manual', mode: 'full', dryRun: false, hostId: 'bench' });
  for (let start = 0; start < items; start += 50_000) {
    const batch: RecordedItem[] = [];
    for (let i = start; i < Math.min(items, start + 50_000); i++) {
      const item: PlanItem = {
        kind: 'create-user',
        externalId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        after: {
          username: `user${i}@contoso.example`,
          email: `user${i}@contoso.example`,
          displayName: `User ${i}`,
          givenName: 'User',
          surname: String(i),
        },
        active: true,
        reason: { code: 'new-in-scope', message: 'New in Entra' },
      };
      batch.push({ item, outcome: 'applied' });
    }
    await history.recordItems(runId, batch);
  }
  db.close();
}

const runId = 'bench-run';
const child = process.argv.indexOf('--export');
if (child >= 0) {
  // A fresh process per measurement, so memory left over from recording or an earlier export does not hide growth.
  const [dbPath, format, how] = process.argv.slice(child + 1);
  await exportOnce(dbPath!, format as 'csv' | 'json', how === 'string');
} else {
  const dir = mkdtempSync(join(tmpdir(), 'esa-export-bench-'));
  try {
    const dbPath = join(dir, 'sync.db');
    await record(dbPath);
    print(`${items.toLocaleString('en')} items recorded; Node ${process.version}`);
    for (const format of ['csv', 'json'] as const) {
      for (const how of collect ? ['stream', 'string'] : ['stream']) {
        execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--export', dbPath, format, how], {
          stdio: 'inherit',
        });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
