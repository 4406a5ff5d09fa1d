import type { SyncRunItemRecord, SyncRunRecord } from '../../../shared/sync';
import { csvRow, type ChunkSink } from './csv';
import { yieldToEventLoop } from './database';

/** Items per page read from the history; each page becomes one chunk for the sink. */
export const runExportPageSize = 2_000;

const header = ['seq', 'kind', 'label', 'reason', 'outcome', 'errorCode', 'errorMessage', 'before', 'after', 'key'];

/**
 * Writes a run as CSV (one row per item) or JSON (`{ run, items }`), reading its items page by page after `seq`,
 * so memory stays at one page whatever the run's size. Returns the number of items.
 */
export async function writeRunExport(
  run: SyncRunRecord,
  pageAfter: (seq: number, limit: number) => readonly SyncRunItemRecord[],
  format: 'csv' | 'json',
  sink: ChunkSink,
): Promise<number> {
  await sink(format === 'csv' ? csvRow(header) : `{"run":${JSON.stringify(run)},"items":[`);
  let count = 0;
  for (let after = 0; ;) {
    const items = pageAfter(after, runExportPageSize);
    let chunk = '';
    for (const item of items) {
      after = item.seq;
      if (format === 'csv') {
        chunk += csvRow([
          item.seq,
          item.kind,
          item.label,
          item.reason,
          item.outcome,
          item.error?.code,
          item.error?.message,
          item.before,
          item.after,
          item.key,
        ]);
      } else chunk += (count === 0 ? '\n' : ',\n') + JSON.stringify(item);
      count++;
    }
    await sink(chunk);
    if (items.length < runExportPageSize) break;
    await yieldToEventLoop();
  }
  if (format === 'json') await sink('\n]}\n');
  return count;
}
